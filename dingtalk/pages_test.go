package dingtalk

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pagingServer answers the new API's token call and, for every other call,
// the next of answers (the last one repeats); it records the bodies sent.
func pagingServer(t *testing.T, answers ...string) (*Client, *[]string) {
	t.Helper()
	var mu sync.Mutex
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/v1.0/oauth2/accessToken":
			_, _ = io.WriteString(w, `{"accessToken":"t","expireIn":7200}`)
			return
		case "/gettoken":
			_, _ = io.WriteString(w, `{"errcode":0,"access_token":"t","expires_in":7200}`)
			return
		}
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		bodies = append(bodies, string(b)+"\n"+r.URL.RawQuery)
		i := min(len(bodies), len(answers)) - 1
		_, _ = io.WriteString(w, answers[i])
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(Config{AppKey: "k", AppSecret: "s"}, WithNewAPIBaseURL(srv.URL), WithBaseURL(srv.URL), WithRateLimit(0, 0))
	require.NoError(t, err)
	return c, &bodies
}

func collect[T any](t *testing.T, seq func(func(T, error) bool)) ([]T, error) {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

func TestTokenPagingFollowsTheCursor(t *testing.T) {
	c, bodies := pagingServer(t,
		`{"result":{"list":["a","b"],"nextToken":"10"}}`,
		`{"result":{"list":["c"]}}`)
	ids, err := collect(t, c.AllProcessInstanceIds(context.Background(), &ListProcessInstanceIdsRequest{ProcessCode: "P", StartTime: 1, MaxResults: 2}))
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "c"}, ids)
	require.Len(t, *bodies, 2)
	var second map[string]any
	require.NoError(t, json.Unmarshal([]byte(strings.Split((*bodies)[1], "\n")[0]), &second))
	assert.Equal(t, float64(10), second["nextToken"], "the answer's token is sent back")
}

// TestCursorCycleEndsWithAnError: 10 → 20 → 10 must not loop.
func TestCursorCycleEndsWithAnError(t *testing.T) {
	c, bodies := pagingServer(t,
		`{"result":{"list":["a"],"nextToken":"10"}}`,
		`{"result":{"list":["b"],"nextToken":"20"}}`,
		`{"result":{"list":["c"],"nextToken":"10"}}`)
	ids, err := collect(t, c.AllProcessInstanceIds(context.Background(), &ListProcessInstanceIdsRequest{ProcessCode: "P", StartTime: 1, MaxResults: 1}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `cursor "10" came round again`)
	assert.Equal(t, []string{"a", "b", "c"}, ids)
	assert.Len(t, *bodies, 3, "no fourth request")
}

func TestOldCursorCycleEndsWithAnError(t *testing.T) {
	c, _ := pagingServer(t,
		`{"errcode":0,"result":{"list":["a"],"next_cursor":10}}`,
		`{"errcode":0,"result":{"list":["b"],"next_cursor":20}}`,
		`{"errcode":0,"result":{"list":["c"],"next_cursor":10}}`)
	_, err := collect(t, c.AllOapiProcessInstanceIds(context.Background(), &OapiListProcessInstanceIdsRequest{ProcessCode: "P", StartTime: 1}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "AllOapiProcessInstanceIds")
}

func TestPageNumberPagingStopsWhenNoMore(t *testing.T) {
	c, bodies := pagingServer(t,
		`{"result":{"list":[{"processInstanceId":"p1"}],"hasMore":true}}`,
		`{"result":{"list":[{"processInstanceId":"p2"}],"hasMore":false}}`)
	got, err := collect(t, c.AllPremiumTodoTasks(context.Background(), &PremiumGetTodoTasksRequest{UserID: "u"}))
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "p2", got[1].ProcessInstanceID)
	assert.Contains(t, (*bodies)[1], "pageNumber=2")
}

func TestOffsetPagingAdvancesByTheItems(t *testing.T) {
	c, bodies := pagingServer(t,
		`{"errcode":0,"records":{"list":[{"record_id":"r1"},{"record_id":"r2"}],"has_more":true}}`,
		`{"errcode":0,"records":{"list":[{"record_id":"r3"}],"has_more":false}}`)
	got, err := collect(t, c.AllOapiWorkrecordsByUserId(context.Background(), &OapiGetWorkrecordsByUserIdRequest{UserID: "u", Limit: 2}))
	require.NoError(t, err)
	assert.Len(t, got, 3)
	var second map[string]any
	require.NoError(t, json.Unmarshal([]byte(strings.Split((*bodies)[1], "\n")[0]), &second))
	assert.Equal(t, float64(2), second["offset"])
}

func TestPageCap(t *testing.T) {
	defer func(n int) { maxPages = n }(maxPages)
	maxPages = 3
	c, bodies := pagingServer(t, `{"result":{"list":[{"processInstanceId":"p"}],"hasMore":true}}`)
	got, err := collect(t, c.AllPremiumTodoTasks(context.Background(), &PremiumGetTodoTasksRequest{UserID: "u"}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), fmt.Sprintf("more than %d pages", 3))
	assert.Len(t, got, 3)
	assert.Len(t, *bodies, 3)
}

func TestIteratorStopsWhenTheLoopBreaks(t *testing.T) {
	c, bodies := pagingServer(t, `{"result":{"list":["a","b"],"nextToken":"10"}}`, `{"result":{"list":["c"]}}`)
	for range c.AllProcessInstanceIds(context.Background(), &ListProcessInstanceIdsRequest{ProcessCode: "P", StartTime: 1, MaxResults: 2}) {
		break
	}
	assert.Len(t, *bodies, 1)
}

func TestIteratorReportsAnInvalidRequest(t *testing.T) {
	c, bodies := pagingServer(t, `{}`)
	_, err := collect(t, c.AllProcessInstanceIds(context.Background(), nil))
	assert.ErrorIs(t, err, ErrInvalidRequest)
	_, err = collect(t, c.AllProcessInstanceIds(context.Background(), &ListProcessInstanceIdsRequest{}))
	assert.ErrorContains(t, err, "ListProcessInstanceIdsRequest.ProcessCode: required")
	assert.Empty(t, *bodies)
}
