package kingdeetest

import (
	"encoding/base64"
	"fmt"
	"net/http"

	"github.com/hetong-go/hetong/internal/sign"
)

type file struct {
	name   string
	data   []byte
	done   bool
	billID int64
}

// upload appends one base64 chunk to a file, opening it on the first chunk.
func (s *Server) upload(w http.ResponseWriter, req *request) {
	const op = "attachmentupload"
	d := req.data
	_, interID, _ := ci(d, "InterId")
	_, name, _ := ci(d, "FileName")
	_, fileID, _ := ci(d, "FileId")
	_, chunk, _ := ci(d, "SendByte")
	_, last, _ := ci(d, "IsLast")
	id, _ := toInt(interID)
	b := s.form(req.formID).byID[id]
	if b == nil || str(name) == "" {
		s.writeStatus(w, op, nil, failure(msgNotFound, "InterId", "单据不存在或文件名为空", 0))
		return
	}
	raw, err := base64.StdEncoding.DecodeString(str(chunk))
	if err != nil {
		s.writeStatus(w, op, nil, failure(msgBadParameter, "SendByte", "SendByte不是Base64", 0))
		return
	}
	fid := str(fileID)
	f := s.files[fid]
	if fid == "" {
		fid, _ = sign.Nonce(sign.Hex, 32)
		f = &file{name: str(name), billID: id}
		s.files[fid] = f
	}
	if f == nil || f.done {
		s.writeStatus(w, op, nil, failure(msgNotFound, "FileId", fmt.Sprintf("文件“%s”不存在或已完成", fid), 0))
		return
	}
	f.data = append(f.data, raw...)
	f.done = truthy(last)
	o := &outcome{}
	if f.done {
		s.nextID++
		o.ents = []entity{{s.nextID, "", 0}}
	}
	s.writeStatus(w, op, map[string]any{"FileId": fid, "FileName": f.name, "Message": ""}, o)
}

// download serves one chunk of a stored file from StartIndex.
func (s *Server) download(w http.ResponseWriter, req *request) {
	const op = "attachmentdownload"
	_, fileID, _ := ci(req.data, "FileId")
	_, startV, _ := ci(req.data, "StartIndex")
	f := s.files[str(fileID)]
	if f == nil || !f.done {
		s.writeStatus(w, op, nil, failure(msgNotFound, "FileId", "文件不存在", 0))
		return
	}
	start, _ := toInt(startV)
	start = min(max(start, 0), int64(len(f.data)))
	end := min(start+int64(s.downloadChunk), int64(len(f.data)))
	s.writeStatus(w, op, map[string]any{"StartIndex": end, "IsLast": end >= int64(len(f.data)),
		"FileSize": len(f.data), "FileName": f.name, "FilePart": base64.StdEncoding.EncodeToString(f.data[start:end]), "Message": ""}, &outcome{})
}
