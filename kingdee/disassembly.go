package kingdee

import "context"

// Disassembly saves one bill and lets the server split it into several by
// the form's split rule (拆单). The request is the one of Save; the
// response's Entities list every bill created, in order. Never retried.
func (c *Client) Disassembly(ctx context.Context, req *SaveRequest) (*SaveResponse, error) {
	if req == nil {
		return nil, inputError("Disassembly", "SaveRequest", "required")
	}
	if err := checkModel("Disassembly", "SaveRequest", req.FormID, req.Model, false); err != nil {
		return nil, err
	}
	return c.save(ctx, "Disassembly", req.FormID, saveData{SaveOptions: req.SaveOptions, Model: req.Model})
}
