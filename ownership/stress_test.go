package ownership_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/handoff-go/handoff/ownership"
)

// The race detector is the oracle in these tests: every plain field of an
// object is written only by the goroutine whose owner currently owns it
// (after Owns or a successful Steal, until its next preemption point). If
// the protocol ever let two owners in without a happens-before edge, -race
// reports it; the exact final sums catch lost or doubled ownership.

func iters(long, short int) int {
	if testing.Short() {
		return short
	}
	return long
}

// TestStressStealTransfer: victims write whatever they own and preempt, park,
// re-claim and cancel thieves' steals at random steps; thieves steal random
// objects, write them, and transfer back, release, freeze/thaw or keep them.
func TestStressStealTransfer(t *testing.T) {
	withProcs(t, func(t *testing.T) {
		const victims, thieves, objects = 3, 4, 8
		n := iters(300, 60)

		vs := make([]*ownership.Owner, victims)
		for i := range vs {
			vs[i] = newOwner(t)
		}
		objs := make([]*obj, objects)
		for i := range objs {
			objs[i] = &obj{}
			require.NoError(t, vs[i%victims].Adopt(&objs[i].Header))
		}
		slots := make(cancelSlots, thieves)
		var stop atomic.Bool
		counts := make([]int, victims+thieves) // each written by one goroutine, read after Wait
		var vwg, twg sync.WaitGroup

		for i, v := range vs {
			vwg.Add(1)
			go func() {
				defer vwg.Done()
				defer v.Close()
				rng := rand.New(rand.NewPCG(uint64(i), 1))
				for !stop.Load() {
					for _, x := range objs {
						if v.Owns(&x.Header) {
							x.n++
							counts[i]++
						}
					}
					switch rng.IntN(8) {
					case 0: // a blocking region
						v.Park()
						runtime.Gosched()
						v.Unpark()
					case 1: // cancel some thief's steal at this step
						slots.fire(rng.IntN(thieves))
					case 2: // take back free and stale objects
						for _, x := range objs {
							_ = v.Claim(&x.Header)
						}
					}
					v.Preempt()
					runtime.Gosched()
				}
			}()
		}

		var cancelled, frozen atomic.Int64
		for j := range thieves {
			twg.Add(1)
			th := ownership.NewOwner() // closed by the goroutine itself
			go func() {
				defer twg.Done()
				defer th.Close()
				rng := rand.New(rand.NewPCG(uint64(j), 2))
				for range n {
					x := objs[rng.IntN(objects)]
					ctx, cancel := context.WithCancel(ctxBG)
					slots.put(j, cancel)
					err := th.Steal(ctx, &x.Header)
					slots.clear(j)
					cancel()
					switch {
					case err == nil:
						// A nil Steal is a successful check: th may write x
						// until its next preemption point, even if another
						// thief has begun stealing x from th meanwhile (then
						// Owns, Transfer, Release and Freeze fail until th
						// preempts).
						x.n++
						counts[victims+j]++
						var err error
						switch rng.IntN(5) {
						case 0:
							err = th.Transfer(&x.Header, vs[rng.IntN(victims)])
						case 3:
							if !th.TryTransfer(&x.Header, vs[rng.IntN(victims)]) {
								err = ownership.ErrNotOwner // refused: the same condition as Transfer's error
							}
						case 1:
							err = th.Release(&x.Header)
						case 2:
							if err = th.Freeze(&x.Header); err == nil {
								_ = x.n // a read under the freeze
								if th.Thaw(ctxBG, &x.Header) == nil {
									x.n++
									counts[victims+j]++
								}
							}
						}
						if err != nil {
							// Refused because another thief had marked x. By
							// this read that steal may have been cancelled by
							// a victim and rolled back to th's own word, so x
							// is Stealing or th's again, never anyone else's:
							// the other thief cannot finish before th preempts.
							st := x.State()
							backToTh := ownership.State{Kind: ownership.Owned, Owner: th.ID(), Epoch: th.Epoch()}
							assert.True(t, st.Kind == ownership.Stealing || st == backToTh,
								"only a steal in progress makes a fresh steal's object unusable: %v; state %v", err, st)
						}
					case errors.Is(err, context.Canceled):
						cancelled.Add(1)
						st := x.State()
						assert.False(t, st.Kind == ownership.Stealing && st.Owner == th.ID(), "rolled back, not left stealing")
					case errors.Is(err, ownership.ErrFrozen):
						frozen.Add(1)
					default:
						assert.NoError(t, err)
					}
					th.Preempt()
				}
			}()
		}
		twg.Wait()
		stop.Store(true)
		vwg.Wait()

		want := 0
		for _, c := range counts {
			want += c
		}
		got := 0
		for _, x := range objs {
			got += x.n
			assert.NotEqual(t, ownership.Stealing, x.State().Kind, "no object left mid-steal")
		}
		require.Equal(t, want, got, "every write by an owner, none lost")
		t.Logf("writes=%d cancelled steals=%d frozen=%d", want, cancelled.Load(), frozen.Load())
	})
}

// TestConsistencyAcrossObjects is the seed's claim: a victim updates two
// objects together between preemption points; a thief that steals both sees
// both changes or neither (a.n == b.n whenever one owner holds both).
func TestConsistencyAcrossObjects(t *testing.T) {
	withProcs(t, func(t *testing.T) {
		const thieves = 3
		n := iters(300, 60)
		v := newOwner(t)
		a, b := &obj{}, &obj{}
		require.NoError(t, v.Adopt(&a.Header))
		require.NoError(t, v.Adopt(&b.Header))

		slots := make(cancelSlots, thieves)
		var stop atomic.Bool
		var violations, bothStolen atomic.Int64
		counts := make([]int, 1+thieves)
		var vwg, twg sync.WaitGroup
		vwg.Add(1)
		go func() {
			defer vwg.Done()
			defer v.Close()
			rng := rand.New(rand.NewPCG(7, 7))
			for !stop.Load() {
				if v.Owns(&a.Header) && v.Owns(&b.Header) {
					if a.n != b.n {
						violations.Add(1)
					}
					a.n++
					runtime.Gosched() // widen the window between the two writes
					b.n++
					counts[0]++
				} else {
					_ = v.Claim(&a.Header)
					_ = v.Claim(&b.Header)
				}
				if rng.IntN(4) == 0 {
					slots.fire(rng.IntN(thieves))
				}
				v.Preempt()
				runtime.Gosched()
			}
		}()
		for j := range thieves {
			twg.Add(1)
			th := ownership.NewOwner()
			go func() {
				defer twg.Done()
				defer th.Close()
				rng := rand.New(rand.NewPCG(uint64(j), 9))
				for range n {
					ctx, cancel := context.WithCancel(ctxBG)
					slots.put(j, cancel)
					first, second := &a.Header, &b.Header
					if rng.IntN(2) == 0 {
						first, second = second, first
					}
					_ = th.Steal(ctx, first)
					_ = th.Steal(ctx, second) // a preemption point for th: first may have gone stale ...
					slots.clear(j)
					cancel()
					_ = th.Claim(first) // ... so re-claim it
					if th.Owns(&a.Header) && th.Owns(&b.Header) {
						bothStolen.Add(1)
						if a.n != b.n {
							violations.Add(1)
						}
						a.n++
						b.n++
						counts[1+j]++
						if rng.IntN(2) == 0 {
							// Either may fail if another thief has begun
							// stealing it from th; the object stays usable.
							_ = th.Transfer(&a.Header, v)
							_ = th.Transfer(&b.Header, v)
						}
					}
					th.Preempt()
				}
			}()
		}
		twg.Wait()
		stop.Store(true)
		vwg.Wait()

		want := 0
		for _, c := range counts {
			want += c
		}
		require.Zero(t, violations.Load(), "an owner of both saw half an update")
		require.Equal(t, want, a.n)
		require.Equal(t, want, b.n)
		require.Positive(t, bothStolen.Load(), "the thieves got both objects at least once")
		t.Logf("updates=%d both-stolen=%d", want, bothStolen.Load())
	})
}

// TestStressFreezeThaw: readers read a frozen object (two fields kept equal)
// between their preemption points; writers thaw it (cancelled at random by
// readers), write both fields and freeze it again.
func TestStressFreezeThaw(t *testing.T) {
	withProcs(t, func(t *testing.T) {
		const readers, writers = 3, 2
		n := iters(100, 20)
		x := &obj{}
		{
			o := newOwner(t)
			require.NoError(t, o.Adopt(&x.Header))
			require.NoError(t, o.Freeze(&x.Header))
			o.Close()
		}
		slots := make(cancelSlots, writers)
		var stop atomic.Bool
		var violations, reads, rollbacks atomic.Int64
		writes := make([]int, writers)
		var rwg, wwg sync.WaitGroup
		for i := range readers {
			rwg.Add(1)
			r := ownership.NewOwner()
			go func() {
				defer rwg.Done()
				defer r.Close()
				rng := rand.New(rand.NewPCG(uint64(i), 3))
				for !stop.Load() {
					if r.CanRead(&x.Header) {
						if x.n != x.m {
							violations.Add(1)
						}
						reads.Add(1)
					}
					switch rng.IntN(8) {
					case 0:
						r.Park()
						runtime.Gosched()
						r.Unpark()
					case 1:
						slots.fire(rng.IntN(writers))
					}
					r.Preempt()
					runtime.Gosched()
				}
			}()
		}
		for j := range writers {
			wwg.Add(1)
			w := ownership.NewOwner()
			go func() {
				defer wwg.Done()
				defer w.Close()
				for range n {
					ctx, cancel := context.WithCancel(ctxBG)
					slots.put(j, cancel)
					err := w.Thaw(ctx, &x.Header)
					slots.clear(j)
					cancel()
					switch {
					case err == nil:
						x.n++
						x.m++
						writes[j]++
						assert.NoError(t, w.Freeze(&x.Header))
					case errors.Is(err, context.Canceled):
						rollbacks.Add(1)
					default:
						// The other writer is thawing it, or has it thawed.
						if !errors.Is(err, ownership.ErrStealInProgress) {
							assert.ErrorIs(t, err, ownership.ErrNotFrozen)
						}
					}
					w.Preempt()
					runtime.Gosched()
				}
			}()
		}
		wwg.Wait()
		stop.Store(true)
		rwg.Wait()
		require.Zero(t, violations.Load())
		require.Equal(t, writes[0]+writes[1], x.n)
		require.Equal(t, x.n, x.m)
		require.Equal(t, ownership.Frozen, x.State().Kind)
		t.Logf("writes=%d reads=%d rollbacks=%d", x.n, reads.Load(), rollbacks.Load())
	})
}
