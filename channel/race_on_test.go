//go:build race

package channel_test

// raceEnabled: the race detector is on (it allocates per operation, so the
// allocation tests skip themselves).
const raceEnabled = true
