package hetong

// Ptr returns a pointer to a copy of v, for optional request fields:
//
//	req.NeedSign = hetong.Ptr(true)
func Ptr[T any](v T) *T { return &v }
