//go:build !race

package ringbuffer_test

// raceEnabled reports whether the race detector is on, so that stress tests
// can size themselves to finish in a few seconds under it.
const raceEnabled = false
