package zhenlingtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"

	"github.com/hetong-go/hetong/zhenling"
)

func routes() map[string]handler {
	return map[string]handler{
		zhenling.OpFileUpload:           upload(true),
		zhenling.OpAttachmentUpload:     upload(false),
		zhenling.OpFileDownload:         (*Server).download,
		zhenling.OpFilePreview:          (*Server).previewLink,
		zhenling.OpContractFiles:        (*Server).contractFiles,
		zhenling.OpSourceFilesClear:     (*Server).clearSource,
		zhenling.OpContractCreate:       (*Server).createContracts,
		zhenling.OpContractList:         (*Server).listContracts,
		zhenling.OpContractLines:        (*Server).contractLines,
		zhenling.OpContractLeaseClauses: (*Server).leaseClauses,
		zhenling.OpContractPaymentPlans: (*Server).contractPlans,
		zhenling.OpPaymentPlanCreate:    (*Server).createPlans,
		zhenling.OpPaymentPlanPay:       (*Server).payPlan,
		zhenling.OpInvoiceQuery:         (*Server).invoices,
	}
}

// generic answers the operations the fake keeps no state for: queries get
// an empty page, batch writes a receipt, other calls a plain success.
func generic(name string, query bool) handler {
	return func(s *Server, w http.ResponseWriter, r *http.Request, body []byte) {
		switch {
		case query:
			ok(w, map[string]any{"code": "0", "msg": "查询成功", "data": springPage(nil, 0, 0, 10)})
		case batchWrites[name]:
			items, good := batchItems(w, body)
			if !good {
				return
			}
			batch := newID()
			rows := make([]map[string]any, len(items))
			for i, raw := range items {
				rows[i] = receiptRow(batch, raw)
			}
			ok(w, map[string]any{"data": rows})
		default:
			ok(w, map[string]any{"code": "0", "msg": "ok", "data": nil})
		}
	}
}

// batchItems reads the {"data":[...]} body of a batch write.
func batchItems(w http.ResponseWriter, body []byte) ([]json.RawMessage, bool) {
	var in struct {
		Data []json.RawMessage `json:"data"`
	}
	if json.Unmarshal(body, &in) != nil || len(in.Data) == 0 {
		fail(w, "PARAM_ERROR", "data不能为空")
		return nil, false
	}
	return in.Data, true
}

func receiptRow(batch string, raw json.RawMessage) map[string]any {
	var keys struct {
		SourceSystem string `json:"sourceSystem"`
		SourceCode   string `json:"sourceCode"`
	}
	_ = json.Unmarshal(raw, &keys)
	if keys.SourceSystem == "" {
		keys.SourceSystem = "DEFAULT"
	}
	return map[string]any{"batchId": batch, "sourceSystem": keys.SourceSystem, "sourceCode": keys.SourceCode, "originData": string(raw)}
}

// upload stores a multipart file; 3.4 requires its sourceDocumentNumber.
func upload(needSource bool) handler {
	return func(s *Server, w http.ResponseWriter, r *http.Request, _ []byte) { s.upload(w, r, needSource) }
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request, needSource bool) {
	mr, err := r.MultipartReader()
	if err != nil {
		hzeroError(w, http.StatusBadRequest, "error.multipart", "需要multipart/form-data请求")
		return
	}
	f := &storedFile{}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			hzeroError(w, http.StatusBadRequest, "error.multipart", "multipart读取失败")
			return
		}
		data, err := io.ReadAll(io.LimitReader(p, maxBody))
		if err != nil {
			hzeroError(w, http.StatusBadRequest, "error.multipart", "multipart读取失败")
			return
		}
		switch {
		case p.FormName() == "file" && p.FileName() != "":
			f.Name, f.ContentType, f.Data = p.FileName(), p.Header.Get("Content-Type"), data
		case p.FormName() == "sourceDocumentNumber":
			f.SourceDocumentNumber = string(data)
		}
	}
	switch {
	case f.Name == "":
		fail(w, "FILE_REQUIRED", "文件不能为空")
		return
	case needSource && f.SourceDocumentNumber == "":
		fail(w, "SOURCE_DOCUMENT_NUMBER_REQUIRED", "来源单据号不能为空")
		return
	}
	f.Key = "oc-base/" + newID() + "/" + f.Name
	s.mu.Lock()
	s.files[f.Key] = f
	s.mu.Unlock()
	ok(w, map[string]any{"code": "0", "msg": "上传成功", "data": map[string]any{
		"fileKey": f.Key, "fileName": f.Name, "fileSize": len(f.Data), "sourceDocumentNumber": f.SourceDocumentNumber}})
}

func (s *Server) download(w http.ResponseWriter, r *http.Request, _ []byte) {
	key := r.URL.Query().Get("fileKey")
	s.mu.Lock()
	f := s.files[key]
	s.mu.Unlock()
	if f == nil {
		fail(w, "FILE_NOT_FOUND", "文件不存在")
		return
	}
	ct := f.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", f.Name))
	w.Header().Set("Content-Length", strconv.Itoa(len(f.Data)))
	_, _ = w.Write(f.Data)
}

func (s *Server) previewLink(w http.ResponseWriter, _ *http.Request, body []byte) {
	var in struct {
		FileKey string `json:"fileKey"`
	}
	_ = json.Unmarshal(body, &in)
	s.mu.Lock()
	f := s.files[in.FileKey]
	s.mu.Unlock()
	if f == nil {
		fail(w, "FILE_NOT_FOUND", "文件不存在")
		return
	}
	ok(w, map[string]any{"code": "0", "msg": "ok", "data": map[string]any{"url": s.URL + "/preview/" + in.FileKey}})
}

func (s *Server) contractFiles(w http.ResponseWriter, _ *http.Request, body []byte) {
	c := s.findContract(body)
	if c == nil {
		fail(w, "CONTRACT_NOT_FOUND", "合同不存在")
		return
	}
	s.mu.Lock()
	var files []map[string]any
	for _, f := range s.files {
		if f.SourceDocumentNumber == c.SourceCode {
			files = append(files, map[string]any{"fileKey": f.Key, "fileName": f.Name})
		}
	}
	s.mu.Unlock()
	slices.SortFunc(files, func(a, b map[string]any) int { return cmpStr(a["fileKey"], b["fileKey"]) })
	ok(w, map[string]any{"code": "0", "msg": "ok", "data": files})
}

func cmpStr(a, b any) int {
	x, y := fmt.Sprint(a), fmt.Sprint(b)
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func (s *Server) clearSource(w http.ResponseWriter, _ *http.Request, body []byte) {
	var in struct {
		SourceDocumentNumber string `json:"sourceDocumentNumber"`
	}
	if json.Unmarshal(body, &in) != nil || in.SourceDocumentNumber == "" {
		fail(w, "PARAM_ERROR", "来源单据号不能为空")
		return
	}
	s.mu.Lock()
	n := 0
	for k, f := range s.files {
		if f.SourceDocumentNumber == in.SourceDocumentNumber {
			delete(s.files, k)
			n++
		}
	}
	s.mu.Unlock()
	ok(w, map[string]any{"code": "0", "msg": "ok", "data": map[string]any{"deleted": n}})
}

// findContract locates the contract a query names.
func (s *Server) findContract(body []byte) *contract {
	var in struct {
		ContractNumber       string `json:"contractNumber"`
		ContractSerialNumber string `json:"contractSerialNumber"`
		UUID                 string `json:"uuid"`
		ContractUUID         string `json:"contractUuid"`
		ContractID           string `json:"contractId"`
	}
	_ = json.Unmarshal(body, &in)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.contracts {
		if in.ContractID != "" && in.ContractID == strconv.Itoa(c.ID) {
			return c
		}
		if c.matches(in.ContractNumber, in.ContractSerialNumber, in.UUID+in.ContractUUID) {
			return c
		}
	}
	return nil
}

type paging struct {
	Page *int `json:"page"`
	Size *int `json:"size"`
}

// pageOf validates page and size as the platform's query scripts do: the
// first page is the operation's page base (0, or 1 for 6.7).
func pageOf(w http.ResponseWriter, body []byte) (page, size int, good bool) {
	var p paging
	if json.Unmarshal(body, &p) != nil || p.Page == nil || p.Size == nil {
		fail(w, "PARAM_ERROR", "page和size不能为空")
		return 0, 0, false
	}
	if base := pageBase(w); *p.Page < base {
		fail(w, "PARAM_ERROR", "page从"+strconv.Itoa(base)+"开始")
		return 0, 0, false
	}
	if *p.Size <= 0 || *p.Size > 1000 {
		fail(w, "PARAM_ERROR", "page或size不合法")
		return 0, 0, false
	}
	return *p.Page, *p.Size, true
}

// query answers one page of rows; page is in the operation's numbering.
func query(w http.ResponseWriter, rows []map[string]any, page, size int) {
	ok(w, map[string]any{"code": "0", "msg": "查询成功", "data": springPage(rows, page, pageBase(w), size)})
}

func (s *Server) listContracts(w http.ResponseWriter, _ *http.Request, body []byte) {
	page, size, good := pageOf(w, body)
	if !good {
		return
	}
	var in struct {
		ContractNumber       string `json:"contractNumber"`
		ContractSerialNumber string `json:"contractSerialNumber"`
		OtherSourceReceipt   string `json:"otherSourceReceipt"`
		StatusCode           string `json:"statusCode"`
	}
	_ = json.Unmarshal(body, &in)
	s.mu.Lock()
	var rows []map[string]any
	for _, c := range s.contracts {
		if (in.ContractNumber == "" || in.ContractNumber == c.Number) && (in.ContractSerialNumber == "" || in.ContractSerialNumber == c.Serial) &&
			(in.OtherSourceReceipt == "" || in.OtherSourceReceipt == c.SourceCode) && (in.StatusCode == "" || in.StatusCode == c.Status) {
			rows = append(rows, c.row())
		}
	}
	s.mu.Unlock()
	query(w, rows, page, size)
}

// contractRows answers a paged query over rows of the contract the body names.
func (s *Server) contractRows(w http.ResponseWriter, body []byte, rowsOf func(*contract) []map[string]any) {
	page, size, good := pageOf(w, body)
	if !good {
		return
	}
	var rows []map[string]any
	if c := s.findContract(body); c != nil {
		s.mu.Lock()
		rows = rowsOf(c)
		s.mu.Unlock()
	}
	query(w, rows, page, size)
}

func (s *Server) contractLines(w http.ResponseWriter, _ *http.Request, body []byte) {
	s.contractRows(w, body, func(c *contract) []map[string]any { return append([]map[string]any(nil), c.Lines...) })
}

func (s *Server) leaseClauses(w http.ResponseWriter, _ *http.Request, body []byte) {
	s.contractRows(w, body, func(*contract) []map[string]any { return nil })
}

// contractPlans answers 3.34, whose only documented key is contractNumber.
func (s *Server) contractPlans(w http.ResponseWriter, _ *http.Request, body []byte) {
	var in struct {
		ContractNumber string `json:"contractNumber"`
	}
	if json.Unmarshal(body, &in) != nil || in.ContractNumber == "" {
		fail(w, "PARAM_ERROR", "contractNumber(合同编码)不能为空")
		return
	}
	page, size, good := pageOf(w, body)
	if !good {
		return
	}
	s.mu.Lock()
	var rows []map[string]any
	for _, p := range s.plans {
		if p.ContractNumber == in.ContractNumber {
			rows = append(rows, p.row())
		}
	}
	s.mu.Unlock()
	query(w, rows, page, size)
}
