package zhenling_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/zhenling"
	"github.com/hetong-go/hetong/zhenling/zhenlingtest"
)

// TestPublicTypesAreDeclaredHere: go doc shows their fields and methods,
// which an alias of an internal type would hide.
func TestPublicTypesAreDeclaredHere(t *testing.T) {
	for _, typ := range []reflect.Type{
		reflect.TypeFor[zhenling.RetryPolicy](), reflect.TypeFor[zhenling.TokenStore](), reflect.TypeFor[zhenling.RateLimiter](),
		reflect.TypeFor[zhenling.Deduper](), reflect.TypeFor[zhenling.String](),
	} {
		assert.Equal(t, "github.com/hetong-go/hetong/zhenling", typ.PkgPath(), typ.String())
	}
}

// TestAmountsOnTheWire: each endpoint gets money in its sample's form,
// whatever form the Amount came in, with exactly the digits given.
func TestAmountsOnTheWire(t *testing.T) {
	var fromString hetong.Amount
	require.NoError(t, json.Unmarshal([]byte(`"500.10"`), &fromString))
	fromNumber, err := hetong.ParseAmount("1000.12")
	require.NoError(t, err)

	b, err := json.Marshal(zhenling.ContractCreate{SourceCode: "S", Amount: &fromNumber})
	require.NoError(t, err)
	assert.Contains(t, string(b), `"amount":"1000.12"`, "3.40's sample sends a string")

	b, err = json.Marshal(zhenling.PaymentPlanCreate{ContractNumber: "HT1", PlanAmount: &fromString, Tax: &fromNumber})
	require.NoError(t, err)
	assert.Contains(t, string(b), `"planAmount":500.10`, "6.5's sample sends numbers")
	assert.Contains(t, string(b), `"tax":1000.12`)

	b, err = json.Marshal(zhenling.ContractLineItem{Price: &fromString, Quantity: "2"})
	require.NoError(t, err)
	assert.Equal(t, `{"price":500.10,"quantity":2}`, string(b))

	var plan zhenling.PaymentPlan
	require.NoError(t, json.Unmarshal([]byte(`{"planAmount":"190.99","paidAmount":100,"tax":"","feeWithoutTax":null}`), &plan))
	assert.Equal(t, "190.99", plan.PlanAmount.String())
	assert.Equal(t, "100", plan.PaidAmount.String())
	assert.True(t, plan.Tax.IsZero())
}

// TestFlowErrorHasOnePrefix: an upload that fails inside
// CreateContractWithFiles reads "zhenling: 3.4: upload <name>: …", once.
func TestFlowErrorHasOnePrefix(t *testing.T) {
	srv := zhenlingtest.NewServer()
	t.Cleanup(srv.Close)
	c := srv.Client()
	srv.FailNext(zhenlingtest.Fault{Match: zhenling.OpFileUpload, Code: "FILE_TOO_LARGE", Message: "文件过大"})
	_, err := c.CreateContractWithFiles(context.Background(), &zhenling.ContractFlowRequest{SourceCode: "S1",
		MainFile: &zhenling.FileUploadRequest{FileName: "contract.pdf", Body: strings.NewReader("pdf")}})
	require.Error(t, err)
	assert.Equal(t, "zhenling: 3.4: upload contract.pdf: 文件过大 (code FILE_TOO_LARGE, HTTP 200)", err.Error())
	assert.Equal(t, 1, strings.Count(err.Error(), "zhenling:"))
	assert.True(t, zhenling.IsCode(err, "FILE_TOO_LARGE"))
}

type keyLimiter struct{ keys chan string }

func (l keyLimiter) Wait(_ context.Context, key string) error {
	select {
	case l.keys <- key:
	default:
	}
	return nil
}

type keyStore struct {
	zhenling.TokenStore
	keys []string
}

func (s *keyStore) Get(ctx context.Context, key string) (string, time.Time, error) {
	s.keys = append(s.keys, key)
	return s.TokenStore.Get(ctx, key)
}

// TestSharedStateKeys: a shared limiter and token store see the keys the
// contract names, "zhenling:<client id>[:all]", and nothing secret.
func TestSharedStateKeys(t *testing.T) {
	srv := zhenlingtest.NewServer()
	t.Cleanup(srv.Close)
	lim := keyLimiter{keys: make(chan string, 8)}
	store := &keyStore{TokenStore: &mapStore{m: map[string]stored{}}}
	c := srv.Client(zhenling.WithRateLimiter(lim), zhenling.WithTokenStore(store))
	_, err := c.Contracts.List(context.Background(), &zhenling.ContractListRequest{Paging: zhenling.Paging{Size: 1}})
	require.NoError(t, err)
	assert.Equal(t, "zhenling:"+zhenlingtest.ClientID+":all", <-lim.keys)
	require.NotEmpty(t, store.keys)
	assert.Equal(t, "zhenling:"+zhenlingtest.ClientID, store.keys[0])
}

type stored struct {
	v   string
	exp time.Time
}

// mapStore is a minimal TokenStore for the test.
type mapStore struct {
	mu sync.Mutex
	m  map[string]stored
}

func (s *mapStore) Get(_ context.Context, key string) (string, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.m[key]
	return e.v, e.exp, nil
}

func (s *mapStore) Set(_ context.Context, key, value string, expiry time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = stored{value, expiry}
	return nil
}

func (s *mapStore) TryLock(context.Context, string, time.Duration) (func(context.Context) error, bool, error) {
	return func(context.Context) error { return nil }, true, nil
}
