package zhenlingtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// contractItem is what the fake reads from a 3.40 item.
type contractItem struct {
	SourceCode          string `json:"sourceCode"`
	SourceSystem        string `json:"sourceSystem"`
	ContractName        string `json:"contractName"`
	Amount              string `json:"amount"`
	StartDate           string `json:"startDate"`
	EndDate             string `json:"endDate"`
	CategoryUUID        string `json:"categoryUuid"`
	DepartmentCode      string `json:"departmentCode"`
	ReCreateNewContract bool   `json:"reCreateNewContract"`
	ChildList           []struct {
		ChildType string                       `json:"childType"`
		Data      []map[string]json.RawMessage `json:"data"`
	} `json:"childList"`
}

// createContracts answers 3.40 with a receipt and creates the contracts
// afterwards, posting the outcome to the callback URL.
func (s *Server) createContracts(w http.ResponseWriter, _ *http.Request, body []byte) {
	raws, good := batchItems(w, body)
	if !good {
		return
	}
	items := make([]contractItem, len(raws))
	for i, raw := range raws {
		if err := json.Unmarshal(raw, &items[i]); err != nil || items[i].SourceCode == "" {
			fail(w, "PARAM_ERROR", "第"+strconv.Itoa(i+1)+"行: sourceCode(来源单据号)不能为空")
			return
		}
	}
	batch := newID()
	rows := make([]map[string]any, len(raws))
	for i, raw := range raws {
		rows[i] = receiptRow(batch, raw)
	}
	ok(w, map[string]any{"data": rows})
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.deliver(batch, s.processContracts(batch, items))
	}()
}

// processContracts creates what it can and returns one event per item.
func (s *Server) processContracts(batch string, items []contractItem) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	events := make([]map[string]any, len(items))
	for i, it := range items {
		sys := it.SourceSystem
		if sys == "" {
			sys = "DEFAULT"
		}
		ev := map[string]any{"batchId": batch, "sourceSystem": sys, "sourceCode": it.SourceCode}
		events[i] = ev
		if !s.hasFiles(it.SourceCode) {
			ev["code"], ev["subCode"], ev["message"] = "FAILED", "FILE_NOT_FOUND", "未找到来源单据号对应的合同文件(3.4)"
			continue
		}
		if c := s.bySource(sys, it.SourceCode); c != nil && !it.ReCreateNewContract {
			ev["code"], ev["subCode"], ev["message"] = "FAILED", "SOURCE_CODE_EXISTS", "来源单据已创建合同 "+c.Number
			continue
		}
		c := s.newContract(sys, it)
		ev["code"], ev["subCode"], ev["message"] = "SUCCESS", "CREATED", "合同创建成功"
		ev["contractNumber"], ev["contractSerialNumber"], ev["contractUuid"] = c.Number, c.Serial, c.UUID
	}
	return events
}

func (s *Server) hasFiles(source string) bool {
	for _, f := range s.files {
		if f.SourceDocumentNumber == source {
			return true
		}
	}
	return false
}

func (s *Server) bySource(sys, code string) *contract {
	for _, c := range s.contracts {
		if c.SourceSystem == sys && c.SourceCode == code {
			return c
		}
	}
	return nil
}

func (s *Server) newContract(sys string, it contractItem) *contract {
	n := s.nextSeq()
	now := stamp()
	c := &contract{
		ID: 4073700 + n, UUID: newID(), Number: "HT" + strconv.Itoa(20250000+n), Serial: "LS" + strconv.Itoa(90000+n),
		Name: it.ContractName, Status: "N", SourceSystem: sys, SourceCode: it.SourceCode, Amount: it.Amount,
		StartDate: it.StartDate, EndDate: it.EndDate, CategoryUUID: it.CategoryUUID, Department: it.DepartmentCode,
		Created: now, Updated: now,
	}
	for _, ch := range it.ChildList {
		if ch.ChildType == "partyInformation" {
			c.Party = counterparty(ch.Data, c.Party)
		}
		if ch.ChildType != "contractLine" {
			continue
		}
		for j, line := range ch.Data {
			c.Lines = append(c.Lines, map[string]any{
				"contractLineId": strconv.Itoa(c.ID*100 + j), "uuid": newID(), "serialNumber": strconv.Itoa(j + 1),
				"price": rawText(line["price"]), "quantity": rawText(line["quantity"]), "materialsCode": rawText(line["materialsCode"]),
				"typeCode": "OC_HCBM_CONTRACT_LINE", "arrType": "OC", "createSourceType": "INTERFACE",
				"objectVersionNumber": "1", "creationDate": now, "lastUpdateDate": now,
			})
		}
	}
	s.contracts = append(s.contracts, c)
	return c
}

// counterparty returns the partyNumber of the first party that is not
// ours (ourFlag "true"), or fallback.
func counterparty(parties []map[string]json.RawMessage, fallback string) string {
	for _, p := range parties {
		if rawText(p["ourFlag"]) != "true" && rawText(p["partyNumber"]) != "" {
			return rawText(p["partyNumber"])
		}
	}
	return fallback
}

// rawText renders a JSON scalar as text ("" for absent).
func rawText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// errNoCallbackURL is the Delivery error of a result that had nowhere to go.
var errNoCallbackURL = errors.New("zhenlingtest: no callback URL set (SetCallback)")

// deliver POSTs a batch's events to the callback URL, retrying a failed
// delivery twice. With no URL set, the result is recorded as a failed
// Delivery, never dropped silently.
func (s *Server) deliver(batch string, events []map[string]any) {
	body, _ := json.Marshal(map[string]any{"batchId": batch, "data": events})
	s.mu.Lock()
	url := s.callbackURL
	s.callbacks[batch] = body
	if url == "" {
		s.deliveries = append(s.deliveries, Delivery{Body: body, Err: errNoCallbackURL})
	}
	s.mu.Unlock()
	if url == "" {
		return
	}
	for attempt := 1; attempt <= 3; attempt++ {
		d := s.post(s.ctx, url, body)
		s.mu.Lock()
		s.deliveries = append(s.deliveries, d)
		s.mu.Unlock()
		if d.Err == nil && d.Status/100 == 2 {
			return
		}
		select {
		case <-s.ctx.Done():
			return
		case <-time.After(time.Duration(attempt) * 20 * time.Millisecond):
		}
	}
}

// Redeliver POSTs the callback of batch again, now, as OC does when it
// retries, and returns the receiver's status and body.
func (s *Server) Redeliver(ctx context.Context, batch string) (status int, body []byte, err error) {
	s.mu.Lock()
	url, payload := s.callbackURL, s.callbacks[batch]
	s.mu.Unlock()
	switch {
	case payload == nil:
		return 0, nil, fmt.Errorf("zhenlingtest: Redeliver: no callback for batch %q", batch)
	case url == "":
		return 0, nil, errNoCallbackURL
	}
	d := s.post(ctx, url, payload)
	s.mu.Lock()
	s.deliveries = append(s.deliveries, d)
	s.mu.Unlock()
	return d.Status, d.Answer, d.Err
}

func (s *Server) post(parent context.Context, url string, body []byte) Delivery {
	ctx, cancel := context.WithTimeout(parent, 10*time.Second)
	defer cancel()
	d := Delivery{URL: url, Body: body}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		d.Err = err
		return d
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		d.Err = err
		return d
	}
	defer resp.Body.Close()
	d.Status = resp.StatusCode
	d.Answer, d.Err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
	return d
}

// planItem is what the fake reads from a 6.5 item.
type planItem struct {
	ContractUUID     string      `json:"contractUuid"`
	ContractID       string      `json:"contractId"`
	ContractNumber   string      `json:"contractNumber"`
	SourceScheduleID string      `json:"sourceScheduleId"`
	PaymentName      string      `json:"paymentName"`
	ExpenseItem      string      `json:"expenseItem"`
	Period           string      `json:"period"`
	InvoiceType      string      `json:"invoiceType"`
	Currency         string      `json:"currency"`
	PlanDate         string      `json:"planDate"`
	PlanAmount       json.Number `json:"planAmount"`
	FeeWithoutTax    json.Number `json:"feeWithoutTax"`
	Tax              json.Number `json:"tax"`
	PaymentStatus    string      `json:"paymentStatus"`
}

// createPlans answers 6.5: every plan must name an existing contract; the
// receipt echoes each row with the batch id and the resolved ids.
func (s *Server) createPlans(w http.ResponseWriter, _ *http.Request, body []byte) {
	items, good := batchItems(w, body)
	if !good {
		return
	}
	batch := newID()
	rows := make([]map[string]any, len(items))
	plans := make([]*plan, len(items))
	events := make([]map[string]any, len(items))
	for i, raw := range items {
		var it planItem
		if err := json.Unmarshal(raw, &it); err != nil {
			fail(w, "PARAM_ERROR", "第"+strconv.Itoa(i+1)+"行格式错误")
			return
		}
		key, _ := json.Marshal(map[string]string{"contractUuid": it.ContractUUID, "contractId": it.ContractID, "contractNumber": it.ContractNumber})
		c := s.findContract(key)
		if c == nil {
			fail(w, "CONTRACT_NOT_FOUND", "第"+strconv.Itoa(i+1)+"行: 合同不存在")
			return
		}
		plans[i] = &plan{UUID: newID(), ContractUUID: c.UUID, ContractNumber: c.Number, SourceScheduleID: it.SourceScheduleID,
			PaymentName: it.PaymentName, ExpenseItem: it.ExpenseItem, Period: it.Period, InvoiceType: it.InvoiceType,
			Currency: it.Currency, PlanDate: it.PlanDate, PlanAmount: it.PlanAmount, FeeWithoutTax: it.FeeWithoutTax,
			Tax: it.Tax, PaymentStatus: it.PaymentStatus, Version: 1}
		row := receiptRow(batch, raw)
		row["contractId"], row["contractCreatedBy"] = c.ID, 695643182304997400
		rows[i] = row
		events[i] = map[string]any{"batchId": batch, "sourceSystem": row["sourceSystem"], "sourceCode": it.SourceScheduleID,
			"code": "SUCCESS", "subCode": "CREATED", "message": "付款计划创建成功"}
	}
	s.mu.Lock()
	now := stamp()
	for _, p := range plans {
		p.ID = 38456 + int64(s.nextSeq())
		p.Created, p.Updated = now, now
		s.plans = append(s.plans, p)
	}
	s.mu.Unlock()
	ok(w, map[string]any{"data": rows})
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.deliver(batch, events)
	}()
}

// payPlan answers 6.4 (in its errcode/errmsg shape unless SetEnvelope
// says otherwise). The plan is found by id when one is sent, else by
// sourceScheduleId: the published sample sends "id":"".
func (s *Server) payPlan(w http.ResponseWriter, _ *http.Request, body []byte) {
	var in struct {
		PaymentStatus    string          `json:"paymentStatus"`
		ID               json.RawMessage `json:"id"`
		PaidAmount       json.Number     `json:"paidAmount"`
		SourceScheduleID string          `json:"sourceScheduleId"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&in) != nil || in.PaymentStatus == "" {
		ok(w, map[string]any{"code": "40001", "msg": "paymentStatus不能为空"})
		return
	}
	id := rawText(in.ID)
	if id == "" && in.SourceScheduleID == "" {
		ok(w, map[string]any{"code": "40001", "msg": "id和sourceScheduleId不能同时为空"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.plans {
		if (id != "" && id == strconv.FormatInt(p.ID, 10)) || (id == "" && in.SourceScheduleID == p.SourceScheduleID) {
			p.PaymentStatus, p.PaidAmount, p.Updated = in.PaymentStatus, in.PaidAmount, stamp()
			p.Version++
			ok(w, map[string]any{"code": "0", "msg": "ok", "data": p.payRow()})
			return
		}
	}
	ok(w, map[string]any{"code": "40004", "msg": "付款计划不存在"})
}
