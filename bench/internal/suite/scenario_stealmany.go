package suite

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/handoff-go/handoff/ownership"
)

// stealManySizes are the set sizes k of the stealmany scenario.
var stealManySizes = []int{1, 4, 16, 64}

type smObj struct {
	ownership.Header
	v int
}

// stealManyScenario: taking k objects from one busy owner with one
// StealMany against k Steal calls.
func stealManyScenario() Scenario {
	return Scenario{
		Name:     "stealmany",
		Kind:     Experiment,
		Title:    "StealMany vs k single steals",
		Unit:     "object",
		Baseline: "Steal x k",
		About: "A busy victim goroutine owns k objects and loops: re-claim (TryClaim) every object it does not own, " +
			"write every object it owns, Preempt. The thief takes all k objects, then Releases them (the victim " +
			"re-claims them at its next iteration); the figure is the thief's time per object taken. StealMany: " +
			"one call marks the k headers, asks the victim once and waits for one preemption point. Steal x k: one " +
			"Steal per object; after the first, the victim's bump makes the rest stale, but the victim re-claims " +
			"them on its next iteration, so a later Steal usually waits for another preemption point. " +
			"The ratio (Steal x k ns / StealMany ns at the same k, above 1: StealMany is faster) is per object.",
		Cases: func(Env) []Case {
			var cases []Case
			for _, k := range stealManySizes {
				cases = append(cases,
					Case{Scenario: "stealmany", Impl: fmt.Sprintf("Steal x k, k=%d", k), Series: "Steal x k",
						Param: float64(k), Baseline: true, MinItems: k,
						Run: func(t *Timer, n int) { smRun(t, n, k, false) }},
					Case{Scenario: "stealmany", Impl: fmt.Sprintf("StealMany, k=%d", k), Series: "StealMany",
						Param: float64(k), MinItems: k,
						Run: func(t *Timer, n int) { smRun(t, n, k, true) }},
				)
			}
			return cases
		},
	}
}

// smRun takes n objects (rounds of k) from a busy victim.
func smRun(t *Timer, n, k int, many bool) {
	v, th := ownership.NewOwner(), ownership.NewOwner()
	defer th.Close()
	objs := make([]smObj, k)
	hs := make([]*ownership.Header, k)
	for i := range objs {
		hs[i] = &objs[i].Header
		if err := v.Adopt(hs[i]); err != nil {
			t.Fail(err)
			return
		}
	}
	var stop atomic.Bool
	vDone := make(chan struct{})
	// Handing v to the victim goroutine: the go statement orders it.
	go func() {
		defer close(vDone)
		defer v.Close() // a victim that stops passing preemption points gives everything up
		for !stop.Load() {
			for i, h := range hs {
				if v.Owns(h) || v.TryClaim(h) {
					objs[i].v++
				}
			}
			v.Preempt()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), stealTimeout)
	defer cancel()
	var err error
	t.Start()
	for done := 0; done < n && err == nil; done += k {
		if many {
			err = th.StealMany(ctx, hs...)
		} else {
			for _, h := range hs {
				if err = th.Steal(ctx, h); err != nil {
					break
				}
			}
		}
		if err != nil {
			break
		}
		for i, h := range hs {
			objs[i].v++ // the thief owns every object now
			if err = th.Release(h); err != nil {
				break
			}
		}
	}
	t.Stop()
	stop.Store(true)
	<-vDone
	t.Fail(err)
}
