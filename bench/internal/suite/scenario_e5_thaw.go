package suite

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/handoff-go/handoff/ownership"
)

// e5Owners are the numbers of other live (parked) owners in e5-thaw.
var e5Owners = []int{1, 10, 100, 1000}

type e5Obj struct {
	ownership.Header
	v int
}

// thawScenario (E5): the cost of Thaw against the number of live owners,
// and with one busy reader.
func thawScenario() Scenario {
	return Scenario{
		Name:     "e5-thaw",
		Kind:     Experiment,
		Title:    "E5: Thaw by live owners",
		Unit:     "op",
		Baseline: "parked owners=1",
		About: "One owner freezes an object and thaws it again, over and over; the figure is one Thaw plus one " +
			"Freeze (the Freeze is one CAS). parked owners=N: N other live owners exist, each parked (blocked " +
			"elsewhere, as an endpoint's owner is while its goroutine waits): Thaw scans the registry and skips " +
			"them, so the cost grows with N but no owner is waited for. busy reader: one other owner runs a " +
			"loop of CanRead and Preempt on its own goroutine; Thaw asks it for a safepoint (no epoch bump) " +
			"and waits for its next Preempt. Before issue 11 every Thaw bumped every live owner, and one idle " +
			"unparked owner made it wait forever.",
		Cases: func(Env) []Case {
			var cases []Case
			for _, n := range e5Owners {
				cases = append(cases, Case{Scenario: "e5-thaw", Impl: fmt.Sprintf("parked owners=%d", n),
					Series: "parked owners", Param: float64(n), Baseline: n == 1, MinItems: 1,
					Run: func(t *Timer, items int) { e5Run(t, items, n, false) }})
			}
			cases = append(cases, Case{Scenario: "e5-thaw", Impl: "busy reader=1", Series: "busy reader",
				MinItems: 1, Run: func(t *Timer, items int) { e5Run(t, items, 0, true) }})
			return cases
		},
	}
}

// e5Run thaws and refreezes an object n times with parked other owners
// (and a busy reader if busy).
func e5Run(t *Timer, n, parked int, busy bool) {
	others := make([]*ownership.Owner, parked)
	for i := range others {
		others[i] = ownership.NewOwner()
		others[i].Park()
	}
	defer func() {
		for _, o := range others {
			o.Unpark()
			o.Close()
		}
	}()
	w := ownership.NewOwner()
	defer w.Close()
	x := &e5Obj{}
	if err := w.Adopt(&x.Header); err != nil {
		t.Fail(err)
		return
	}
	if err := w.Freeze(&x.Header); err != nil {
		t.Fail(err)
		return
	}
	var stop atomic.Bool
	rDone := make(chan struct{})
	if busy {
		r := ownership.NewOwner()
		// Handing r to the reader goroutine: the go statement orders it.
		go func() {
			defer close(rDone)
			defer r.Close()
			s := 0
			for !stop.Load() {
				if r.CanRead(&x.Header) {
					s += x.v
				}
				r.Preempt()
			}
			sink.Add(int64(s))
		}()
	} else {
		close(rDone)
	}
	ctx, cancel := context.WithTimeout(context.Background(), stealTimeout)
	defer cancel()
	var err error
	t.Start()
	for range n {
		if err = w.Thaw(ctx, &x.Header); err != nil {
			break
		}
		x.v++ // exclusive again
		if err = w.Freeze(&x.Header); err != nil {
			break
		}
	}
	t.Stop()
	stop.Store(true)
	<-rDone
	t.Fail(err)
}
