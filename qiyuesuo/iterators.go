package qiyuesuo

import (
	"context"
	"iter"
)

// Paging limits of the All* iterators.
const (
	// DefaultPageSize is the selectLimit an iterator asks for when the
	// request sets none.
	DefaultPageSize = 100
	// MaxPages stops an iterator that is still being handed pages after
	// this many, so a platform that ignores selectOffset cannot loop it
	// forever.
	MaxPages = 10000
)

// pageFunc fetches one page at offset/limit.
type pageFunc[T any] func(ctx context.Context, offset, limit int) (list []T, total int, err error)

// paginate yields every item of the pages fetch returns, from offset on.
// It stops after a short page, at totalCount, at MaxPages (an error), or
// when a page repeats the previous one (an error: the platform ignored the
// offset).
func paginate[T any](ctx context.Context, op string, offset, limit *int, key func(T) ID, fetch pageFunc[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		off, lim := 0, DefaultPageSize
		if offset != nil {
			off = *offset
		}
		if limit != nil && *limit > 0 {
			lim = *limit
		}
		var prevFirst ID
		for page := 0; ; page++ {
			if page == MaxPages {
				yield(zero, &Error{Op: op, Message: "stopped after MaxPages pages"})
				return
			}
			list, total, err := fetch(ctx, off, lim)
			if err != nil {
				yield(zero, err)
				return
			}
			if len(list) > 0 {
				first := key(list[0])
				if page > 0 && first != "" && first == prevFirst {
					yield(zero, &Error{Op: op, Message: "the platform returned the same page twice (selectOffset ignored)"})
					return
				}
				prevFirst = first
			}
			for _, item := range list {
				if !yield(item, nil) {
					return
				}
			}
			off += len(list)
			if len(list) < lim || (total > 0 && off >= total) {
				return
			}
		}
	}
}

// copyOf returns a shallow copy of *req, or a zero request when req is nil.
func copyOf[R any](req *R) *R {
	var r R
	if req != nil {
		r = *req
	}
	return &r
}

// AllContracts iterates over every contract matching req
// ([Client.ContractList]), paging with req.SelectLimit (default
// [DefaultPageSize]) from req.SelectOffset on. It stops at the first
// error, which it yields.
func (c *Client) AllContracts(ctx context.Context, req *ContractListRequest) iter.Seq2[ContractSummary, error] {
	r := copyOf(req)
	return paginate(ctx, "AllContracts", r.SelectOffset, r.SelectLimit, func(s ContractSummary) ID { return s.ID },
		func(ctx context.Context, off, lim int) ([]ContractSummary, int, error) {
			p := *r // a copy per page: the iterator may run more than once
			p.SelectOffset, p.SelectLimit = &off, &lim
			res, err := c.ContractList(ctx, &p)
			if err != nil {
				return nil, 0, err
			}
			return res.Result.List, res.Result.TotalCount, nil
		})
}

// AllSeals iterates over every seal matching req ([Client.SealList]).
func (c *Client) AllSeals(ctx context.Context, req *SealListRequest) iter.Seq2[Seal, error] {
	r := copyOf(req)
	return paginate(ctx, "AllSeals", r.SelectOffset, r.SelectLimit, func(s Seal) ID { return s.ID },
		func(ctx context.Context, off, lim int) ([]Seal, int, error) {
			p := *r // a copy per page: the iterator may run more than once
			p.SelectOffset, p.SelectLimit = &off, &lim
			res, err := c.SealList(ctx, &p)
			if err != nil {
				return nil, 0, err
			}
			return res.Result.List, res.Result.TotalCount, nil
		})
}

// AllTemplates iterates over every template matching req ([Client.TemplateList]).
func (c *Client) AllTemplates(ctx context.Context, req *TemplateListRequest) iter.Seq2[Template, error] {
	r := copyOf(req)
	return paginate(ctx, "AllTemplates", r.SelectOffset, r.SelectLimit, func(t Template) ID { return t.ID },
		func(ctx context.Context, off, lim int) ([]Template, int, error) {
			p := *r // a copy per page: the iterator may run more than once
			p.SelectOffset, p.SelectLimit = &off, &lim
			res, err := c.TemplateList(ctx, &p)
			if err != nil {
				return nil, 0, err
			}
			return res.Result.List, res.Result.TotalCount, nil
		})
}

// AllEmployees iterates over every employee matching req ([Client.EmployeeList]).
func (c *Client) AllEmployees(ctx context.Context, req *EmployeeListRequest) iter.Seq2[Employee, error] {
	r := copyOf(req)
	return paginate(ctx, "AllEmployees", r.SelectOffset, r.SelectLimit, func(e Employee) ID { return e.ID },
		func(ctx context.Context, off, lim int) ([]Employee, int, error) {
			p := *r // a copy per page: the iterator may run more than once
			p.SelectOffset, p.SelectLimit = &off, &lim
			res, err := c.EmployeeList(ctx, &p)
			if err != nil {
				return nil, 0, err
			}
			return res.Result.List, res.Result.TotalCount, nil
		})
}

// AllCategories iterates over every business category matching req ([Client.CategoryList]).
func (c *Client) AllCategories(ctx context.Context, req *CategoryListRequest) iter.Seq2[CategoryItem, error] {
	r := copyOf(req)
	return paginate(ctx, "AllCategories", r.SelectOffset, r.SelectLimit, func(i CategoryItem) ID { return i.ID },
		func(ctx context.Context, off, lim int) ([]CategoryItem, int, error) {
			p := *r // a copy per page: the iterator may run more than once
			p.SelectOffset, p.SelectLimit = &off, &lim
			res, err := c.CategoryList(ctx, &p)
			if err != nil {
				return nil, 0, err
			}
			return res.Result.List, res.Result.TotalCount, nil
		})
}
