package essbasic

import (
	"context"
	"iter"
)

// pages yields every item of a list that the platform pages by record
// offset, fetching the next page only when the caller wants more. It stops
// at the reported total, at an empty page, or at the first error (yielded
// once, with a zero item).
func pages[T any](ctx context.Context, start int64, fetch func(ctx context.Context, offset int64) ([]T, int64, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		offset := start
		for {
			items, total, err := fetch(ctx, offset)
			if err != nil {
				var zero T
				yield(zero, err)
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
		r.Limit = Ptr[uint64](100)
	}
	return pages(ctx, offsetOf(r.Offset), func(ctx context.Context, offset int64) ([]TemplateInfo, int64, error) {
		r.Offset = Ptr(uint64(offset))
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
	return pages(ctx, offsetOf(r.Offset), func(ctx context.Context, offset int64) ([]Staff, int64, error) {
		r.Offset = Ptr(offset)
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
	return pages(ctx, offsetOf(r.Offset), func(ctx context.Context, offset int64) ([]ChannelOrganizationInfo, int64, error) {
		r.Offset = Ptr(offset)
		res, err := c.DescribeChannelOrganizations(ctx, &r)
		if err != nil {
			return nil, 0, err
		}
		return res.ChannelOrganizationInfos, res.Total, nil
	})
}
