package zhenling

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ContractFlowRequest is a contract created the way Zhenling's integration
// guide (集成示例) describes: upload the main file and the attachments
// with sourceDocumentNumber = your contract id (3.4), then create the
// contract with sourceCode = the same id (3.40).
type ContractFlowRequest struct {
	// SourceCode is your system's unique contract id (来源单据号). Required.
	SourceCode string
	// MainFile is the contract's main file (主文件). Required.
	MainFile *FileUploadRequest
	// Attachments are uploaded after the main file, in order.
	Attachments []*FileUploadRequest
	// Contract is the 3.40 item. An empty SourceCode is set to SourceCode;
	// any other value must equal it.
	Contract ContractCreate
	// UserContext applies to the create call.
	UserContext
}

// ContractFlowResponse is the outcome of CreateContractWithFiles: the
// uploaded files (main file first) and the 3.40 receipt. The contract
// itself is created asynchronously and reported by callback.
type ContractFlowResponse struct {
	Files   []*UploadResponse
	Receipt *Receipt
}

// CreateContractWithFiles uploads the files and creates the contract. The
// request is checked completely before anything is sent (a sourceCode
// that differs between an upload and the contract is an error naming the
// field). When a step fails after files were uploaded, the error comes
// with the response so far, whose Files you may clear with
// [FileService.ClearSourceFiles].
func (c *Client) CreateContractWithFiles(ctx context.Context, req *ContractFlowRequest) (*ContractFlowResponse, error) {
	files, item, err := req.prepare()
	if err != nil {
		return nil, withOp("CreateContractWithFiles", err)
	}
	out := &ContractFlowResponse{}
	for _, f := range files {
		up, err := c.Files.Upload(ctx, f)
		if err != nil {
			return partial(out), uploadFailed(f.FileName, err)
		}
		out.Files = append(out.Files, up)
	}
	rc, err := c.Contracts.Create(ctx, &ContractCreateRequest{Data: []ContractCreate{item}, UserContext: req.UserContext})
	if err != nil {
		return partial(out), err
	}
	out.Receipt = rc
	return out, nil
}

// uploadFailed says which file a failed upload was, in the upload's own
// *Error ("zhenling: 3.4: upload contract.pdf: …"), so that its code,
// request id and status stay where errors.As finds them.
func uploadFailed(name string, err error) error {
	var ze *Error
	if errors.As(err, &ze) {
		ze.Message = "upload " + name + ": " + ze.Message
		return ze
	}
	return &Error{Op: OpFileUpload, Message: "upload " + name, Err: err}
}

func partial(out *ContractFlowResponse) *ContractFlowResponse {
	if len(out.Files) == 0 {
		return nil
	}
	return out
}

// prepare checks the whole request and returns copies with the source
// code filled in, leaving the caller's values unchanged.
func (r *ContractFlowRequest) prepare() ([]*FileUploadRequest, ContractCreate, error) {
	const where = "ContractFlowRequest"
	if r == nil {
		return nil, ContractCreate{}, nilRequest(where)
	}
	id := strings.TrimSpace(r.SourceCode)
	if id == "" {
		return nil, ContractCreate{}, invalid("ContractFlowRequest.SourceCode", required+" (your system's unique contract id, 来源单据号)")
	}
	if r.MainFile == nil {
		return nil, ContractCreate{}, invalid("ContractFlowRequest.MainFile", required)
	}
	item := r.Contract
	if item.SourceCode == "" {
		item.SourceCode = id
	} else if item.SourceCode != id {
		return nil, ContractCreate{}, invalidf("ContractFlowRequest.Contract.SourceCode", "must equal SourceCode %q (3.40's sourceCode is 3.4's sourceDocumentNumber), got %q", id, item.SourceCode)
	}
	all := append([]*FileUploadRequest{r.MainFile}, r.Attachments...)
	files := make([]*FileUploadRequest, len(all))
	for i, f := range all {
		at := "MainFile"
		if i > 0 {
			at = fmt.Sprintf("Attachments[%d]", i-1)
		}
		if f == nil {
			return nil, ContractCreate{}, invalid(where+"."+at, required)
		}
		cp := *f
		if cp.SourceDocumentNumber == "" {
			cp.SourceDocumentNumber = id
		} else if cp.SourceDocumentNumber != id {
			return nil, ContractCreate{}, invalidf(where+"."+at+".SourceDocumentNumber", "must equal SourceCode %q, got %q", id, cp.SourceDocumentNumber)
		}
		if strings.TrimSpace(cp.FileName) == "" || cp.Body == nil {
			return nil, ContractCreate{}, invalid(where+"."+at+".FileName and Body", required)
		}
		files[i] = &cp
	}
	if _, err := (&ContractCreateRequest{Data: []ContractCreate{item}, UserContext: r.UserContext}).body(where); err != nil {
		return nil, ContractCreate{}, err
	}
	return files, item, nil
}
