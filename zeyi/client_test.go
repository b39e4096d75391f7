package zeyi

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewClientValidates(t *testing.T) {
	for want, tc := range map[string]struct {
		cfg  Config
		opts []Option
	}{
		"zeyi: Config.AppKey: required":                                        {Config{AppSecret: "s"}, nil},
		"zeyi: Config.AppSecret: required":                                     {Config{AppKey: "k"}, nil},
		"zeyi: Config.Environment: want":                                       {Config{AppKey: "k", AppSecret: "s"}, nil},
		`zeyi: Config.Environment: want "test" or "production", got "staging"`: {Config{AppKey: "k", AppSecret: "s", Environment: "staging"}, nil},
		"zeyi: base URL":                                                       {Config{AppKey: "k", AppSecret: "s"}, []Option{WithBaseURL("ftp://x")}},
		"zeyi: timeout":                                                        {Config{AppKey: "k", AppSecret: "s", Environment: Test}, []Option{WithTimeout(-1)}},
		"zeyi: retry":                                                          {Config{AppKey: "k", AppSecret: "s", Environment: Test}, []Option{WithRetry(RetryPolicy{})}},
		"zeyi: rate limit":                                                     {Config{AppKey: "k", AppSecret: "s", Environment: Test}, []Option{WithRateLimit(-1, 0)}},
		"zeyi: HTTP client":                                                    {Config{AppKey: "k", AppSecret: "s", Environment: Test}, []Option{WithHTTPClient(nil)}},
		"zeyi: transport":                                                      {Config{AppKey: "k", AppSecret: "s", Environment: Test}, []Option{WithTransport(nil)}},
		"zeyi: clock":                                                          {Config{AppKey: "k", AppSecret: "s", Environment: Test}, []Option{WithClock(nil)}},
		"zeyi: Config.Encryption: AppSecret as AES key":                        {Config{AppKey: "k", AppSecret: "s", Environment: Test, Encryption: &Encryption{}}, nil},
	} {
		c, err := NewClient(tc.cfg, tc.opts...)
		assert.Nil(t, c)
		require.Error(t, err, want)
		assert.Contains(t, err.Error(), want)
	}
}

func TestNewClientEnvironments(t *testing.T) {
	for env, want := range map[Environment]string{Test: TestBaseURL, Production: ProductionBaseURL} {
		c, err := NewClient(Config{AppKey: "k", AppSecret: "s", Environment: env}, nil, WithLogger(nil))
		require.NoError(t, err)
		assert.Equal(t, want, c.tc.BaseURL())
		assert.Nil(t, c.Cipher())
	}
	c, err := NewClient(Config{AppKey: "k", AppSecret: "s", Environment: Production}, WithBaseURL("http://127.0.0.1:1/tms-service-api/"))
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:1/tms-service-api", c.tc.BaseURL(), "WithBaseURL wins")
}
