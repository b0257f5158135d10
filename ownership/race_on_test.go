//go:build race

package ownership_test

// raceEnabled: the race detector makes allocation-heavy loops about 5x
// slower; the GC tests scale their counts by it.
const raceEnabled = true
