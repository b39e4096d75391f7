package redisstore

import "errors"

// ErrInvalidArgument is the cause of every error about bad input: a nil
// client, an empty key, a non-positive TTL or rate. Test with errors.Is.
var ErrInvalidArgument = errors.New("invalid argument")

// Error is what every method returns when it fails. Op names the method
// ("Get", "TryLock", "Wait", "Reserve", ...), Key is the Redis key (which
// holds no secret: the SDK's keys are platform and app id), and Err is the
// cause: the go-redis error when Redis is unreachable or answered an error,
// or [ErrInvalidArgument].
//
// When Redis is down every call fails with such an error; nothing falls
// back to process memory (see the package documentation for why). go-redis
// reconnects by itself, so calls succeed again once Redis is back.
type Error struct {
	Op      string
	Key     string
	Message string // for invalid arguments: "<argument>: <rule>"
	Err     error
}

// Error reads "redisstore: <Op> <Key>: <cause>".
func (e *Error) Error() string {
	s := "redisstore: " + e.Op
	if e.Key != "" {
		s += " " + e.Key
	}
	switch {
	case e.Message != "":
		s += ": " + e.Message
	case e.Err != nil:
		s += ": " + e.Err.Error()
	}
	return s
}

// GoString prints the same text as Error for %#v.
func (e *Error) GoString() string { return e.Error() }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

func invalid(op, arg, rule string) error {
	return &Error{Op: op, Message: arg + ": " + rule, Err: ErrInvalidArgument}
}

func wrap(op, key string, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Op: op, Key: key, Err: err}
}
