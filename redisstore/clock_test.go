package redisstore_test

import (
	"sync/atomic"
	"time"
)

// clock is a settable clock shared by a fake, the SDK clients and the
// stores, so a token can be made to expire without waiting two hours.
type clock struct{ offset atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) Advance(d time.Duration) { c.offset.Add(int64(d)) }
