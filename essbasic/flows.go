package essbasic

// FlowResult pairs one flow of a DescribeResourceUrlsByFlows call with its
// download links or its failure: a successful call can still fail for
// single flows (ErrorMessages[i] is "" only when flow i succeeded).
type FlowResult struct {
	// FlowID is the flow (合同流程) id.
	FlowID string
	// URLs are the flow's resources (PDFs); each Url expires after 5 minutes.
	URLs []ResourceUrlInfo
	// Err is a *FlowError when the platform could not give this flow's links.
	Err error
}

// FlowError is the per-flow failure reported in ErrorMessages.
type FlowError struct {
	FlowID  string
	Message string // the platform's reason, e.g. 查询流程不存在
}

// Error names the flow and the platform's message for it.
func (e *FlowError) Error() string { return "essbasic: flow " + e.FlowID + ": " + e.Message }

// FlowResults pairs FlowResourceUrlInfos with ErrorMessages by position,
// the order of the request's FlowIds. When the platform returns lists of
// different lengths, flows are matched by FlowId and a flow without an
// entry in ErrorMessages counts as failed only if it has no links.
func (r *DescribeResourceUrlsByFlowsResponse) FlowResults() []FlowResult {
	out := make([]FlowResult, 0, len(r.FlowResourceUrlInfos))
	for i, info := range r.FlowResourceUrlInfos {
		res := FlowResult{FlowID: info.FlowId, URLs: info.ResourceUrlInfos}
		msg := ""
		if len(r.ErrorMessages) == len(r.FlowResourceUrlInfos) {
			msg = r.ErrorMessages[i]
		} else if len(info.ResourceUrlInfos) == 0 {
			msg = "no resource URLs returned"
		}
		if msg != "" {
			res.Err = &FlowError{FlowID: info.FlowId, Message: msg}
		}
		out = append(out, res)
	}
	return out
}
