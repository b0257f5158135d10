package suite

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
	"github.com/handoff-go/handoff/sender"
)

// e2Round is how many objects B wants per round: A's working set.
const e2Round = 16

// e2Intervals are A's preemption-point intervals.
var e2Intervals = []time.Duration{time.Microsecond, 10 * time.Microsecond, 100 * time.Microsecond, time.Millisecond}

// stealTimeout bounds every steal in the experiments; a healthy steal
// takes at most one preemption interval.
const stealTimeout = 30 * time.Second

type e2Obj struct {
	ownership.Header
	v int
}

// transferStealScenario (E2): moving objects from a busy goroutine A to B,
// by channel transfer or by B stealing them, against A's preemption-point
// interval.
func transferStealScenario() Scenario {
	return Scenario{
		Name:     "e2-transfer-steal",
		Kind:     Experiment,
		Title:    "E2: transfer vs steal, by the owner's preemption interval",
		Unit:     "object",
		Baseline: "transfer",
		About: fmt.Sprintf("Goroutine A owns a working set of %d objects and works in slices of the given interval, "+
			"writing every object it owns, then passes a preemption point (Preempt) and re-claims its set "+
			"if a thief made it bump its epoch (an owner still using its objects must). B wants the %d objects, "+
			"round after round, and the figure is B's wait per object. transfer: B raises a flag and A, at its "+
			"next preemption point, sends every object it owns over a handoff channel (SendBatch: one CAS per "+
			"object, no handshake). steal: B calls ownership.Steal on each object; each steal must wait for A's "+
			"next preemption point, and A re-claims the rest at once, so the next steal waits again. Each new "+
			"request reaches A just after a preemption point, so each wait is about one interval: steal pays it "+
			"once per object, transfer once per round. Both also pay for waking B when it has parked after its "+
			"short spin: on a busy machine that wake-up dominates the short intervals. With GOMAXPROCS=1, A "+
			"never yields and B runs only when the scheduler preempts A (about every 10 ms), which then "+
			"dominates everything. "+
			"StealMany: B takes the whole round with one StealMany, which waits for one preemption point of A, "+
			"as transfer does. "+
			"The ratio (transfer ns / steal ns, below 1: steal is slower) is what a protocol built on stealing "+
			"instead of handing over costs, and it grows with the interval.", e2Round, e2Round),
		Cases: func(Env) []Case {
			var cases []Case
			for _, iv := range e2Intervals {
				iv := iv
				label := iv.String()
				cases = append(cases,
					Case{Scenario: "e2-transfer-steal", Impl: "transfer, interval " + label, Series: "transfer",
						Param: float64(iv.Microseconds()), Baseline: true, MinItems: e2Round,
						Run: func(t *Timer, n int) { e2Run(t, n, iv, e2Transfer) }},
					Case{Scenario: "e2-transfer-steal", Impl: "steal, interval " + label, Series: "steal",
						Param: float64(iv.Microseconds()), MinItems: e2Round,
						Run: func(t *Timer, n int) { e2Run(t, n, iv, e2Steal) }},
					Case{Scenario: "e2-transfer-steal", Impl: "StealMany, interval " + label, Series: "StealMany",
						Param: float64(iv.Microseconds()), MinItems: e2Round,
						Run: func(t *Timer, n int) { e2Run(t, n, iv, e2StealMany) }},
				)
			}
			return cases
		},
	}
}

// e2Mode is how B gets the objects.
type e2Mode int

const (
	e2Transfer  e2Mode = iota // A sends them
	e2Steal                   // B steals them one by one
	e2StealMany               // B steals the round with one StealMany
)

// e2Run moves n objects from A to B in rounds of up to e2Round.
func e2Run(t *Timer, n int, interval time.Duration, mode e2Mode) {
	a, b := ownership.NewOwner(), ownership.NewOwner()
	defer a.Close()
	defer b.Close()
	set := make([]e2Obj, e2Round)
	for i := range set {
		if err := a.Adopt(&set[i].Header); err != nil {
			t.Fail(err)
			return
		}
	}
	tx, rx := channel.Make[*e2Obj](e2Round, channel.WithSenderOwner(a), channel.WithReceiverOwner(b))
	var want atomic.Int64 // B -> A: objects wanted at A's next point (transfer)
	var stop atomic.Bool
	aDone := make(chan error, 1)
	// Handing a to A's goroutine: the go statement is the happens-before edge.
	go func() { aDone <- e2Owner(a, set, tx, interval, &want, &stop) }()

	ctx, cancel := context.WithTimeout(context.Background(), stealTimeout)
	defer cancel()
	got := make([]*e2Obj, e2Round)
	hsBuf := make([]*ownership.Header, 0, e2Round)
	var err error
	for done := 0; done < n && err == nil; {
		k := min(e2Round, n-done)
		t.Start()
		switch mode {
		case e2StealMany:
			hs := hsBuf[:0]
			for i := range k {
				hs = append(hs, &set[i].Header)
				got[i] = &set[i]
			}
			err = b.StealMany(ctx, hs...)
		case e2Steal:
			for i := range k {
				if err = b.Steal(ctx, &set[i].Header); err != nil {
					break
				}
				got[i] = &set[i]
			}
		default:
			// Invariants: B's Transfers back (previous round) happen
			// before this store; A's load that sees it happens after, so
			// A finds the objects its own again.
			want.Store(int64(k))
			for m := 0; m < k; {
				c, ok := rx.RecvBatch(got[m:k])
				if !ok {
					err = fmt.Errorf("e2 channel closed")
					break
				}
				m += c
			}
		}
		t.Stop()
		if err != nil {
			break
		}
		for _, x := range got[:k] {
			x.v++ // B owns it now: the race detector checks the handover
			if err = b.Transfer(&x.Header, a); err != nil {
				break
			}
		}
		done += k
	}
	stop.Store(true)
	_ = tx.Close()
	t.Fail(err)
	t.Fail(<-aDone)
}

// e2Owner is goroutine A: work slices of interval separated by
// preemption points, re-claiming its set after every epoch bump and
// answering B's transfer requests.
func e2Owner(a *ownership.Owner, set []e2Obj, tx *sender.Sender[*e2Obj],
	interval time.Duration, want *atomic.Int64, stop *atomic.Bool) error {
	batch := make([]*e2Obj, 0, len(set))
	for !stop.Load() {
		for i := range set {
			if a.Owns(&set[i].Header) {
				set[i].v++
			}
		}
		for t0 := time.Now(); time.Since(t0) < interval; {
		}
		e := a.Epoch()
		a.Preempt()
		if a.Epoch() != e {
			for i := range set {
				_ = a.Claim(&set[i].Header) // fails for those B holds
			}
		}
		if k := int(want.Load()); k > 0 {
			batch = batch[:0]
			for i := range set[:k] {
				if a.Owns(&set[i].Header) {
					batch = append(batch, &set[i])
				}
			}
			if len(batch) != k {
				return fmt.Errorf("e2: A owns %d of the %d objects B wants", len(batch), k)
			}
			want.Store(0)
			if _, err := tx.SendBatch(batch); err != nil {
				return err
			}
		}
	}
	return nil
}
