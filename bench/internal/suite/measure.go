package suite

import (
	"fmt"
	"runtime"
	"time"
)

// maxItems bounds the item count of one sample.
const maxItems = 1 << 30

// measure runs c once with n items and returns the sample.
func measure(c *Case, n int) (Sample, error) {
	runtime.GC()
	var t Timer
	c.Run(&t, n)
	t.Stop()
	var mem1 runtime.MemStats
	runtime.ReadMemStats(&mem1)
	if t.err != nil {
		return Sample{}, fmt.Errorf("%s/%s: %w", c.Scenario, c.Impl, t.err)
	}
	if !t.started {
		return Sample{}, fmt.Errorf("%s/%s never started its timer", c.Scenario, c.Impl)
	}
	return Sample{
		Items:   n,
		NS:      t.elapsed.Nanoseconds(),
		Allocs:  mem1.Mallocs - t.mem0.Mallocs,
		Bytes:   mem1.TotalAlloc - t.mem0.TotalAlloc,
		Metrics: t.metrics,
	}, nil
}

// maxWallFactor bounds a calibration run's wall time, untimed parts
// included, to about this many times -duration (see calibrate).
const maxWallFactor = 20

// calibrate finds the item count that makes one sample of c last about d.
//
// The growth is bounded by the runs' wall time as well as by their timed
// part: a case whose untimed work per item is much larger than its timed
// work (E3 steals an object, untimed, before each timed re-claim round,
// and takes the clock's cost off each round) can time almost nothing per
// item, and n would grow a hundredfold per step up to maxItems: a smoke
// run once spent six minutes in E3's calibration that way. No step grows
// n past what the last run's wall time says would take maxWallFactor*d,
// and once a run needs that long, n stays there.
func calibrate(c *Case, d time.Duration) (int, error) {
	if c.FixedItems > 0 {
		return c.FixedItems, nil
	}
	maxWall := float64(maxWallFactor * d)
	n := max(c.MinItems, 1)
	for {
		t0 := time.Now()
		s, err := measure(c, n)
		if err != nil {
			return 0, err
		}
		wall := float64(max(time.Since(t0), time.Nanosecond))
		el := time.Duration(s.NS)
		if el >= d/4 || n >= maxItems {
			per := float64(max(el, 1)) / float64(n)
			return clampItems(int(float64(d)/per), c.MinItems), nil
		}
		wallCap := int(float64(n) * maxWall / wall) // the n that would take maxWall
		if wallCap < 2*n {
			return clampItems(wallCap, c.MinItems), nil
		}
		// Grow towards d, at least 2x and at most 100x per step.
		per := float64(max(el, time.Nanosecond)) / float64(n)
		next := int(float64(d) / per * 1.2)
		n = clampItems(min(max(next, 2*n), 100*n, wallCap), c.MinItems)
	}
}

func clampItems(n, lo int) int {
	return min(max(n, lo, 1), maxItems)
}
