// Package conformance holds no code: its tests hold the six platform
// packages to the one face every package shows (design.md, "The face of
// every platform package"): hosts and environments, the fake's helper API,
// the error format, the callback sentinels, iterator names, no aliases of
// internal types, no float64 money, and no secret in any printed form.
package conformance
