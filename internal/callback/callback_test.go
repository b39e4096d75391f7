package callback

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadBodyLimitAndRestore(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("hello"))
	b, err := ReadBody(r, 5)
	require.NoError(t, err)
	assert.Equal(t, "hello", string(b))
	again, _ := io.ReadAll(r.Body)
	assert.Equal(t, "hello", string(again))

	r = httptest.NewRequest(http.MethodPost, "/", strings.NewReader("hello!"))
	_, err = ReadBody(r, 5)
	var ce *Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, http.StatusRequestEntityTooLarge, ce.Status)
	assert.ErrorIs(t, err, ErrTooLarge)
}

func TestChecks(t *testing.T) {
	assert.NoError(t, CheckSignature("ABCdef", "abcdef"))
	assert.ErrorIs(t, CheckSignature("abcdee", "abcdef"), ErrSignature)
	assert.ErrorIs(t, CheckSignature("", ""), ErrSignature)
	now := time.Now()
	assert.NoError(t, CheckWindow(now.Add(-time.Minute), now, 5*time.Minute))
	assert.ErrorIs(t, CheckWindow(now.Add(-6*time.Minute), now, 5*time.Minute), ErrStale)
	assert.ErrorIs(t, CheckWindow(now.Add(6*time.Minute), now, 5*time.Minute), ErrStale)
	assert.NoError(t, CheckWindow(time.Time{}, now, 0))
}

func TestCheckReplay(t *testing.T) {
	now := time.Now()
	d := NewMemoryDeduper(func() time.Time { return now })
	ctx := context.Background()
	assert.NoError(t, CheckReplay(ctx, d, "n1", time.Minute))
	assert.ErrorIs(t, CheckReplay(ctx, d, "n1", time.Minute), ErrReplay)
	now = now.Add(2 * time.Minute)
	assert.NoError(t, CheckReplay(ctx, d, "n1", time.Minute))
	Forget(d, "n1")
	assert.NoError(t, CheckReplay(ctx, d, "n1", time.Minute))
	assert.NoError(t, CheckReplay(ctx, nil, "n1", time.Minute))
}

func TestStatusOf(t *testing.T) {
	cases := map[error]int{
		nil: 200, ErrTooLarge: 413, ErrSignature: 401, ErrStale: 401, ErrReplay: 409,
		ErrDecrypt: 400, ErrMalformed: 400, errors.New("x"): 400,
		Malformed("no body", nil): 400, MethodNotAllowed("GET"): 405, Undecryptable(): 400,
	}
	for err, want := range cases {
		assert.Equal(t, want, StatusOf(err), "%v", err)
	}
	assert.ErrorIs(t, Malformed("bad json", errors.New("eof")), ErrMalformed)
	assert.ErrorIs(t, Undecryptable(), ErrDecrypt)
}
func TestHandlerAcksOnlyAfterSuccess(t *testing.T) {
	var handled []string
	fail := false
	h := Handler[string]{
		Parse: func(r *http.Request) (string, error) {
			b, err := ReadBody(r, 10)
			if err != nil {
				return "", err
			}
			if string(b) == "forged" {
				return "", &Error{Status: http.StatusUnauthorized, Reason: "bad sig", Err: ErrSignature}
			}
			return string(b), nil
		},
		Handle: func(_ context.Context, ev string) error {
			if fail {
				return errors.New("db down")
			}
			handled = append(handled, ev)
			return nil
		},
		Ack: func(string) (Ack, error) { return Ack{Body: []byte("success")}, nil },
	}
	do := func(body string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body)))
		return w
	}
	w := do("ok")
	assert.Equal(t, 200, w.Code)
	assert.Equal(t, "success", w.Body.String())
	assert.Equal(t, 401, do("forged").Code)
	assert.Equal(t, 413, do(strings.Repeat("x", 11)).Code)
	fail = true
	w = do("again")
	assert.Equal(t, 500, w.Code)
	assert.NotEqual(t, "success", w.Body.String())
	assert.Equal(t, []string{"ok"}, handled)
}
