package qiyuesuotest

import (
	"net/http"
	"strconv"

	"github.com/hetong-go/hetong/qiyuesuo"
)

// route is one endpoint of the platform (generated from the spec).
type route struct {
	name, method, path, body string
	stream, noResult, pair   bool
	required                 []string
	result                   func() any
}

// okOnly marks a result answered with {"responseCode":"00000000"}.
type okOnly struct{}

// op handles one authenticated call under the server lock. It returns the
// result, an optional callback to post after unlocking, or an error.
type op func(p *in) (any, *event, *apiError)

// streamOp serves a download; it takes the lock itself.
type streamOp func(w http.ResponseWriter, p *in)

// ops are the endpoints that keep state; every other endpoint answers
// with its result shape.
func (s *Server) ops() map[string]op {
	return map[string]op{
		"ContractDraft":             s.draft,
		"DocumentAddByFile":         s.addByFile,
		"DocumentAddByFiles":        s.addByFile,
		"DocumentAddByTemplate":     s.addByTemplate,
		"ContractSend":              s.send,
		"ContractSignCompany":       s.sealSign(qiyuesuo.ActionCompany),
		"ContractSignLegalPerson":   s.sealSign(qiyuesuo.ActionLP),
		"ContractSignPersonal":      s.personalSign,
		"ContractEmployeeAudit":     s.audit,
		"ContractSignURL":           s.pageLink("/page/sign"),
		"ContractAppointURL":        s.pageLink("/page/appoint"),
		"ContractViewURL":           s.viewLink,
		"ContractShortURL":          s.shortLink,
		"ContractDownloadURL":       s.downloadLinks,
		"ContractNotice":            s.notice,
		"ContractDetail":            s.detail,
		"ContractList":              s.list,
		"ContractInvalid":           s.invalid,
		"ContractInvalidByFile":     s.invalidByFile,
		"ContractInvalidByTemplate": s.invalidByTemplate,
		"ContractSignInvalid":       s.signInvalid,
		"ContractForceEnd":          s.forceEnd,
		"ContractStream":            s.operationLog,
		"SignatoryAdd":              s.signatoryAdd,
		"SignatoryEdit":             s.signatoryEdit,
		"SignatoryEditV3":           s.signatoryEdit,
		"TemplateDetail":            s.templateDetail,
		"TemplateList":              s.templateList,
		"CategoryList":              s.categoryList,
		"SealList":                  s.sealList,
		"SealDetail":                s.sealDetail,
		"SubCompanyList":            s.subCompanyList,
		"SubCompanyInvite":          s.subCompanyInvite,
		"SubCompanyRemove":          s.subCompanyRemove,
		"EmployeeCreate":            s.employeeCreate,
		"EmployeeDetail":            s.employeeDetail,
		"EmployeeRemove":            s.employeeRemove,
		"EmployeeList":              s.employeeList,
		"CompanyDetail":             s.companyDetail,
		"AppTokenDetail":            s.tokenGet,
		"AppTokenUpdateCallback":    s.tokenUpdate,
	}
}

func (s *Server) streams() map[string]streamOp {
	return map[string]streamOp{
		"ContractDownload":   s.download,
		"DocumentDownload":   s.documentDownload,
		"AttachmentDownload": s.attachmentDownload,
	}
}

func (s *Server) routes() http.Handler {
	m := http.NewServeMux()
	ops, streams := s.ops(), s.streams()
	for _, rt := range generatedRoutes {
		m.Handle(rt.method+" "+rt.path, s.handle(rt, ops[rt.name], streams[rt.name]))
	}
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]any{"code": 1001, "message": "请求失败:no such API " + r.Method + " " + r.URL.Path})
	})
	return m
}

// handle authenticates, reads and checks the input as the platform does,
// then runs the endpoint's state handler or answers with its result shape.
func (s *Server) handle(rt route, h op, st streamOp) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.authenticate(w, r) {
			return
		}
		p, aerr := readInput(r, rt.body)
		if aerr == nil {
			aerr = p.checkRequired(rt)
		}
		if aerr != nil {
			fail(w, aerr)
			return
		}
		if rt.stream {
			if st == nil {
				st = s.sampleFile(rt.name)
			}
			st(w, p)
			return
		}
		if h == nil {
			h = sample(rt)
		}
		s.mu.Lock()
		res, ev, aerr := h(p)
		s.mu.Unlock()
		if aerr != nil {
			fail(w, aerr)
			return
		}
		_ = s.deliver(ev) // the platform retries failed deliveries later; the fake records them
		if _, ok := res.(okOnly); ok || rt.noResult {
			replyOK(w)
			return
		}
		reply(w, res)
	})
}

// sample answers a stateless endpoint: its (empty) result object, or {}
// where the platform publishes no shape.
func sample(rt route) op {
	return func(*in) (any, *event, *apiError) {
		if rt.result != nil {
			return rt.result(), nil, nil
		}
		return map[string]any{}, nil, nil
	}
}

// sampleFile serves a small valid PDF for the downloads that keep no state.
func (s *Server) sampleFile(name string) streamOp {
	return func(w http.ResponseWriter, _ *in) {
		servePDF(w, pdfFile{name: name + ".pdf", text: name})
	}
}

// atoiDefault parses a paging parameter.
func atoiDefault(v string, def int) (int, bool) {
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// paging reads selectOffset/selectLimit as the platform checks them.
func paging(p *in, defLimit int) (offset, limit int, err *apiError) {
	offset, ok1 := atoiDefault(p.get("selectOffset"), 0)
	limit, ok2 := atoiDefault(p.get("selectLimit"), defLimit)
	if !ok1 || !ok2 || offset < 0 || limit < 1 || limit > 1000 {
		return 0, 0, errParam("selectOffset/selectLimit取值错误")
	}
	return offset, limit, nil
}

// window returns the page [offset, offset+limit) of items.
func window[T any](items []T, offset, limit int) []T {
	if offset >= len(items) {
		return []T{}
	}
	return items[offset:min(len(items), offset+limit)]
}
