package dingtalk

import (
	"context"
	"fmt"
	"iter"
	"strconv"
)

// maxPages bounds every All… iterator: a platform that never says "no
// more" ends with an error rather than a loop without end.
var maxPages = 10000 // a variable only so that a test can lower it

// pager says how one endpoint pages; the generator writes one per paging
// endpoint.
type pager[Req, Resp, T any] struct {
	op        string // the iterator's name, for errors
	kind      string // token, page or offset (see internal/gen.Pager)
	cursor    func(*Req) any
	setCursor func(*Req, string) error
	next      func(*Resp) any  // the answer's next cursor; nil when it has none
	more      func(*Resp) bool // the answer's has-more flag; nil when it has none
	items     func(*Resp) []T
}

// paginate yields the items of page after page. It works on a copy of req
// (the caller's request is not changed), stops when the platform says
// there is no more, and ends with an error when a cursor comes round again
// (10 → 20 → 10) or after maxPages pages.
func paginate[Req, Resp, T any](ctx context.Context, req *Req, fetch func(context.Context, *Req) (*Resp, error), p pager[Req, Resp, T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if req == nil {
			_, err := fetch(ctx, nil) // the generated method reports the nil request
			yield(zero, err)
			return
		}
		page := *req
		cur := cursorText(p.cursor(&page))
		if cur == "" {
			cur = map[string]string{"page": "1", "offset": "0"}[p.kind]
		}
		seen := map[string]bool{cur: true}
		for n := 1; ; n++ {
			if n > maxPages {
				yield(zero, &Error{Op: p.op, Message: fmt.Sprintf("more than %d pages; stopped", maxPages)})
				return
			}
			res, err := fetch(ctx, &page)
			if err != nil {
				yield(zero, err)
				return
			}
			items := p.items(res)
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			next, more := p.advance(cur, res, len(items))
			if !more {
				return
			}
			if seen[next] {
				yield(zero, &Error{Op: p.op, Message: fmt.Sprintf("cursor %q came round again after %d pages; stopped", next, n)})
				return
			}
			seen[next] = true
			if err := p.setCursor(&page, next); err != nil {
				yield(zero, &Error{Op: p.op, Message: "unusable cursor", Err: err})
				return
			}
			cur = next
		}
	}
}

// advance returns the cursor of the page after res and whether there is one.
func (p *pager[Req, Resp, T]) advance(cur string, res *Resp, count int) (string, bool) {
	more := func(dflt bool) bool {
		if p.more == nil {
			return dflt
		}
		return p.more(res)
	}
	switch p.kind {
	case "page":
		n, _ := strconv.ParseInt(cur, 10, 64)
		return strconv.FormatInt(n+1, 10), more(false)
	case "offset":
		if p.next != nil {
			next := cursorText(p.next(res))
			return next, next != "" && more(true)
		}
		n, _ := strconv.ParseInt(cur, 10, 64)
		return strconv.FormatInt(n+int64(count), 10), count > 0 && more(false)
	}
	next := cursorText(p.next(res))
	return next, next != "" && more(true)
}

// cursorText renders a cursor; absent and zero cursors are "".
func cursorText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case *string:
		if x != nil {
			return *x
		}
	case int64:
		if x != 0 {
			return strconv.FormatInt(x, 10)
		}
	case *int64:
		if x != nil && *x != 0 {
			return strconv.FormatInt(*x, 10)
		}
	case int32:
		if x != 0 {
			return strconv.FormatInt(int64(x), 10)
		}
	case *int32:
		if x != nil && *x != 0 {
			return strconv.FormatInt(int64(*x), 10)
		}
	}
	return ""
}

// setCursor stores next in a request's cursor field, whatever its type.
func setCursor(field any, next string) error {
	switch p := field.(type) {
	case *string:
		*p = next
		return nil
	case **string:
		*p = &next
		return nil
	}
	n, err := strconv.ParseInt(next, 10, 64)
	if err != nil {
		return fmt.Errorf("cursor %q is not a number", next)
	}
	switch p := field.(type) {
	case *int64:
		*p = n
	case **int64:
		*p = &n
	case *int32, **int32:
		if int64(int32(n)) != n {
			return fmt.Errorf("cursor %d does not fit the request", n)
		}
		m := int32(n)
		if q, ok := p.(*int32); ok {
			*q = m
		} else {
			*p.(**int32) = &m
		}
	default:
		return fmt.Errorf("cursor field of type %T", field)
	}
	return nil
}
