package qiyuesuo

// Ptr returns a pointer to v, for the optional fields of requests
// (SelectLimit: qiyuesuo.Ptr(50), Send: qiyuesuo.Ptr(true)).
func Ptr[T any](v T) *T { return &v }
