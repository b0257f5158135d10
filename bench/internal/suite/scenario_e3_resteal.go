package suite

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/handoff-go/handoff/ownership"
)

// e3Sizes are the working-set sizes A re-claims after a bump.
var e3Sizes = []int{1, 100, 10000}

// restealScenario (E3): after an epoch bump every object of the owner is
// stale, and the owner re-claims each one it still uses with Claim.
func restealScenario() Scenario {
	return Scenario{
		Name:  "e3-resteal",
		Kind:  Experiment,
		Title: "E3: re-claiming after an epoch bump",
		Unit:  "object",
		About: "Owner A holds N objects. Each round another owner steals one extra object from A " +
			"(A is parked, so the thief bumps A's epoch on its behalf, as for a goroutine blocked in a " +
			"channel operation); that single steal leaves all N objects stale, and A re-claims them with " +
			"Claim (one CAS each, after checking that the word is A's own at an old epoch). The figure is " +
			"the timed re-claim loop per object, with the clock's own cost (measured once) taken off each " +
			"round. This is the design's known O(N) cost: a steal of one object costs its victim N re-claims; per " +
			"object it is a CAS, so the total is what matters for large N.",
		Cases: func(Env) []Case {
			var cases []Case
			for _, size := range e3Sizes {
				size := size
				cases = append(cases, Case{Scenario: "e3-resteal", Impl: "Claim after bump, N=" + strconv.Itoa(size),
					Series: "Claim", Param: float64(size), MinItems: size,
					Run: func(t *Timer, n int) { e3Run(t, n, size) }})
			}
			return cases
		},
	}
}

type e3Obj struct {
	ownership.Header
	v int
}

func e3Run(t *Timer, n, size int) {
	a, thief := ownership.NewOwner(), ownership.NewOwner()
	defer a.Close()
	defer thief.Close()
	objs := make([]e3Obj, size)
	for i := range objs {
		if err := a.Adopt(&objs[i].Header); err != nil {
			t.Fail(err)
			return
		}
	}
	extra := &e3Obj{}
	if err := a.Adopt(&extra.Header); err != nil {
		t.Fail(err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), stealTimeout)
	defer cancel()
	overhead := clockOverhead()
	rounds := 0
	for done := 0; done < n; {
		// Force a bump: A parks, the thief steals extra from it, hands it back.
		a.Park()
		err := thief.Steal(ctx, &extra.Header)
		a.Unpark()
		if err == nil {
			err = thief.Transfer(&extra.Header, a)
		}
		if err != nil {
			t.Fail(err)
			return
		}
		k := min(size, n-done)
		t.Start()
		for i := range objs[:k] {
			if err = a.Claim(&objs[i].Header); err != nil {
				break
			}
		}
		t.Stop()
		if err != nil {
			t.Fail(err)
			return
		}
		objs[0].v++ // A owns it again
		rounds++
		done += k
	}
	t.elapsed = max(t.elapsed-time.Duration(rounds)*overhead, 0)
}

var (
	clockOnce sync.Once
	clockCost time.Duration
)

// clockOverhead is the median cost of one empty Start/Stop pair.
func clockOverhead() time.Duration {
	clockOnce.Do(func() {
		const pairs = 2000
		var per []float64
		for range 7 {
			var t Timer
			t.started = true // skip ReadMemStats
			for range pairs {
				t.Start()
				t.Stop()
			}
			per = append(per, float64(t.elapsed)/pairs)
		}
		clockCost = time.Duration(Median(per))
	})
	return clockCost
}
