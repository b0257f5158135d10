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

// Retire closes an owner from any goroutine, at the owner's next
// preemption point: at once if it is parked, else when its goroutine next
// calls Preempt, Park or a waiting Steal/Thaw.

func TestRetireParkedOwnerClosesAtOnce(t *testing.T) {
	o, b := newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, o.Adopt(&x.Header))
	o.Park()
	done := make(chan struct{})
	go func() { o.Retire(); close(done) }() // another goroutine
	<-done
	require.True(t, o.Closed(), "parked: closed on its behalf")
	require.False(t, ownership.RetireAskedOf(o))
	_, ok := ownership.Lookup(o.ID())
	require.False(t, ok)
	require.NoError(t, b.Adopt(&x.Header), "its objects are free")
	x.n++ // b writes; o is parked and touches nothing
	o.Unpark()
	require.False(t, o.Owns(&x.Header), "Unpark sees the close: o owns nothing")
	require.False(t, o.CanRead(&x.Header))
	o.Retire() // idempotent
	o.Close()  // and Close after it is fine
	require.True(t, b.Owns(&x.Header))
}

func TestRetireRunningOwnerAtNextPreemptionPoint(t *testing.T) {
	for _, point := range []struct {
		name string
		at   func(o *ownership.Owner)
	}{
		{"Preempt", func(o *ownership.Owner) { o.Preempt() }},
		{"Park", func(o *ownership.Owner) { o.Park(); o.Unpark() }},
	} {
		t.Run(point.name, func(t *testing.T) {
			o, b := newOwner(t), newOwner(t)
			x := &obj{}
			require.NoError(t, o.Adopt(&x.Header))
			done := make(chan struct{})
			go func() { o.Retire(); close(done) }()
			<-done
			require.False(t, o.Closed(), "running: only asked")
			require.True(t, ownership.RetireAskedOf(o))
			_, ok := ownership.Lookup(o.ID())
			require.True(t, ok, "live until it answers")
			require.ErrorIs(t, b.Claim(&x.Header), ownership.ErrOwned, "a retiring owner still owns its objects")
			require.ErrorIs(t, b.Adopt(&x.Header), ownership.ErrNotFree)
			require.True(t, o.Owns(&x.Header), "its checks stay valid until its next preemption point")
			x.n++

			point.at(o)
			require.True(t, o.Closed())
			require.False(t, o.Owns(&x.Header))
			require.NoError(t, b.Adopt(&x.Header))
			x.n++
		})
	}
}

func TestRetireWhileThiefWaits(t *testing.T) {
	v, th := newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, v.Adopt(&x.Header))
	errc := stealInProgress(t, ctxBG, v, th, x)
	v.Retire()
	require.False(t, v.Closed())
	select {
	case err := <-errc:
		t.Fatalf("the thief stopped waiting for a live (retiring) owner: %v", err)
	default:
	}
	x.n++ // v still owns it (its check came before the steal began)
	v.Preempt()
	require.True(t, v.Closed())
	require.NoError(t, <-errc)
	require.True(t, th.Owns(&x.Header))
	x.n++
}

// A thief closed by Retire while it waits (parked, inside Steal) ends its
// steal with the object free and an ErrOwnerClosed error: a closed owner
// never reports success and never names itself in a header.
func TestRetireThiefMidSteal(t *testing.T) {
	v, th, c := newOwner(t), newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, v.Adopt(&x.Header))
	errc := stealInProgress(t, ctxBG, v, th, x)
	waitUntil(func() bool { return ownership.ParkedOf(th) }) // past its spin phase
	th.Retire()
	require.True(t, th.Closed(), "parked while waiting: closed on its behalf")
	require.Equal(t, ownership.Stealing, x.State().Kind, "its steal is still in progress")
	v.Preempt()
	err := <-errc
	require.ErrorIs(t, err, ownership.ErrOwnerClosed)
	require.ErrorIs(t, err, ownership.ErrNotOwner)
	assert.Contains(t, err.Error(), "is closed")
	require.Equal(t, ownership.Free, x.State().Kind)
	require.NoError(t, c.Adopt(&x.Header))
}

func TestRetireThawerMidThaw(t *testing.T) {
	w, r := newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, w.Adopt(&x.Header))
	require.NoError(t, w.Freeze(&x.Header))
	require.True(t, r.CanRead(&x.Header))
	errc := make(chan error, 1)
	go func() { errc <- w.Thaw(ctxBG, &x.Header) }()
	waitUntil(func() bool { return ownership.ParkedOf(w) && ownership.SafepointAskedOf(r) })
	w.Retire()
	r.Preempt()
	require.ErrorIs(t, <-errc, ownership.ErrOwnerClosed)
	require.Equal(t, ownership.Frozen, x.State().Kind, "left frozen: nobody may write it")
}

func TestClosedOwnerTakesNothing(t *testing.T) {
	a, o := newOwner(t), ownership.NewOwner()
	free, owned, frozen, stale := &obj{}, &obj{}, &obj{}, &obj{}
	require.NoError(t, a.Adopt(&owned.Header))
	require.NoError(t, a.Adopt(&frozen.Header))
	require.NoError(t, a.Freeze(&frozen.Header))
	require.NoError(t, o.Adopt(&stale.Header))
	handed := &obj{} // handed to a by o, as by a send whose publish then fails
	require.NoError(t, o.Adopt(&handed.Header))
	require.NoError(t, o.Transfer(&handed.Header, a))
	o.Retire()
	o.Preempt() // answers: closed
	require.True(t, o.Closed())

	for name, h := range map[string]*ownership.Header{"free": &free.Header, "owned": &owned.Header, "frozen": &frozen.Header, "own-left": &stale.Header} {
		before := h.State()
		require.False(t, o.TryClaim(h), name)
		require.ErrorIs(t, o.Claim(h), ownership.ErrOwnerClosed, name)
		require.ErrorIs(t, o.Adopt(h), ownership.ErrOwnerClosed, name)
		require.ErrorIs(t, o.Steal(ctxBG, h), ownership.ErrOwnerClosed, name)
		_, err := o.TrySteal(ctxBG, h)
		require.ErrorIs(t, err, ownership.ErrOwnerClosed, name)
		require.ErrorIs(t, o.StealShared(ctxBG, h), ownership.ErrOwnerClosed, name)
		require.ErrorIs(t, o.Thaw(ctxBG, h), ownership.ErrOwnerClosed, name)
		_, err = o.HandOver(h, a, false)
		require.ErrorIs(t, err, ownership.ErrOwnerClosed, name)
		require.False(t, o.Owns(h), name)
		require.False(t, o.CanRead(h), name+": a closed owner reads nothing (Thaw does not wait for it)")
		require.Equal(t, before, h.State(), name+": unchanged")
	}
	c := ownership.NewCell(o, 1)
	require.Equal(t, ownership.Free, c.State().Kind, "a cell made by a closed owner is free")
	require.NoError(t, a.Adopt(&c.Header))

	// Recall of the object o handed to a: a closed owner takes nothing
	// back, and the hand-over that did not happen leaves the object free
	// rather than with a, whose goroutine never saw it (a send blocked
	// while another goroutine closed its sender ends so).
	require.False(t, o.Recall(&handed.Header, a))
	require.False(t, a.Owns(&handed.Header))
	require.Equal(t, ownership.Free, handed.State().Kind)
}

// TestStressRetire: owners work on shared objects (write what they own,
// steal, preempt, park) while another goroutine retires each of them at a
// random moment. The race detector checks that no object ever has two
// writers (a retiring owner keeps its objects until its next preemption
// point); the counts check that no write is lost.
func TestStressRetire(t *testing.T) {
	withProcs(t, func(t *testing.T) {
		const workers, objects = 4, 8
		rounds := iters(40, 10)
		objs := make([]*obj, objects)
		for i := range objs {
			objs[i] = &obj{}
		}
		var writes atomic.Int64
		for round := range rounds {
			ws := make([]*ownership.Owner, workers)
			for i := range ws {
				ws[i] = ownership.NewOwner()
			}
			var wg sync.WaitGroup
			for i, o := range ws {
				wg.Add(1)
				go func() {
					defer wg.Done()
					defer o.Close()
					rng := rand.New(rand.NewPCG(uint64(round), uint64(i)))
					for step := 0; !o.Closed() && step < 10000; step++ {
						x := objs[rng.IntN(objects)]
						switch rng.IntN(4) {
						case 0:
							if o.Steal(ctxBG, &x.Header) == nil {
								x.n++
								writes.Add(1)
							}
						case 1:
							o.Park()
							runtime.Gosched()
							o.Unpark()
						default:
							if o.TryClaim(&x.Header) {
								x.n++
								writes.Add(1)
							}
						}
						o.Preempt()
					}
				}()
			}
			// The retirer: each worker at a random step of this goroutine.
			rng := rand.New(rand.NewPCG(uint64(round), 99))
			for _, i := range rng.Perm(workers) {
				for range rng.IntN(50) {
					runtime.Gosched()
				}
				ws[i].Retire()
			}
			wg.Wait()
		}
		got := 0
		for _, x := range objs {
			got += x.n
			assert.NotEqual(t, ownership.Stealing, x.State().Kind)
		}
		require.Equal(t, int(writes.Load()), got)
	})
}

// TestStressRetireDuringThaw: readers read a frozen object and preempt;
// each is retired at a random moment; writers thaw, write and freeze. A
// retired reader must not be mid-read when a thaw completes: it reads only
// under CanRead, which fails once it has answered the retire.
func TestStressRetireDuringThaw(t *testing.T) {
	withProcs(t, func(t *testing.T) {
		const readers = 3
		rounds := iters(12, 4)
		x := &obj{}
		{
			o := ownership.NewOwner()
			require.NoError(t, o.Adopt(&x.Header))
			require.NoError(t, o.Freeze(&x.Header))
			o.Close() // an idle open owner would hold up every Thaw
		}
		w := newOwner(t)
		var violations atomic.Int64
		for round := range rounds {
			rs := make([]*ownership.Owner, readers)
			var wg sync.WaitGroup
			for i := range rs {
				r := ownership.NewOwner()
				rs[i] = r
				wg.Add(1)
				go func() {
					defer wg.Done()
					defer r.Close()
					for step := 0; !r.Closed() && step < 20000; step++ {
						if r.CanRead(&x.Header) && x.n != x.m {
							violations.Add(1)
						}
						if step%7 == 0 {
							r.Park()
							r.Unpark()
						}
						r.Preempt()
					}
				}()
			}
			rng := rand.New(rand.NewPCG(uint64(round), 5))
			for _, i := range rng.Perm(readers) {
				err := w.Thaw(ctxBG, &x.Header)
				if err == nil {
					x.n++
					x.m++
					require.NoError(t, w.Freeze(&x.Header))
				} else {
					require.False(t, errors.Is(err, context.Canceled), "%v", err)
				}
				rs[i].Retire()
			}
			wg.Wait()
		}
		require.Zero(t, violations.Load())
		require.Equal(t, x.n, x.m)
	})
}
