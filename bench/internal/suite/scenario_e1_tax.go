package suite

import (
	"sync"
	"sync/atomic"

	"github.com/handoff-go/handoff/ownership"
)

// taxScenario (E1): what one guarded access costs, uncontended, on one
// goroutine: the ownership check against the usual guards.
func taxScenario() Scenario {
	return Scenario{
		Name:     "e1-tax",
		Kind:     Experiment,
		Title:    "E1: the tax of an owned access",
		Unit:     "op",
		Baseline: "sync.Mutex Lock+Unlock",
		About: "The protocol's fast path is one atomic read and a branch per object: " +
			"ownership.Owns is exactly that (a load and a compare, no write, no fence on amd64). " +
			"Preempt with nothing pending is one more load. They are set against " +
			"atomic.AddInt64 (a locked read-modify-write), sync.Mutex Lock+Unlock and " +
			"sync.RWMutex RLock+RUnlock, all uncontended on one goroutine, which is the " +
			"cheapest those can ever be. \"vs\" is the mutex's time over the row's; the design's " +
			"target is an owned-access check at least 10× cheaper than the mutex.",
		Cases: func(Env) []Case {
			return []Case{
				{Scenario: "e1-tax", Impl: "ownership Owns", Run: taxOwns},
				{Scenario: "e1-tax", Impl: "ownership Preempt (none pending)", Run: taxPreempt},
				{Scenario: "e1-tax", Impl: "atomic.AddInt64", Run: taxAtomic},
				{Scenario: "e1-tax", Impl: "sync.Mutex Lock+Unlock", Baseline: true, Run: taxMutex},
				{Scenario: "e1-tax", Impl: "sync.RWMutex RLock+RUnlock", Run: taxRWMutex},
			}
		},
	}
}

type taxObj struct {
	ownership.Header
	v int
}

func taxOwns(t *Timer, n int) {
	o := ownership.NewOwner()
	defer o.Close()
	x := &taxObj{}
	if err := o.Adopt(&x.Header); err != nil {
		t.Fail(err)
		return
	}
	t.Start()
	for range n {
		if o.Owns(&x.Header) {
			x.v++
		}
	}
	t.Stop()
	sink.Add(int64(x.v))
}

func taxPreempt(t *Timer, n int) {
	o := ownership.NewOwner()
	defer o.Close()
	t.Start()
	for range n {
		o.Preempt()
	}
	t.Stop()
}

func taxAtomic(t *Timer, n int) {
	var v int64
	t.Start()
	for range n {
		atomic.AddInt64(&v, 1)
	}
	t.Stop()
	sink.Add(v)
}

func taxMutex(t *Timer, n int) {
	var mu sync.Mutex
	v := 0
	t.Start()
	for range n {
		mu.Lock()
		v++
		mu.Unlock()
	}
	t.Stop()
	sink.Add(int64(v))
}

func taxRWMutex(t *Timer, n int) {
	var mu sync.RWMutex
	v, s := 1, 0
	t.Start()
	for range n {
		mu.RLock()
		s += v
		mu.RUnlock()
	}
	t.Stop()
	sink.Add(int64(s))
}
