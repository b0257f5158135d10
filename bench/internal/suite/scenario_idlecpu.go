package suite

import (
	"runtime"
	"time"

	"github.com/handoff-go/handoff/channel"
	"github.com/puzpuzpuz/xsync/v3"
)

// MetricCPUPercent is the sample metric idlecpu records: process CPU time
// over wall time while the receiver waits, in percent of one core.
const MetricCPUPercent = "cpu_percent"

// idleCPUScenario: a receiver blocked in Recv for about a second (20 ms in
// smoke mode); the process CPU time over that window should be about 0.
func idleCPUScenario() Scenario {
	return Scenario{
		Name:  "idlecpu",
		Kind:  Idle,
		Title: "CPU burned by a receiver blocked on an empty queue",
		Unit:  "window",
		About: "A receiver waits on an empty queue for the whole window while the " +
			"harness sleeps; the figure is the process's CPU time (getrusage, user+system) " +
			"over the window's wall time, in percent of one core. A blocking queue should " +
			"read about 0 once its short spin is over; xsync's queues have no blocking form, " +
			"so a waiter there spins with runtime.Gosched and burns a whole core.",
		Cases: func(env Env) []Case {
			w := env.idleWindow()
			mk := func(impl string, wait func(started chan<- struct{}) (release func())) Case {
				return Case{Scenario: "idlecpu", Impl: impl, FixedItems: 1, OneSample: true,
					Run: func(t *Timer, _ int) { idleRun(t, w, wait) }}
			}
			return []Case{
				mk("handoff", idleHandoff),
				mk("chan", idleChan),
				mk("mutex+cond", idleCond),
				mk("xsync SPSCQueueOf (Gosched spin)", idleXsync),
			}
		},
	}
}

// idleRun starts a waiting receiver with wait, measures the process CPU
// over window, then releases the receiver.
func idleRun(t *Timer, window time.Duration, wait func(started chan<- struct{}) (release func())) {
	started := make(chan struct{})
	release := wait(started)
	<-started
	t.Start()
	cpu0, ok0 := processCPU()
	w0 := time.Now()
	time.Sleep(window) // the scenario itself: let the receiver sit blocked
	cpu1, ok1 := processCPU()
	wall := time.Since(w0)
	t.Stop()
	release()
	if ok0 && ok1 && wall > 0 {
		t.Metric(MetricCPUPercent, 100*float64(cpu1-cpu0)/float64(wall))
	}
}

func idleHandoff(started chan<- struct{}) func() {
	tx, rx := channel.Make[int](queueCap)
	done := make(chan struct{})
	go func() {
		defer close(done)
		close(started)
		rx.Recv()
	}()
	return func() { _ = tx.Send(1); <-done }
}

func idleChan(started chan<- struct{}) func() {
	ch := make(chan int, queueCap)
	done := make(chan struct{})
	go func() {
		defer close(done)
		close(started)
		<-ch
	}()
	return func() { ch <- 1; <-done }
}

func idleCond(started chan<- struct{}) func() {
	q := NewCondQueue[int](queueCap)
	done := make(chan struct{})
	go func() {
		defer close(done)
		close(started)
		q.Get()
	}()
	return func() { q.Put(1); <-done }
}

func idleXsync(started chan<- struct{}) func() {
	q := xsync.NewSPSCQueueOf[int](queueCap)
	done := make(chan struct{})
	go func() {
		defer close(done)
		close(started)
		for {
			if _, ok := q.TryDequeue(); ok {
				return
			}
			runtime.Gosched()
		}
	}()
	return func() {
		for !q.TryEnqueue(1) {
			runtime.Gosched()
		}
		<-done
	}
}
