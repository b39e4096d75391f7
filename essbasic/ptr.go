package essbasic

// Ptr returns a pointer to v, for the optional number and bool fields of
// requests: Ptr(false) sends false, a nil field lets the platform apply
// its default.
func Ptr[T any](v T) *T { return &v }
