package zhenlingtest

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/hetong-go/hetong/zhenling"
)

// Billing statuses 6.7 accepts (its page prints the enum as "NPAR"). The
// fake reports a plan paid in full (6.4 ALL_PAID) as "A" and any other
// plan as "N"; P and R are accepted as filters and match nothing.
var billingStatuses = map[string]bool{"N": true, "P": true, "A": true, "R": true}

// invoices answers 6.7 开票信息查询 with one invoice application per
// payment plan of the fake's contracts, in plan order. The nested lists
// the show* flags add use names the fake makes up (billingLines,
// billingContacts, billingRegists): the platform's are not published.
func (s *Server) invoices(w http.ResponseWriter, _ *http.Request, body []byte) {
	var in struct {
		BillingStatus      string `json:"billingStatus"`
		ShowBillingLine    bool   `json:"showBillingLine"`
		ShowBillingContact bool   `json:"showBillingContact"`
		ShowBillingRegist  bool   `json:"showBillingRegist"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		fail(w, "PARAM_ERROR", "请求参数格式错误")
		return
	}
	if in.BillingStatus != "" && !billingStatuses[in.BillingStatus] {
		fail(w, "PARAM_ERROR", "billingStatus不合法: "+in.BillingStatus)
		return
	}
	page, size, good := pageOf(w, body)
	if !good {
		return
	}
	s.mu.Lock()
	var rows []map[string]any
	for _, p := range s.plans {
		c := s.byNumber(p.ContractNumber)
		if c == nil {
			continue
		}
		row := invoiceRow(c, p)
		if in.BillingStatus != "" && row["billingStatus"] != in.BillingStatus {
			continue
		}
		if in.ShowBillingLine {
			row["billingLines"] = []map[string]any{p.row()}
		}
		if in.ShowBillingContact {
			row["billingContacts"] = []map[string]any{{"partyName": c.Party, "address": ""}}
		}
		if in.ShowBillingRegist && row["billingStatus"] == "A" {
			row["billingRegists"] = []map[string]any{{"invoiceAmount": string(p.PaidAmount), "registDate": p.Updated}}
		}
		rows = append(rows, row)
	}
	s.mu.Unlock()
	query(w, rows, page, size)
}

func invoiceRow(c *contract, p *plan) map[string]any {
	status := "N"
	if p.PaymentStatus == zhenling.PaymentStatusAllPaid {
		status = "A"
	}
	return map[string]any{
		"billingId": strconv.FormatInt(p.ID, 10), "applicationNumber": "KP" + strconv.FormatInt(p.ID, 10),
		"billingType": "INVOICE APPLICATION", "billingStatus": status, "billingSubjectName": c.Name,
		"reqDepartmentName": c.Department, "partyName": c.Party, "contractNumber": c.Number,
		"submitDate": p.Created, "objectVersionNumber": strconv.Itoa(p.Version),
		"creationDate": p.Created, "lastUpdateDate": p.Updated,
	}
}

// byNumber finds a contract by its number; s.mu is held.
func (s *Server) byNumber(number string) *contract {
	for _, c := range s.contracts {
		if c.Number == number {
			return c
		}
	}
	return nil
}
