package zhenling_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

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
