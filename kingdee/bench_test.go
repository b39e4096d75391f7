package kingdee_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/hetong-go/hetong/kingdee"
	"github.com/hetong-go/hetong/kingdee/internal/kdsign"
)

func benchServer(b *testing.B, body string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkSave is one signed Save of a 付款申请单 end to end through the
// SDK, against the same call written with net/http and encoding/json.
func BenchmarkSave(b *testing.B) {
	srv := benchServer(b, okSave)
	model := payApply(1)
	ctx := context.Background()

	b.Run("hetong", func(b *testing.B) {
		cfg := vectorConfig
		cfg.BaseURL = srv.URL + "/k3cloud/"
		c, err := kingdee.NewClient(cfg, kingdee.WithRateLimit(0, 0))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: model}); err != nil {
				b.Fatal(err)
			}
		}
	})

	b.Run("net/http", func(b *testing.B) {
		id := kdsign.Identity{AcctID: vectorConfig.AcctID, Username: vectorConfig.Username, AppID: vectorConfig.AppID,
			AppSecret: vectorConfig.AppSecret, LCID: 2052, OrgNum: "100"}
		signer, err := kdsign.NewSigner(id)
		if err != nil {
			b.Fatal(err)
		}
		const path = "/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc"
		hc := &http.Client{}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			body, err := json.Marshal(map[string]any{"formid": kingdee.FormPayApply, "data": map[string]any{"Model": model}})
			if err != nil {
				b.Fatal(err)
			}
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+path, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			ts := strconv.FormatInt(time.Now().Unix(), 10)
			signer.Apply(req.Header, path, ts, ts)
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var env struct {
				Result struct {
					ResponseStatus struct {
						IsSuccess bool
					}
					ID     int64 `json:"Id"`
					Number string
				}
			}
			if err := json.Unmarshal(raw, &env); err != nil || !env.Result.ResponseStatus.IsSuccess {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSign is the signed headers of one request alone.
func BenchmarkSign(b *testing.B) {
	s, err := kdsign.NewSigner(kdsign.Identity{AcctID: "62f3c9b0acct", Username: "tester", AppID: vectorConfig.AppID,
		AppSecret: vectorConfig.AppSecret, LCID: 2052, OrgNum: "100"})
	if err != nil {
		b.Fatal(err)
	}
	h := http.Header{}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		s.Apply(h, "/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc", "1700000000", "1700000000")
	}
}

// BenchmarkQueryDecode decodes a 1000-row page into structs.
func BenchmarkQueryDecode(b *testing.B) {
	var rows bytes.Buffer
	rows.WriteByte('[')
	for i := 0; i < 1000; i++ {
		if i > 0 {
			rows.WriteByte(',')
		}
		rows.WriteString(`[` + strconv.Itoa(100000+i) + `,"FKSQ` + strconv.Itoa(i) + `","C","备注","货款","PROC-1","100",123.45,null]`)
	}
	rows.WriteByte(']')
	srv := benchServer(b, rows.String())
	cfg := vectorConfig
	cfg.BaseURL = srv.URL + "/k3cloud/"
	c, err := kingdee.NewClient(cfg, kingdee.WithRateLimit(0, 0))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		out, err := kingdee.Query[payRow](ctx, c, &kingdee.QueryRequest{FormID: kingdee.FormPayApply})
		if err != nil || len(out) != 1000 {
			b.Fatal(err)
		}
	}
}
