package kingdeetest

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/kingdee"
)

func TestFailNextVocabulary(t *testing.T) {
	s := NewServer()
	defer s.Close()
	ctx := context.Background()
	c := s.Client(kingdee.WithRetry(kingdee.RetryPolicy{MaxAttempts: 1}))
	q := &kingdee.QueryRequest{FormID: "CN_PAYAPPLY", FieldKeys: []string{"FID"}}

	// A MsgCode in Kingdee's envelope, here the wrapped [[…]] shape of queries.
	s.FailNext(Fault{Match: "ExecuteBillQuery", Code: "4", Message: "数据库繁忙"})
	_, err := c.ExecuteBillQuery(ctx, q)
	assert.True(t, kingdee.IsCode(err, kingdee.MsgCodeException), err)
	assert.ErrorContains(t, err, "数据库繁忙")

	// An HTTP status with a body.
	s.FailNext(Fault{Status: http.StatusBadGateway, Body: "<html>502</html>", ContentType: "text/html"})
	_, err = c.ExecuteBillQuery(ctx, q)
	var ke *kingdee.Error
	require.ErrorAs(t, err, &ke)
	assert.Equal(t, http.StatusBadGateway, ke.HTTPStatus)

	// A reset connection, twice (Times).
	s.FailNext(Fault{Reset: true, Times: 2})
	for i := 0; i < 2; i++ {
		_, err = c.ExecuteBillQuery(ctx, q)
		assert.Error(t, err)
	}
	// A delay the caller's deadline cuts short.
	s.FailNext(Fault{Delay: time.Second})
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, err = c.ExecuteBillQuery(short, q)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), err)

	// Match leaves other operations alone; the queue is used up.
	s.FailNext(Fault{Match: "Save", Code: "14"})
	_, err = c.ExecuteBillQuery(ctx, q)
	assert.NoError(t, err)
	assert.Equal(t, 0, s.Calls("Save"))
}

// Client never panics: a refused option falls back to the fake's own.
func TestClientWithBadOption(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := s.Client(kingdee.WithTimeout(-1))
	require.NotNil(t, c)
	_, err := c.ExecuteBillQuery(context.Background(), &kingdee.QueryRequest{FormID: "X", FieldKeys: []string{"FID"}})
	assert.NoError(t, err)
	cfg := s.Config()
	assert.Equal(t, s.URL, cfg.BaseURL)
	_, err = kingdee.NewClient(cfg, s.Options()...)
	assert.NoError(t, err)
}
