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

// calibrate finds the item count that makes one sample of c last about d.
func calibrate(c *Case, d time.Duration) (int, error) {
	if c.FixedItems > 0 {
		return c.FixedItems, nil
	}
	n := max(c.MinItems, 1)
	for {
		s, err := measure(c, n)
		if err != nil {
			return 0, err
		}
		el := time.Duration(s.NS)
		if el >= d/4 || n >= maxItems {
			per := float64(max(el, 1)) / float64(n)
			return clampItems(int(float64(d)/per), c.MinItems), nil
		}
		// Grow towards d, at least 2x and at most 100x per step.
		per := float64(max(el, time.Nanosecond)) / float64(n)
		next := int(float64(d) / per * 1.2)
		n = clampItems(min(max(next, 2*n), 100*n), c.MinItems)
	}
}

func clampItems(n, lo int) int {
	return min(max(n, lo, 1), maxItems)
}
