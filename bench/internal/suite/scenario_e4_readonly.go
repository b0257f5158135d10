package suite

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/handoff-go/handoff/ownership"
)

// e4Objects is the number of shared objects the readers cycle through.
const e4Objects = 64

type e4Obj struct {
	ownership.Header
	mu sync.RWMutex // used by the RWMutex variant only
	v  int
}

// readOnlyScenario (E4): R readers reading shared, mostly read-only data.
func readOnlyScenario() Scenario {
	return Scenario{
		Name:     "e4-readonly",
		Kind:     Experiment,
		Title:    "E4: mostly read-only data",
		Unit:     "read",
		Baseline: "RWMutex RLock",
		About: fmt.Sprintf("R readers (R = GOMAXPROCS, at least 2), each with its own owner, read %d shared objects "+
			"round-robin and pass a preemption point after every read; the figure is aggregate wall time per read. "+
			"frozen: the objects were frozen once and each read is CanRead (one load) then the read. "+
			"StealShared: the objects start owned by a parked writer; each read calls StealShared first, which "+
			"steals and freezes an object the first time and is one load once it is frozen. exclusive steal: each "+
			"read Steals the object first, so readers take objects from each other: a steal waits for the holder's "+
			"next preemption point, but that one bump makes everything the holder had stale, so the steals after "+
			"it are a single CAS each. That is the cost of reading shared data without freezing it. "+
			"RWMutex RLock: the usual Go answer, a reader lock per object, whose reader count every reader writes.", e4Objects),
		Cases: func(env Env) []Case {
			r := max(env.Procs, 2)
			mk := func(impl string, base bool, kind e4Kind) Case {
				return Case{Scenario: "e4-readonly", Impl: fmt.Sprintf("%s, R=%d", impl, r), Series: impl,
					Baseline: base, MinItems: r, Run: func(t *Timer, n int) { e4Run(t, n, r, kind) }}
			}
			return []Case{
				mk("frozen CanRead", false, e4Frozen),
				mk("StealShared", false, e4Shared),
				mk("exclusive steal", false, e4Exclusive),
				mk("RWMutex RLock", true, e4RWMutex),
			}
		},
	}
}

type e4Kind int

const (
	e4Frozen e4Kind = iota
	e4Shared
	e4Exclusive
	e4RWMutex
)

func e4Run(t *Timer, n, readers int, kind e4Kind) {
	w := ownership.NewOwner() // the writer that made the data
	defer w.Close()
	objs := make([]e4Obj, e4Objects)
	for i := range objs {
		if err := w.Adopt(&objs[i].Header); err != nil {
			t.Fail(err)
			return
		}
		objs[i].v = i
		if kind == e4Frozen {
			if err := w.Freeze(&objs[i].Header); err != nil {
				t.Fail(err)
				return
			}
		}
	}
	w.Park() // the writer is blocked elsewhere: steals from it need no wait
	defer w.Unpark()

	owners := make([]*ownership.Owner, readers)
	for i := range owners {
		owners[i] = ownership.NewOwner()
	}
	ctx, cancel := context.WithTimeout(context.Background(), stealTimeout)
	defer cancel()
	var failed atomic.Pointer[error]
	gate := make(chan struct{})
	var wg sync.WaitGroup
	for g, o := range owners {
		m := n / readers
		if g < n%readers {
			m++
		}
		wg.Add(1)
		// Handing o to the reader goroutine: the go statement orders it.
		go func() {
			defer wg.Done()
			// A reader that is done stops passing preemption points: it
			// must give up what it holds, or thieves would wait forever.
			defer o.Close()
			<-gate
			if err := e4Read(ctx, o, objs, g, m, kind); err != nil {
				failed.CompareAndSwap(nil, &err)
			}
		}()
	}
	t.Start()
	close(gate)
	wg.Wait()
	t.Stop()
	if p := failed.Load(); p != nil {
		t.Fail(*p)
	}
}

// e4Read performs m reads for owner o, starting at object start.
func e4Read(ctx context.Context, o *ownership.Owner, objs []e4Obj, start, m int, kind e4Kind) error {
	s := 0
	for i := range m {
		x := &objs[(start+i)%len(objs)]
		switch kind {
		case e4Frozen:
			if !o.CanRead(&x.Header) {
				return fmt.Errorf("e4: frozen object not readable")
			}
			s += x.v
		case e4Shared:
			if err := o.StealShared(ctx, &x.Header); err != nil {
				return err
			}
			if !o.CanRead(&x.Header) {
				return fmt.Errorf("e4: object not readable after StealShared")
			}
			s += x.v
		case e4Exclusive:
			if err := o.Steal(ctx, &x.Header); err != nil {
				return err
			}
			s += x.v
		case e4RWMutex:
			x.mu.RLock()
			s += x.v
			x.mu.RUnlock()
		}
		o.Preempt()
	}
	sink.Add(int64(s))
	return nil
}
