//go:build !race

package endpoint

// Guard catches two goroutines using one endpoint at the same time; see
// misuse_race.go. In builds without the race detector it is free.
type Guard struct{}

// Enter does nothing without the race detector.
func (*Guard) Enter(string) {}

// Leave does nothing without the race detector.
func (*Guard) Leave() {}
