package dingtalk

// The typed endpoints, models, validators, iterators and the fake's route
// table are generated from the platform's spec, which lives outside this
// repository (../shared); the same run refreshes doc.go's index.
//go:generate go run ./internal/gen/cmd/dingtalk-gen -spec ../../shared/platforms/dingtalk/api.json -out .
