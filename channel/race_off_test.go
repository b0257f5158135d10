//go:build !race

package channel_test

// raceEnabled: the race detector is off.
const raceEnabled = false
