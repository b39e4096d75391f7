package essbasictest

import (
	"fmt"
	"strings"

	"github.com/hetong-go/hetong/essbasic"
	"github.com/hetong-go/hetong/internal/aesx"
)

// flow is one contract flow the fake keeps.
type flow struct {
	id, name, status, message string // status: INIT, PART, ALL, CANCEL
	createdOn, deadline       int64
	pdf                       []byte
	approvers                 []*approver
	templateID                string
}

type approver struct {
	signID, recipientID, name, mobile, orgName, openID, orgOpenID, typ, status string
	signTime                                                                   int64
}

// blankPDF is what template flows render to.
var blankPDF = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

type handler func(body []byte) (map[string]any, *apiError)

func (s *Server) handlers() map[string]handler {
	return map[string]handler{
		"UploadFiles":                 s.uploadFiles,
		"ChannelCreateFlowByFiles":    s.createFlowByFiles,
		"CreateFlowsByTemplates":      s.createFlowsByTemplates,
		"DescribeFlowDetailInfo":      s.describeFlowDetailInfo,
		"DescribeResourceUrlsByFlows": s.describeResourceUrls,
		"ChannelCancelFlow":           s.cancelFlow,
		"CreateSignUrls":              s.createSignURLs,
	}
}

func (s *Server) uploadFiles(body []byte) (map[string]any, *apiError) {
	var req essbasic.UploadFilesRequest
	if e := parseRequest(body, &req); e != nil {
		return nil, e
	}
	switch {
	case req.BusinessType == "":
		return nil, fail(essbasic.CodeMissingParameter, "缺少 BusinessType")
	case len(req.FileInfos) == 0 || len(req.FileInfos) > 20:
		return nil, fail(essbasic.CodeInvalidParameter, "FileInfos 数量应为 1 到 20")
	}
	ids, urls := []string{}, []string{}
	for _, f := range req.FileInfos {
		content, err := aesx.DecodeBase64(f.FileBody)
		if err != nil || len(content) == 0 {
			return nil, fail(essbasic.CodeInvalidParameterFileType, "文件内容不是有效的 Base64")
		}
		id, url := s.link(f.FileName, content)
		ids, urls = append(ids, id), append(urls, url)
	}
	return map[string]any{"TotalCount": len(ids), "FileIds": ids, "FileUrls": urls,
		"Deadline": s.clock().Add(600e9).Unix()}, nil
}

func (s *Server) createFlowByFiles(body []byte) (map[string]any, *apiError) {
	var req essbasic.ChannelCreateFlowByFilesRequest
	if e := parseRequest(body, &req); e != nil {
		return nil, e
	}
	switch {
	case req.FlowName == "":
		return nil, fail(essbasic.CodeInvalidParameterFlowName, "缺少 FlowName")
	case len(req.FileIds) != 1:
		return nil, fail(essbasic.CodeInvalidParameterFlowFileIds, "目前仅支持单个文件发起")
	case len(req.FlowApprovers) == 0 || len(req.FlowApprovers) > 50:
		return nil, fail(essbasic.CodeInvalidParameterFlowApprovers, "参与者数量不能为空且不能超过数量限制")
	}
	s.mu.Lock()
	f := s.files[req.FileIds[0]]
	s.mu.Unlock()
	if f == nil {
		return nil, fail(essbasic.CodeResourceNotFoundFile, "文件不存在。")
	}
	fl := s.newFlow(req.FlowName, f.content, "")
	items := []map[string]any{}
	for _, a := range req.FlowApprovers {
		ap := s.addApprover(fl, a)
		items = append(items, map[string]any{"SignId": ap.signID, "RecipientId": ap.recipientID})
	}
	s.store(fl)
	return map[string]any{"FlowId": fl.id, "Approvers": items}, nil
}

func (s *Server) createFlowsByTemplates(body []byte) (map[string]any, *apiError) {
	var req essbasic.CreateFlowsByTemplatesRequest
	if e := parseRequest(body, &req); e != nil {
		return nil, e
	}
	if len(req.FlowInfos) == 0 || len(req.FlowInfos) > 20 {
		return nil, fail(essbasic.CodeInvalidParameterFlowInfos, "FlowInfos非法")
	}
	ids, msgs, data := []string{}, []string{}, []string{}
	for _, info := range req.FlowInfos {
		data = append(data, info.CustomerData)
		if info.TemplateId != TemplateID { // a per-flow failure, not a call failure
			ids, msgs = append(ids, ""), append(msgs, "模板不存在")
			continue
		}
		fl := s.newFlow(info.FlowName, blankPDF, TemplateID)
		for _, a := range info.FlowApprovers {
			if a.RecipientId == "" {
				a.RecipientId = TemplateRecipientID
			}
			s.addApprover(fl, a)
		}
		s.store(fl)
		ids, msgs = append(ids, fl.id), append(msgs, "")
	}
	return map[string]any{"FlowIds": ids, "ErrorMessages": msgs, "CustomerData": data}, nil
}

func (s *Server) newFlow(name string, pdf []byte, template string) *flow {
	now := s.clock().Unix()
	return &flow{id: s.newID("flow"), name: name, status: "INIT", createdOn: now, deadline: now + 365*86400,
		pdf: pdf, templateID: template}
}

func (s *Server) addApprover(fl *flow, a essbasic.FlowApproverInfo) *approver {
	typ := "PERSON"
	if a.ApproverType == "ORGANIZATION" || a.OrganizationOpenId != "" || a.OpenId != "" {
		typ = "ORGANIZATION"
	}
	ap := &approver{signID: s.newID("sign"), recipientID: a.RecipientId, name: a.Name, mobile: a.Mobile,
		orgName: a.OrganizationName, openID: a.OpenId, orgOpenID: a.OrganizationOpenId, typ: typ, status: "PENDING"}
	if ap.recipientID == "" {
		ap.recipientID = s.newID("recp")
	}
	fl.approvers = append(fl.approvers, ap)
	return ap
}

func (s *Server) store(fl *flow) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flows[fl.id] = fl
	s.order = append(s.order, fl.id)
}

func (s *Server) flow(id string) *flow {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.flows[id]
}

func (s *Server) describeFlowDetailInfo(body []byte) (map[string]any, *apiError) {
	var req essbasic.DescribeFlowDetailInfoRequest
	if e := parseRequest(body, &req); e != nil {
		return nil, e
	}
	if len(req.FlowIds) == 0 && req.FlowGroupId == "" {
		return nil, fail(essbasic.CodeMissingParameterFlowIdsOrFlowGroupId, "请传入需要查询的合同或合同组的ID。")
	}
	if len(req.FlowIds) > 100 {
		return nil, fail(essbasic.CodeInvalidParameterFlowIds, "合同id列表长度非法")
	}
	infos := []essbasic.FlowDetailInfo{}
	s.mu.Lock()
	for _, id := range req.FlowIds {
		if fl := s.flows[id]; fl != nil {
			infos = append(infos, fl.detail())
		}
	}
	s.mu.Unlock()
	return map[string]any{"ApplicationId": AppID, "ProxyOrganizationOpenId": req.Agent.ProxyOrganizationOpenId, "FlowInfo": infos}, nil
}

// detail renders a flow; the caller holds s.mu.
func (fl *flow) detail() essbasic.FlowDetailInfo {
	d := essbasic.FlowDetailInfo{FlowId: fl.id, FlowName: fl.name, FlowStatus: fl.status, FlowMessage: fl.message,
		CreateOn: fl.createdOn, DeadLine: fl.deadline, TemplateId: fl.templateID}
	for i, a := range fl.approvers {
		d.FlowApproverInfos = append(d.FlowApproverInfos, essbasic.FlowApproverDetail{
			ProxyOrganizationOpenId: a.orgOpenID, ProxyOperatorOpenId: a.openID, ProxyOrganizationName: a.orgName,
			Mobile: a.mobile, SignOrder: int64(i), ApproveName: a.name, ApproveStatus: a.status, ApproveTime: a.signTime,
			ApproveType: a.typ, SignId: a.signID, RecipientId: a.recipientID})
	}
	return d
}

func (s *Server) describeResourceUrls(body []byte) (map[string]any, *apiError) {
	var req essbasic.DescribeResourceUrlsByFlowsRequest
	if e := parseRequest(body, &req); e != nil {
		return nil, e
	}
	switch {
	case len(req.FlowIds) == 0:
		return nil, fail(essbasic.CodeMissingParameterFlowIds, "缺少流程id，请检查后重试。")
	case len(req.FlowIds) > 50:
		return nil, fail(essbasic.CodeInvalidParameterFlowIds, "合同id列表长度非法")
	}
	infos, msgs := []essbasic.FlowResourceUrlInfo{}, []string{}
	for _, id := range req.FlowIds {
		info := essbasic.FlowResourceUrlInfo{FlowId: id, ResourceUrlInfos: []essbasic.ResourceUrlInfo{}}
		fl := s.flow(id)
		if fl == nil {
			infos, msgs = append(infos, info), append(msgs, "查询流程不存在")
			continue
		}
		s.mu.Lock()
		name, pdf := fl.name, fl.pdf
		s.mu.Unlock()
		_, url := s.link(name+".pdf", pdf)
		info.ResourceUrlInfos = append(info.ResourceUrlInfos, essbasic.ResourceUrlInfo{Url: url, Name: name + ".pdf", Type: "PDF"})
		infos, msgs = append(infos, info), append(msgs, "")
	}
	return map[string]any{"FlowResourceUrlInfos": infos, "ErrorMessages": msgs}, nil
}

func (s *Server) cancelFlow(body []byte) (map[string]any, *apiError) {
	var req essbasic.ChannelCancelFlowRequest
	if e := parseRequest(body, &req); e != nil {
		return nil, e
	}
	if req.FlowId == "" {
		return nil, fail(essbasic.CodeMissingParameterFlowId, "缺少流程id，请检查后重试。")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fl := s.flows[req.FlowId]
	switch {
	case fl == nil:
		return nil, fail(essbasic.CodeResourceNotFoundFlow, "未找到对应流程。")
	case fl.status == "ALL" || fl.status == "CANCEL" || fl.status == "REJECT":
		return nil, fail(essbasic.CodeOperationDeniedFlowHasTerminated, "流程已终止。")
	}
	fl.status, fl.message = "CANCEL", req.CancelMessage
	return map[string]any{}, nil
}

func (s *Server) createSignURLs(body []byte) (map[string]any, *apiError) {
	var req essbasic.CreateSignUrlsRequest
	if e := parseRequest(body, &req); e != nil {
		return nil, e
	}
	if len(req.FlowIds) == 0 && req.FlowGroupId == "" {
		return nil, fail(essbasic.CodeMissingParameterFlowIds, "缺少流程id，请检查后重试。")
	}
	infos, msgs := []essbasic.SignUrlInfo{}, []string{}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range req.FlowIds {
		fl := s.flows[id]
		if fl == nil {
			return nil, fail(essbasic.CodeResourceNotFoundFlow, "未找到对应流程。")
		}
		if fl.status != "INIT" && fl.status != "PART" {
			return nil, fail(essbasic.CodeOperationDeniedFlowStatusForbid, "签署流程状态不正确，请检查后重试。")
		}
		for i, a := range fl.approvers {
			if a.status != "PENDING" {
				continue
			}
			infos = append(infos, essbasic.SignUrlInfo{SignUrl: fmt.Sprintf("%s/sign/%s/%s", s.URL, fl.id, a.signID),
				Deadline: fl.deadline, SignOrder: int64(i), SignId: a.signID, Name: a.name, Mobile: a.mobile,
				OrganizationName: a.orgName, ApproverType: a.typ, FlowId: fl.id, OpenId: a.openID})
			msgs = append(msgs, "")
		}
	}
	return map[string]any{"SignUrlInfos": infos, "ErrorMessages": msgs}, nil
}

// statusCode maps a flow status to FlowCallbackStatus.
func statusCode(status string) int {
	return map[string]int{"INIT": 1, "PART": 2, "REJECT": 3, "ALL": 4, "DEADLINE": 5, "CANCEL": 6}[strings.ToUpper(status)]
}
