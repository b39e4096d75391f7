package zhenlingtest

import (
	"encoding/json"
	"strconv"
)

type storedFile struct {
	Key, Name, ContentType, SourceDocumentNumber string
	Data                                         []byte
}

type contract struct {
	ID                                 int
	UUID, Number, Serial, Name, Status string
	SourceSystem, SourceCode, Amount   string
	StartDate, EndDate, CategoryUUID   string
	Department, Party                  string // 签订部门 code, counterparty's partyNumber
	Created, Updated                   string
	Lines                              []map[string]any
}

func (c *contract) row() map[string]any {
	return map[string]any{
		"id": strconv.Itoa(c.ID), "uuid": c.UUID, "contractNumber": c.Number, "contractSerialNumber": c.Serial,
		"contractName": c.Name, "statusCode": c.Status, "sourceSystem": c.SourceSystem, "sourceCode": c.SourceCode,
		"otherSourceReceipt": c.SourceCode, "amount": c.Amount, "startDate": c.StartDate, "endDate": c.EndDate,
		"categoryUuid": c.CategoryUUID, "objectVersionNumber": "1", "creationDate": c.Created, "lastUpdateDate": c.Updated,
	}
}

func (c *contract) matches(number, serial, uuid string) bool {
	if number == "" && serial == "" && uuid == "" {
		return false
	}
	return (number == "" || number == c.Number) && (serial == "" || serial == c.Serial) && (uuid == "" || uuid == c.UUID)
}

type plan struct {
	ID                                         int64
	UUID, ContractUUID, ContractNumber         string
	SourceScheduleID, PaymentName, ExpenseItem string
	Period, InvoiceType, Currency, PlanDate    string
	PlanAmount, PaidAmount, FeeWithoutTax, Tax json.Number
	PaymentStatus, Created, Updated            string
	Version                                    int
}

// row is the 3.34 shape: numbers as strings.
func (p *plan) row() map[string]any {
	return map[string]any{
		"id": strconv.FormatInt(p.ID, 10), "uuid": p.UUID, "contractUuid": p.ContractUUID,
		"sourceScheduleId": p.SourceScheduleID, "paymentName": p.PaymentName, "expenseItem": p.ExpenseItem,
		"planType": "ACYCLIC", "period": p.Period, "invoiceType": p.InvoiceType, "currency": p.Currency,
		"planDate": p.PlanDate, "planAmount": string(p.PlanAmount), "paidAmount": string(p.PaidAmount),
		"feeWithoutTax": string(p.FeeWithoutTax), "tax": string(p.Tax), "paymentStatus": p.PaymentStatus,
		"dataSources": "INTERFACE_CREATE", "objectVersionNumber": strconv.Itoa(p.Version),
		"creationDate": p.Created, "lastUpdateDate": p.Updated,
	}
}

// payRow is the 6.4 shape: numbers as numbers.
func (p *plan) payRow() map[string]any {
	r := p.row()
	r["id"] = p.ID
	r["planAmount"] = p.PlanAmount
	r["objectVersionNumber"] = p.Version
	if p.PaidAmount != "" {
		r["paidAmount"] = p.PaidAmount
	}
	return r
}

// springPage slices rows into a Spring Data page. page is the number
// the client sent, in an operation whose first page is base.
func springPage(rows []map[string]any, page, base, size int) map[string]any {
	total := len(rows)
	index := page - base
	from := total
	if index < total {
		from = min(index*size, total)
	}
	to := min(from+size, total)
	content := rows[from:to]
	pages := 0
	if size > 0 {
		pages = (total + size - 1) / size
	}
	return map[string]any{
		"content": content, "totalElements": total, "totalPages": pages, "number": page, "size": size,
		"numberOfElements": len(content), "first": index == 0, "last": index+1 >= pages, "empty": len(content) == 0,
	}
}
