package errfmt

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/hetong-go/hetong/internal/transport"
)

func TestFormat(t *testing.T) {
	assert.Equal(t, "kingdee: Save: bill not found", Format("kingdee", "Save", "bill not found", "", "", 0))
	assert.Equal(t, "qiyuesuo: Draft: 无效的参数 (code 11990005, request r-1, HTTP 400)",
		Format("qiyuesuo", "Draft", "无效的参数", "11990005", "r-1", 400))
	assert.Equal(t, "zhenling: NewClient: Config.BaseURL: required",
		Format("zhenling", "NewClient", Field("Config.BaseURL", Required), "", "", 0))
	assert.Equal(t, "zhenling: Upload: boom", Format("zhenling", "Upload", "zhenling: boom", "", "", 0), "no doubled prefix")
	assert.Equal(t, "dingtalk: x (HTTP 502)", Format("dingtalk", "", "x", "", "", 502))
}

func TestRules(t *testing.T) {
	assert.Equal(t, "FlowIds: at most 100 items", Field("FlowIds", AtMostItems(100)))
	assert.Equal(t, "FlowIds: at least 1 item", Field("FlowIds", AtLeastItems(1)))
	assert.Equal(t, "at least 2 items", AtLeastItems(2))
	assert.Equal(t, "Name: at most 20 characters", Field("Name", AtMostChars(20)))
	assert.Equal(t, "must be one of A, B", OneOf("A", "B"))
	assert.True(t, Blank(" \t"))
	assert.False(t, Blank("x"))
}

func TestDescribeAndStatus(t *testing.T) {
	te := &transport.Error{Kind: transport.KindHTTP, Method: "POST", URL: "https://h/x", StatusCode: 502}
	wrapped := fmt.Errorf("outer: %w", te)
	assert.Equal(t, te.Error(), Describe(wrapped))
	assert.Equal(t, 502, Status(wrapped))
	assert.Equal(t, "plain", Describe(errors.New("plain")))
	assert.Zero(t, Status(errors.New("plain")))
}
