package qiyuesuo

// The typed requests, models and endpoint methods (and the fake's route
// table) are generated from the platform's spec, which lives outside this
// repository (../shared).
//go:generate go run ./internal/gen/cmd/qiyuesuo-gen -spec ../../shared/platforms/qiyuesuo/api.json -out .
