package suite

import (
	"runtime"
	"time"
)

// Timer brackets the timed part of one sample. A case calls Start after
// its setup and Stop before its teardown; it may Stop and Start again to
// leave per-round setup out (the elapsed times add up). Start and Stop cost
// one clock read each, so they may sit in a loop.
type Timer struct {
	started bool
	running bool
	t0      time.Time
	elapsed time.Duration
	mem0    runtime.MemStats
	metrics map[string]float64
	err     error
}

// Start starts (or resumes) the clock. The first Start also reads the
// allocation counters; allocations from then until the case returns count.
func (t *Timer) Start() {
	if t.running {
		return
	}
	if !t.started {
		t.started = true
		runtime.ReadMemStats(&t.mem0)
	}
	t.running = true
	t.t0 = time.Now()
}

// Stop pauses the clock.
func (t *Timer) Stop() {
	if !t.running {
		return
	}
	t.elapsed += time.Since(t.t0)
	t.running = false
}

// Record adds d to the sample's time: a time measured outside this
// process (a peer written in another language, which times its own loop).
// A case that records must not Start.
func (t *Timer) Record(d time.Duration) {
	if !t.started {
		t.started = true
		runtime.ReadMemStats(&t.mem0)
	}
	t.elapsed += d
}

// Elapsed returns the time accumulated so far.
func (t *Timer) Elapsed() time.Duration {
	if t.running {
		return t.elapsed + time.Since(t.t0)
	}
	return t.elapsed
}

// Metric records an extra named value for this sample (idlecpu's CPU
// percentage, for instance); it is kept in results.json.
func (t *Timer) Metric(name string, v float64) {
	if t.metrics == nil {
		t.metrics = make(map[string]float64)
	}
	t.metrics[name] = v
}

// Fail records that the sample went wrong (a send refused, a steal timed
// out); the run reports the error and stops.
func (t *Timer) Fail(err error) {
	if t.err == nil && err != nil {
		t.err = err
	}
}
