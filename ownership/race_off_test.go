//go:build !race

package ownership_test

// raceEnabled: see race_on_test.go.
const raceEnabled = false
