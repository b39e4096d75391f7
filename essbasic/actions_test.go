package essbasic

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// generatedAction is one row of the generated table that calls every
// action with its smallest valid request.
type generatedAction struct {
	name        string
	idempotent  bool
	fileHost    bool
	returns     bool
	call        func(ctx context.Context, c *Client) (any, error)
	newResponse func() any
}

// fill sets every field of v (a pointer) to a non-zero value, so a JSON
// round trip proves that every field survives.
func fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.Pointer:
		if depth > 3 {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth+1)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			fill(v.Field(i), depth)
		}
	case reflect.Slice:
		if depth > 3 {
			return
		}
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), depth+1)
		v.Set(s)
	case reflect.String:
		v.SetString("s")
	case reflect.Int64:
		v.SetInt(7)
	case reflect.Uint64:
		v.SetUint(7)
	case reflect.Float64:
		v.SetFloat(1.5)
	case reflect.Bool:
		v.SetBool(true)
	}
}

// TestEveryActionRoundTrips calls all generated actions through httpmock:
// the request must be signed and carry the default Agent, the response
// must decode with every field intact.
func TestEveryActionRoundTrips(t *testing.T) {
	require.Len(t, generatedActions, 100)
	for _, a := range generatedActions {
		t.Run(a.name, func(t *testing.T) {
			want := a.newResponse()
			fill(reflect.ValueOf(want).Elem(), 0)
			payload, err := json.Marshal(map[string]any{"Response": want})
			require.NoError(t, err)

			mt := httpmock.NewMockTransport()
			host := ProductionHost
			if a.fileHost {
				host = ProductionFileHost
			}
			var calls int
			mt.RegisterResponder(http.MethodPost, "https://"+host+"/", func(r *http.Request) (*http.Response, error) {
				calls++
				body, _ := io.ReadAll(r.Body)
				ts, _ := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
				assert.Equal(t, TC3Authorization("AKIDtest", "secret-key", Service, host, "application/json", ts, body), r.Header.Get("Authorization"))
				assert.Equal(t, a.name, r.Header.Get("X-TC-Action"))
				var sent struct{ Agent Agent }
				require.NoError(t, json.Unmarshal(body, &sent))
				assert.Equal(t, "app-1", sent.Agent.AppId)
				assert.Equal(t, "org-1", sent.Agent.ProxyOrganizationOpenId)
				return httpmock.NewBytesResponse(200, payload), nil
			})
			c, err := NewClient(Config{SecretID: "AKIDtest", SecretKey: "secret-key", Agent: &Agent{
				AppId: "app-1", ProxyOrganizationOpenId: "org-1", ProxyOperator: &UserInfo{OpenId: "op-1"}}}, WithTransport(mt))
			require.NoError(t, err)
			got, err := a.call(context.Background(), c)
			require.NoError(t, err)
			assert.Equal(t, want, got)
			assert.Equal(t, 1, calls)
		})
	}
}
