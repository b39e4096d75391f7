package zhenling_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/internal/token"
	"github.com/hetong-go/hetong/zhenling"
	"github.com/hetong-go/hetong/zhenling/zhenlingtest"
)

func TestSharedTokenStore(t *testing.T) {
	srv := zhenlingtest.NewServer()
	t.Cleanup(srv.Close)
	store := token.NewMemoryStore()
	cfg := zhenling.Config{BaseURL: srv.URL, ClientID: zhenlingtest.ClientID, ClientSecret: zhenlingtest.ClientSecret}
	for range 3 {
		c, err := zhenling.NewClient(cfg, zhenling.WithTokenStore(store))
		require.NoError(t, err)
		_, err = c.Contracts.List(context.Background(), listReq)
		require.NoError(t, err)
	}
	assert.Equal(t, 1, srv.TokenFetches(), "clients sharing a store share the token")
}

func TestInvokeRawEscapeHatch(t *testing.T) {
	srv, c := newFakeClient(t)
	res, err := c.Invoke(context.Background(), &zhenling.InvokeRequest{
		InvokeCode: zhenling.SingleScript, Domain: "BASE.CONTRACT.PAGE_QUERY", Idempotent: true,
		Body: json.RawMessage(`{"page":0,"size":5,"statusCode":"N"}`),
	})
	require.NoError(t, err)
	assert.Equal(t, "0", res.Code)
	var page struct{ Content []json.RawMessage }
	require.NoError(t, res.Decode(&page))
	assert.Empty(t, page.Content)
	assert.Equal(t, `{"page":0,"size":5,"statusCode":"N"}`, string(srv.LastBody(zhenling.OpContractList)))

	_, err = c.Invoke(context.Background(), &zhenling.InvokeRequest{InvokeCode: zhenling.SingleScript, Domain: "NO.SUCH.DOMAIN", Body: map[string]any{}})
	var ze *zhenling.Error
	require.ErrorAs(t, err, &ze)
	assert.Equal(t, 404, ze.HTTPStatus)
	assert.Equal(t, "hitf.error.interface_not_found", ze.Code)
}

func TestContractCreateExtraConflict(t *testing.T) {
	_, c := newFakeClient(t)
	_, err := c.Contracts.Create(context.Background(), &zhenling.ContractCreateRequest{Data: []zhenling.ContractCreate{{
		SourceCode: "S1", Extra: map[string]any{"sourceCode": "S2"},
	}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `zhenling: 3.40: ContractCreateRequest.Data[0].Extra["sourceCode"]: must not repeat a typed field`)

	b, err := json.Marshal(zhenling.ContractCreate{SourceCode: "S1", Amount: amt("1000.12"), Extra: map[string]any{"validFlag": true},
		ChildList: []zhenling.ContractChild{
			zhenling.Children(zhenling.ChildPartyInformation, zhenling.PartyInformation{RoleCode: "J", RoleOrder: "1", PartyNumber: "91310000MA1FL0000X", OurFlag: "true"}),
			{ChildType: "attachments", Data: []any{map[string]any{"fileKey": "k"}}},
		}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"autoCreateFlag":false,"autoSubmit":false,"sourceCode":"S1","amount":"1000.12","reCreateNewContract":false,"validFlag":true,
		"childList":[{"childType":"partyInformation","data":[{"roleCode":"J","roleOrder":"1","partyNumber":"91310000MA1FL0000X","ourFlag":"true"}]},
		{"childType":"attachments","data":[{"fileKey":"k"}]}]}`, string(b))
}
