package dingtalktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/internal/sign"
)

// SpaceID is the approval DingDrive space (审批钉盘空间) of the fake.
const SpaceID = "20240001"

// AttachmentField is the label of the DDAttachment form field that
// AddAttachment fills.
const AttachmentField = "附件"

// File is an attachment to add to an instance: Content, or when Content is
// nil, Size bytes of a fixed pattern made while they are sent (for large
// downloads without holding them in memory).
type File struct {
	Name    string
	Content []byte
	Size    int64
}

type storedFile struct {
	instance string
	name     string
	content  []byte
	size     int64
	sig      string // the download URL's signature
}

// AddAttachment stores f as an attachment of the instance: it appears in
// the instance's DDAttachment field (AttachmentField) and can be downloaded
// through GrantProcessInstanceForDownloadFile, processinstance/file/url/get
// and GetFileDownloadInfo.
func (s *Server) AddAttachment(instanceID string, f File) (dingtalk.Attachment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.instances[instanceID]
	if !ok {
		return dingtalk.Attachment{}, fmt.Errorf("dingtalktest: no instance %q", instanceID)
	}
	s.seq++
	id := strconv.Itoa(90000000 + s.seq)
	size := f.Size
	if f.Content != nil {
		size = int64(len(f.Content))
	}
	sig, _ := sign.Nonce(sign.Alnum, 24)
	s.files[id] = &storedFile{instance: instanceID, name: f.Name, content: f.Content, size: size, sig: sig}
	a := dingtalk.Attachment{SpaceID: SpaceID, FileID: id, FileName: f.Name, FileSize: size, FileType: extension(f.Name)}
	addToField(in, a)
	return a, nil
}

func extension(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i+1:]
	}
	return ""
}

// addToField appends a to the instance's DDAttachment field, creating it.
func addToField(in *Instance, a dingtalk.Attachment) {
	for i := range in.Form {
		if in.Form[i].Name == AttachmentField {
			var list []dingtalk.Attachment
			_ = json.Unmarshal([]byte(in.Form[i].Value), &list)
			b, _ := json.Marshal(append(list, a))
			in.Form[i].Value = string(b)
			return
		}
	}
	b, _ := json.Marshal([]dingtalk.Attachment{a})
	in.Form = append(in.Form, dingtalk.FormValue{ID: "DDAttachment-1", Name: AttachmentField, Value: string(b), ComponentType: "DDAttachment"})
}

// fileURL answers GrantProcessInstanceForDownloadFile and
// processinstance/file/url/get with a signed URL on the fake.
func (s *Server) fileURL(w http.ResponseWriter, r *http.Request, c *call) {
	a := c.args()
	s.mu.Lock()
	f, ok := s.files[a["fileId"]]
	s.mu.Unlock()
	if !ok || f.instance != a["processInstanceId"] {
		s.fail(w, c.route, "InvalidParameter", "附件不属于该审批实例")
		return
	}
	u := s.downloadURL(a["fileId"], f, true)
	if c.route.newAPI {
		writeOK(w, c.route, map[string]any{"success": true, "result": map[string]any{"downloadUri": u, "fileId": a["fileId"], "spaceId": SpaceID}})
		return
	}
	writeOK(w, c.route, map[string]any{"success": true, "result": map[string]any{"download_uri": u, "file_id": a["fileId"], "space_id": SpaceID}})
}

func (s *Server) downloadURL(id string, f *storedFile, signed bool) string {
	u := s.URL + "/files/" + url.PathEscape(id)
	if signed {
		u += "?sig=" + f.sig
	}
	return u
}

// downloadInfo answers the storage API's GetFileDownloadInfo: a URL and
// the header that must go with it.
func (s *Server) downloadInfo(w http.ResponseWriter, r *http.Request, c *call) {
	s.mu.Lock()
	f, ok := s.files[c.vars["dentryId"]]
	s.mu.Unlock()
	if !ok || c.vars["spaceId"] != SpaceID {
		newErr(w, http.StatusNotFound, "dentryNotExist", "文件不存在")
		return
	}
	writeOK(w, c.route, map[string]any{"protocol": "HEADER_SIGNATURE", "headerSignatureInfo": map[string]any{
		"resourceUrls": []string{s.downloadURL(c.vars["dentryId"], f, false)}, "expirationSeconds": 900,
		"headers": map[string]string{"x-fake-signature": f.sig}, "region": "ZHANGJIAKOU"}})
}

// serveFile streams a stored file to a request that carries its signature
// (in ?sig= or the x-fake-signature header), as DingDrive's signed URLs do.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/files/")
	s.mu.Lock()
	f, ok := s.files[id]
	s.mu.Unlock()
	sig := first(r.URL.Query().Get("sig"), r.Header.Get("x-fake-signature"))
	if !ok || r.Method != http.MethodGet || sig != f.sig {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, "<Error><Code>AccessDenied</Code><Message>signature mismatch</Message></Error>")
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(f.size, 10))
	w.WriteHeader(http.StatusOK)
	if f.content != nil {
		_, _ = io.Copy(w, bytes.NewReader(f.content))
		return
	}
	_, _ = io.Copy(w, Pattern(f.size))
}

// pattern is an endless reader of the bytes 'a'…'z' repeated.
type pattern struct{ off int64 }

func (p *pattern) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = byte('a' + (p.off+int64(i))%26)
	}
	p.off += int64(len(b))
	return len(b), nil
}

// Pattern returns the n bytes a File without Content serves.
func Pattern(n int64) io.Reader { return io.LimitReader(&pattern{}, n) }
