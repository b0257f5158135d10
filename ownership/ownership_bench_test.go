package ownership_test

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/handoff-go/handoff/ownership"
)

var sink int

// BenchmarkCheck puts the owned-access check side by side with its peers:
// an atomic add, a Mutex Lock+Unlock and an RWMutex RLock+RUnlock, all
// uncontended, one per op.
func BenchmarkCheck(b *testing.B) {
	b.Run("Owns", func(b *testing.B) {
		o := newOwner(b)
		x := &obj{}
		_ = o.Adopt(&x.Header)
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			if o.Owns(&x.Header) {
				n++
			}
		}
		sink += n
	})
	b.Run("AtomicAddInt64", func(b *testing.B) {
		var v atomic.Int64
		b.ReportAllocs()
		for b.Loop() {
			v.Add(1)
		}
		sink += int(v.Load())
	})
	b.Run("MutexLockUnlock", func(b *testing.B) {
		var mu sync.Mutex
		b.ReportAllocs()
		for b.Loop() {
			mu.Lock()
			//lint:ignore SA2001 the empty critical section is the point: the cost of the lock itself
			mu.Unlock()
		}
	})
	b.Run("RWMutexRLockRUnlock", func(b *testing.B) {
		var mu sync.RWMutex
		b.ReportAllocs()
		for b.Loop() {
			mu.RLock()
			//lint:ignore SA2001 the cost of the read lock itself
			mu.RUnlock()
		}
	})
	b.Run("PreemptNothingPending", func(b *testing.B) {
		o := newOwner(b)
		b.ReportAllocs()
		for b.Loop() {
			o.Preempt()
		}
	})
	b.Run("ParkUnpark", func(b *testing.B) {
		o := newOwner(b)
		b.ReportAllocs()
		for b.Loop() {
			o.Park()
			o.Unpark()
		}
	})
}

// BenchmarkCheckInlined is BenchmarkCheck for the check and the mutex as
// they compile in real code: b.Loop keeps the calls in its body out of
// line (so that they are not optimised away), which puts a function call
// into every one of BenchmarkCheck's ops; here a plain b.N loop lets Owns
// and Lock/Unlock inline their fast paths, as they do in a caller. The
// checks' results are summed, so none is dead code.
func BenchmarkCheckInlined(b *testing.B) {
	b.Run("Owns", func(b *testing.B) {
		o := newOwner(b)
		x := &obj{}
		_ = o.Adopt(&x.Header)
		b.ReportAllocs()
		b.ResetTimer()
		n := 0
		for i := 0; i < b.N; i++ {
			if o.Owns(&x.Header) {
				n++
			}
		}
		sink += n
	})
	b.Run("MutexLockUnlock", func(b *testing.B) {
		var mu sync.Mutex
		b.ReportAllocs()
		b.ResetTimer()
		n := 0
		for i := 0; i < b.N; i++ {
			mu.Lock()
			n++
			mu.Unlock()
		}
		sink += n
	})
}

// BenchmarkTryClaimFailing: the re-claim path's failure, an object owned by
// another live owner at its current epoch: Claim builds a *NotOwnerError
// (allocates), TryClaim answers false and allocates nothing.
func BenchmarkTryClaimFailing(b *testing.B) {
	a, other := newOwner(b), newOwner(b)
	x := &obj{}
	_ = other.Adopt(&x.Header)
	b.Run("TryClaim", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if a.TryClaim(&x.Header) {
				b.Fatal("claimed an owned object")
			}
		}
	})
	b.Run("Claim", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if a.Claim(&x.Header) == nil {
				b.Fatal("claimed an owned object")
			}
		}
	})
}

// BenchmarkThaw: one Thaw (and Freeze back) per op with N other live
// owners, all parked (Thaw skips them: it costs a registry scan, no bump),
// or one of them busy (a goroutine calling Preempt in a loop: Thaw waits for
// its next preemption point, which answers without a bump).
func BenchmarkThaw(b *testing.B) {
	for _, n := range []int{1, 10, 100, 1000} {
		b.Run("parked="+strconv.Itoa(n), func(b *testing.B) {
			for range n {
				o := newOwner(b)
				o.Park()
				b.Cleanup(o.Unpark)
			}
			benchThaw(b)
		})
	}
	b.Run("busy=1", func(b *testing.B) {
		r := ownership.NewOwner()
		var stop atomic.Bool
		done := make(chan struct{})
		go func() {
			defer close(done)
			defer r.Close()
			for !stop.Load() {
				r.Preempt()
			}
		}()
		benchThaw(b)
		stop.Store(true)
		<-done
	})
}

func benchThaw(b *testing.B) {
	w := newOwner(b)
	x := &obj{}
	_ = w.Adopt(&x.Header)
	_ = w.Freeze(&x.Header)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := w.Thaw(ctx, &x.Header); err != nil {
			b.Fatal(err)
		}
		_ = w.Freeze(&x.Header)
	}
}

// BenchmarkNewOwnerClose: an owner's whole life, as an owned channel's Make
// and Close pay it twice.
func BenchmarkNewOwnerClose(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		ownership.NewOwner().Close()
	}
}

// BenchmarkTransfer: one Transfer (one CAS on the header) per op, the
// channel's send path.
func BenchmarkTransfer(b *testing.B) {
	a, c := newOwner(b), newOwner(b)
	x := &obj{}
	_ = a.Adopt(&x.Header)
	from, to := a, c
	b.ReportAllocs()
	for b.Loop() {
		if from.Transfer(&x.Header, to) != nil {
			b.Fatal("transfer failed")
		}
		from, to = to, from
	}
}

// busy spins for about d without yielding: the victim's work between two
// preemption points.
func busy(d time.Duration) {
	for start := time.Now(); time.Since(start) < d; {
	}
}

// BenchmarkStealLatency: a victim goroutine does ~interval of work between
// Preempt calls; the thief steals its object (waiting for the next Preempt)
// and transfers it back. Reports the steal latency's p50 and p99.
func BenchmarkStealLatency(b *testing.B) {
	for _, interval := range []time.Duration{time.Microsecond, 10 * time.Microsecond, 100 * time.Microsecond, time.Millisecond} {
		b.Run("interval="+interval.String(), func(b *testing.B) {
			v, th := ownership.NewOwner(), newOwner(b)
			x := &obj{}
			_ = v.Adopt(&x.Header)
			var stop atomic.Bool
			done := make(chan struct{})
			go func() {
				defer close(done)
				defer v.Close()
				for !stop.Load() {
					if v.Owns(&x.Header) {
						x.n++
					}
					busy(interval)
					v.Preempt()
				}
			}()
			lat := make([]time.Duration, 0, 1024)
			b.ReportAllocs()
			for b.Loop() {
				start := time.Now()
				if err := th.Steal(context.Background(), &x.Header); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
				x.n++
				if err := th.Transfer(&x.Header, v); err != nil {
					b.Fatal(err) // nobody else steals here
				}
			}
			stop.Store(true)
			<-done
			reportPercentiles(b, lat)
		})
	}
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkStealFromParked: the victim is parked (blocked in a channel op,
// say); the thief bumps its epoch on its behalf. One op = Steal + Transfer
// back.
func BenchmarkStealFromParked(b *testing.B) {
	v, th := newOwner(b), newOwner(b)
	x := &obj{}
	_ = v.Adopt(&x.Header)
	v.Park()
	defer v.Unpark()
	ctx := context.Background()
	lat := make([]time.Duration, 0, 1<<16)
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		if err := th.Steal(ctx, &x.Header); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		_ = th.Transfer(&x.Header, v)
	}
	reportPercentiles(b, lat)
}

// BenchmarkReclaim: the cost the seed's critics point at. After its epoch is
// bumped (a steal from it while parked), an owner re-claims each of its N
// objects with one CAS. Reports the re-claim loop's cost per object (timed
// around the loop only; for N=1 it includes two clock reads).
func BenchmarkReclaim(b *testing.B) {
	for _, n := range []int{1, 100, 10000} {
		b.Run("N="+strconv.Itoa(n), func(b *testing.B) {
			o, th := newOwner(b), newOwner(b)
			objs := make([]obj, n)
			for i := range objs {
				_ = o.Adopt(&objs[i].Header)
			}
			bait := &obj{}
			_ = o.Adopt(&bait.Header)
			ctx := context.Background()
			var reclaim time.Duration
			b.ReportAllocs()
			for b.Loop() {
				o.Park()
				_ = th.Steal(ctx, &bait.Header) // bumps o's epoch: all n objects go stale
				_ = th.Transfer(&bait.Header, o)
				o.Unpark()
				start := time.Now()
				for i := range objs {
					if o.Claim(&objs[i].Header) != nil {
						b.Fatal("re-claim failed")
					}
				}
				reclaim += time.Since(start)
			}
			b.ReportMetric(float64(reclaim.Nanoseconds())/float64(b.N*n), "ns/object")
		})
	}
}
