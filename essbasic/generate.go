package essbasic

// The typed actions, models, validators and error codes are generated from
// the platform's spec, which lives outside this repository (../shared).
//go:generate go run ./internal/gen/cmd/essbasic-gen -spec ../../shared/platforms/essbasic/api.json -errors ../../shared/platforms/essbasic/errors.tsv -out .
