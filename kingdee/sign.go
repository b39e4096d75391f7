package kingdee

import (
	"net/http"
	"strconv"

	"github.com/hetong-go/hetong/kingdee/internal/kdsign"
)

// SignHeaders computes the signed headers of 「第三方系统登录授权」 for one
// request, as the client sends them: X-Api-ClientID, X-Api-Auth-Version,
// x-api-timestamp, x-api-nonce, x-api-signheaders, X-Api-Signature,
// X-Kd-Appkey, X-Kd-Appdata and X-Kd-Signature. path is the URL path,
// e.g. "/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc".
// Use it to reproduce a signature Kingdee support asks about; the client
// draws timestamp (WithClock) and nonce (WithRandom) itself. It needs
// AcctID, Username, AppID and AppSecret; LCID and OrgNum default as in
// NewClient.
func SignHeaders(cfg Config, path, timestamp, nonce string) (http.Header, error) {
	cfg.Auth = AuthSignedHeaders
	if cfg.BaseURL == "" {
		cfg.BaseURL = "-" // not part of the signature
	}
	if err := cfg.normalise(); err != nil {
		return nil, err
	}
	s, err := kdsign.NewSigner(cfg.identity())
	if err != nil {
		return nil, configError("Config.AppID", err.Error())
	}
	h := http.Header{}
	s.Apply(h, path, timestamp, nonce)
	return h, nil
}

// LoginSignature is the sign parameter of LoginBySign: the lowercase hex
// SHA-256 of acctID, username, appID, appSecret and the Unix timestamp in
// seconds, sorted and concatenated.
func LoginSignature(acctID, username, appID, appSecret string, unixSeconds int64) string {
	return kdsign.LoginSign(acctID, username, appID, appSecret, strconv.FormatInt(unixSeconds, 10))
}
