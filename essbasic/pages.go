package essbasic

import (
	"context"
	"fmt"
	"iter"
	"reflect"

	"github.com/hetong-go/hetong"
)

// MaxPages caps how many pages an All<Things> iterator fetches; a list
// longer than that (or a server that never stops paging) ends with an
// error instead of looping forever.
const MaxPages = 10000

// pages yields every item of a list that the platform pages by record
// offset, fetching the next page only when the caller wants more. It stops
// at the reported total, at an empty page, or at the first error (yielded
// once, with a zero item); a server that answers the same page again for
// a new offset, or pages past MaxPages, ends it with an error.
func pages[T any](ctx context.Context, op string, start int64, fetch func(ctx context.Context, offset int64) ([]T, int64, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		offset := start
		var prev []T
		for n := 1; ; n++ {
			if n > MaxPages {
				yield(zero, &Error{Op: op, Message: fmt.Sprintf("stopped after %d pages (offset %d): the list does not end", MaxPages, offset)})
				return
			}
			items, total, err := fetch(ctx, offset)
			if err != nil {
				yield(zero, err)
				return
			}
			if len(items) > 0 && reflect.DeepEqual(items, prev) {
				yield(zero, &Error{Op: op, Message: fmt.Sprintf("the page at offset %d repeats the previous page: the server ignores the offset", offset)})
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			offset += int64(len(items))
			if len(items) == 0 || offset >= total {
				return
			}
			prev = items
		}
	}
}

func offsetOf[N int64 | uint64](p *N) int64 {
	if p == nil {
		return 0
	}
	return int64(*p)
}

// AllTemplates iterates over every template DescribeTemplates matches,
// paging with req's Limit (default 100, the maximum) from req's Offset.
func (c *Client) AllTemplates(ctx context.Context, req *DescribeTemplatesRequest) iter.Seq2[TemplateInfo, error] {
	r := DescribeTemplatesRequest{}
	if req != nil {
		r = *req
	}
	if r.Limit == nil {
		r.Limit = hetong.Ptr[uint64](100)
	}
	return pages(ctx, "DescribeTemplates", offsetOf(r.Offset), func(ctx context.Context, offset int64) ([]TemplateInfo, int64, error) {
		r.Offset = hetong.Ptr(uint64(offset))
		res, err := c.DescribeTemplates(ctx, &r)
		if err != nil {
			return nil, 0, err
		}
		return res.Templates, res.TotalCount, nil
	})
}

// AllEmployees iterates over every employee ChannelDescribeEmployees
// matches, paging with req's Limit (0 means 20, the maximum).
func (c *Client) AllEmployees(ctx context.Context, req *ChannelDescribeEmployeesRequest) iter.Seq2[Staff, error] {
	r := ChannelDescribeEmployeesRequest{}
	if req != nil {
		r = *req
	}
	if r.Limit == 0 {
		r.Limit = 20
	}
	return pages(ctx, "ChannelDescribeEmployees", offsetOf(r.Offset), func(ctx context.Context, offset int64) ([]Staff, int64, error) {
		r.Offset = hetong.Ptr(offset)
		res, err := c.ChannelDescribeEmployees(ctx, &r)
		if err != nil {
			return nil, 0, err
		}
		return res.Employees, res.TotalCount, nil
	})
}

// AllChannelOrganizations iterates over every sub-organisation
// DescribeChannelOrganizations matches, paging with req's Limit (0 means
// 200, the maximum).
func (c *Client) AllChannelOrganizations(ctx context.Context, req *DescribeChannelOrganizationsRequest) iter.Seq2[ChannelOrganizationInfo, error] {
	r := DescribeChannelOrganizationsRequest{}
	if req != nil {
		r = *req
	}
	if r.Limit == 0 {
		r.Limit = 200
	}
	return pages(ctx, "DescribeChannelOrganizations", offsetOf(r.Offset), func(ctx context.Context, offset int64) ([]ChannelOrganizationInfo, int64, error) {
		r.Offset = hetong.Ptr(offset)
		res, err := c.DescribeChannelOrganizations(ctx, &r)
		if err != nil {
			return nil, 0, err
		}
		return res.ChannelOrganizationInfos, res.Total, nil
	})
}
