package main

import (
	"slices"
	"sync"
	"time"
)

// headroom measures how much faster w goroutines of pure arithmetic (no
// memory traffic, no channels) finish a fixed amount of work than one
// goroutine does: the most any parallel version can gain on this machine
// right now. On an idle machine it is about min(w, cores); on a machine
// shared with other work it can be near 1 or below, and then so is any
// speedup. It is the median of three trials of each.
func headroom(w, work int) float64 {
	var sink [64]uint64
	spin := func(slot, n int) {
		x := uint64(slot)
		for i := range n {
			x = mix(x + uint64(i))
		}
		sink[slot%len(sink)] = x
	}
	var ratios []float64
	for range 3 {
		start := time.Now()
		spin(0, work)
		one := time.Since(start)
		start = time.Now()
		var wg sync.WaitGroup
		for i := range w {
			wg.Add(1)
			go func() { defer wg.Done(); spin(i, work/w) }()
		}
		wg.Wait()
		ratios = append(ratios, one.Seconds()/time.Since(start).Seconds())
	}
	slices.Sort(ratios)
	return ratios[1]
}
