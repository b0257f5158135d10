package suite

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/handoff-go/handoff"
	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
	"github.com/handoff-go/handoff/receiver"
	"github.com/handoff-go/handoff/sender"
)

// e2Rounds are the round sizes k: how many objects B wants per round,
// all of A's working set.
var e2Rounds = []int{1, 4, 16, 64}

// e2Intervals are A's preemption-point intervals.
var e2Intervals = []time.Duration{time.Microsecond, 10 * time.Microsecond, 100 * time.Microsecond}

// e2Spin is how many times B re-checks, yielding in between, before it
// parks, in every mode: the steal's own wait (ownership's spinBump) does
// exactly this, and B's transfer wait is written to match it.
const e2Spin = 64

// stealTimeout bounds every steal in the experiments; a healthy steal
// takes at most one preemption interval.
const stealTimeout = 30 * time.Second

// Metric names E2 records, so that its notes can group the rows.
const (
	MetricRound      = "round"       // objects per round (k)
	MetricIntervalUS = "interval_us" // A's preemption interval, µs
)

// e2Modes are how B gets the objects, in report order.
var e2Modes = []struct {
	mode  e2Mode
	label string
}{{e2Transfer, "transfer"}, {e2Steal, "steal"}, {e2StealMany, "StealMany"}}

type e2Obj struct {
	ownership.Header
	v int
}

// transferStealScenario (E2): moving k objects from a busy goroutine A to
// B, by channel transfer or by B stealing them, against A's
// preemption-point interval and the round size.
func transferStealScenario() Scenario {
	return Scenario{
		Name:     "e2-transfer-steal",
		Kind:     Experiment,
		Title:    "E2: transfer vs steal, by round size and the owner's preemption interval",
		Unit:     "object",
		Baseline: "transfer",
		About: fmt.Sprintf("Goroutine A owns a working set of k objects and works in slices of the given interval, "+
			"writing every object it owns, then passes a preemption point (Preempt) and re-claims its set "+
			"if a thief made it bump its epoch (an owner still using its objects must). B wants all k objects, "+
			"round after round (k = %v), and the figure is B's wait per object. transfer: B raises a flag and A, "+
			"at its next preemption point, sends the k objects over a handoff channel (SendBatch: one CAS per "+
			"object, no handshake). steal: B calls ownership.Steal on each object; each steal waits for A's "+
			"next preemption point, and A re-claims the rest at once, so the next steal waits again. StealMany: "+
			"B takes the round with one StealMany, one handshake. The waiting policy is the same in every mode: "+
			"B re-checks up to %d times, yielding in between (runtime.Gosched), then parks until A wakes it; "+
			"that is the steal's own wait, and B's transfer wait is TryRecvBatch polled the same %d times, then "+
			"RecvBatch. So the three modes differ only in what A has to do and how many preemption points B "+
			"waits for. The ratio (transfer ns / this row's ns at the same k and interval; above 1: faster than "+
			"transfer) answers the question; the notes state, from the numbers, which way is cheaper where.",
			e2Rounds, e2Spin, e2Spin),
		Notes: e2Notes,
		Cases: func(Env) []Case {
			var cases []Case
			for _, k := range e2Rounds {
				for _, iv := range e2Intervals {
					for _, m := range e2Modes {
						cases = append(cases, Case{Scenario: "e2-transfer-steal",
							Impl:   fmt.Sprintf("%s k=%d, %v", m.label, k, iv),
							Series: fmt.Sprintf("%s k=%d", m.label, k),
							// The interval in µs, nudged by k/10^5 of itself so that
							// each (k, interval) pair is its own ratio group; the
							// chart's x is off by at most 0.064%%.
							Param:    float64(iv.Microseconds()) * (1 + float64(k)/1e5),
							Baseline: m.mode == e2Transfer, MinItems: k,
							Run: func(t *Timer, n int) { e2Run(t, n, k, iv, m.mode) }})
					}
				}
			}
			return cases
		},
	}
}

// e2Notes says, for each round size, at which intervals transfer and at
// which stealing (the faster of steal and StealMany) is the cheaper way
// to move the objects, by how much, and where they are within the
// repetitions' spread of each other.
func e2Notes(rows []Row) []string {
	type key struct{ k, us float64 }
	type trio struct{ transfer, steal, many *Row }
	by := map[key]*trio{}
	var keys []key
	for i := range rows {
		r := &rows[i]
		k, us := r.Metrics[MetricRound], r.Metrics[MetricIntervalUS]
		if !(k > 0) || !(us > 0) {
			continue
		}
		kk := key{k, us}
		if by[kk] == nil {
			by[kk] = &trio{}
			keys = append(keys, kk)
		}
		switch {
		case strings.HasPrefix(r.Impl, "transfer"):
			by[kk].transfer = r
		case strings.HasPrefix(r.Impl, "StealMany"):
			by[kk].many = r
		case strings.HasPrefix(r.Impl, "steal"):
			by[kk].steal = r
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.k != b.k {
			return int(a.k - b.k)
		}
		return int(a.us - b.us)
	})
	var out []string
	var line []string
	flush := func(k float64) {
		if len(line) > 0 {
			out = append(out, fmt.Sprintf("k=%g: %s", k, strings.Join(line, "; ")))
			line = nil
		}
	}
	for i, kk := range keys {
		tr := by[kk]
		if tr.transfer == nil || (tr.steal == nil && tr.many == nil) {
			continue
		}
		best, name := tr.steal, "steal"
		if best == nil || tr.many != nil && tr.many.NSPerItem < best.NSPerItem {
			best, name = tr.many, "StealMany"
		}
		st := RatioOf(*tr.transfer, *best) // transfer ns / best steal ns
		iv := time.Duration(kk.us * float64(time.Microsecond))
		var s string
		switch {
		case math.IsNaN(st.Median):
			s = fmt.Sprintf("%v no figure", iv)
		case !math.IsNaN(st.Lo) && st.Lo < 1 && st.Hi > 1:
			s = fmt.Sprintf("%v a draw (%s/transfer %.2f×, spread %.2f–%.2f)", iv, name, st.Median, st.Lo, st.Hi)
		case st.Median > 1:
			s = fmt.Sprintf("%v %s is cheaper, %.2f× transfer's speed", iv, name, st.Median)
		default:
			s = fmt.Sprintf("%v transfer is cheaper, %.2f× %s's speed", iv, 1/st.Median, name)
		}
		line = append(line, s)
		if i+1 == len(keys) || keys[i+1].k != kk.k {
			flush(kk.k)
		}
	}
	return out
}

// e2Mode is how B gets the objects.
type e2Mode int

const (
	e2Transfer  e2Mode = iota // A sends them
	e2Steal                   // B steals them one by one
	e2StealMany               // B steals the round with one StealMany
)

// e2Run moves n objects from A to B in rounds of up to k.
func e2Run(t *Timer, n, k int, interval time.Duration, mode e2Mode) {
	t.Metric(MetricRound, float64(k))
	t.Metric(MetricIntervalUS, float64(interval.Microseconds()))
	a, b := ownership.NewOwner(), ownership.NewOwner()
	defer a.Close()
	defer b.Close()
	set := make([]e2Obj, k)
	for i := range set {
		if err := a.Adopt(&set[i].Header); err != nil {
			t.Fail(err)
			return
		}
	}
	tx, rx := channel.Make[*e2Obj](k, channel.WithSenderOwner(a), channel.WithReceiverOwner(b))
	var want atomic.Int64 // B -> A: objects wanted at A's next point (transfer)
	var stop atomic.Bool
	aDone := make(chan error, 1)
	// Handing a to A's goroutine: the go statement is the happens-before edge.
	go func() { aDone <- e2Owner(a, set, tx, interval, &want, &stop) }()

	ctx, cancel := context.WithTimeout(context.Background(), stealTimeout)
	defer cancel()
	got := make([]*e2Obj, k)
	hsBuf := make([]*ownership.Header, 0, k)
	var err error
	for done := 0; done < n && err == nil; {
		m := min(k, n-done)
		t.Start()
		switch mode {
		case e2StealMany:
			hs := hsBuf[:0]
			for i := range m {
				hs = append(hs, &set[i].Header)
				got[i] = &set[i]
			}
			err = b.StealMany(ctx, hs...)
		case e2Steal:
			for i := range m {
				if err = b.Steal(ctx, &set[i].Header); err != nil {
					break
				}
				got[i] = &set[i]
			}
		default:
			// Invariants: B's Transfers back (previous round) happen
			// before this store; A's load that sees it happens after, so
			// A finds the objects its own again.
			want.Store(int64(m))
			err = e2Receive(rx, got[:m])
		}
		t.Stop()
		if err != nil {
			break
		}
		for _, x := range got[:m] {
			x.v++ // B owns it now: the race detector checks the handover
			if err = b.Transfer(&x.Header, a); err != nil {
				break
			}
		}
		done += m
	}
	stop.Store(true)
	_ = tx.Close()
	t.Fail(err)
	t.Fail(<-aDone)
}

// e2Receive fills dst from rx with the steal's waiting policy: up to
// e2Spin polls with a yield between them, then a blocking receive (which
// parks) for whatever is still missing.
func e2Receive(rx *receiver.Receiver[*e2Obj], dst []*e2Obj) error {
	m := 0
	for i := 0; i < e2Spin && m < len(dst); i++ {
		c, err := rx.TryRecvBatch(dst[m:])
		if err != nil && !errors.Is(err, handoff.ErrEmpty) {
			return err
		}
		if m += c; m < len(dst) {
			runtime.Gosched()
		}
	}
	for m < len(dst) {
		c, ok := rx.RecvBatch(dst[m:])
		if !ok {
			return fmt.Errorf("e2 channel closed")
		}
		m += c
	}
	return nil
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
				_ = a.TryClaim(&set[i].Header) // fails for those B holds
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
