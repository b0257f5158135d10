package ringbuffer_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/handoff-go/handoff/ringbuffer"
	"github.com/puzpuzpuz/xsync/v3"
)

// BenchmarkSPSC moves b.N items from one producer goroutine to one
// consumer (the benchmark goroutine) through queues of the same capacity,
// so ns/op is nanoseconds per item. Sub-benchmark names are
// impl=<queue>/batch=<items per call>, which benchstat groups by.
//
//   - ring: ringbuffer.Ring with WithReleasePublish (the consumer's index
//     publish is a release store), TryPush/TryPop for batch=1 and
//     PushBatch/PopBatch otherwise.
//   - ring-slip: the ring with a pause (about 300ns, touching no shared
//     memory) instead of a yield: item by item, the consumer pauses before
//     it reloads the producer's index while the producer streams, as the
//     channel's receiver does (see Consumer.CachedReady and receiver.slip); in
//     batches, a side that finds the ring full or empty pauses before
//     retrying. Two goroutines on two cores: nothing else needs the CPU.
//   - ring-seqcst, ring-seqcst-slip: the same as ring and ring-slip with
//     sync/atomic's Store as the consumer's publish (New's default), item
//     by item and in batches of 64: what the release store buys, in one
//     run.
//   - chan: a buffered chan; it has no batch form, so item by item only.
//   - xsync: xsync/v3 SPSCQueueOf (TryEnqueue/TryDequeue), item by item.
//
// ring and xsync are non-blocking: a side that finds the queue full or
// empty spins with runtime.Gosched, which is what the chan would do in
// effect by parking. The consumer sums what it receives and checks the sum,
// so that nothing is optimised away and a lost item would be noticed.
func BenchmarkSPSC(b *testing.B) {
	const capacity = 1024
	release := ringbuffer.WithReleasePublish()
	b.Run("impl=ring/batch=1", func(b *testing.B) { benchRingItems(b, capacity, false, release) })
	b.Run("impl=ring-slip/batch=1", func(b *testing.B) { benchRingItems(b, capacity, true, release) })
	for _, batch := range []int{16, 64, 256} {
		b.Run(fmt.Sprintf("impl=ring/batch=%d", batch), func(b *testing.B) { benchRingBatch(b, capacity, batch, runtime.Gosched, release) })
		b.Run(fmt.Sprintf("impl=ring-slip/batch=%d", batch), func(b *testing.B) { benchRingBatch(b, capacity, batch, slip, release) })
	}
	b.Run("impl=ring-seqcst/batch=1", func(b *testing.B) { benchRingItems(b, capacity, false) })
	b.Run("impl=ring-seqcst-slip/batch=1", func(b *testing.B) { benchRingItems(b, capacity, true) })
	b.Run("impl=ring-seqcst/batch=64", func(b *testing.B) { benchRingBatch(b, capacity, 64, runtime.Gosched) })
	b.Run("impl=ring-seqcst-slip/batch=64", func(b *testing.B) { benchRingBatch(b, capacity, 64, slip) })
	b.Run("impl=chan/batch=1", func(b *testing.B) { benchChan(b, capacity) })
	b.Run("impl=xsync/batch=1", func(b *testing.B) { benchXsync(b, capacity) })
}

// wantSum is 0+1+...+(n-1).
func wantSum(n int) uint64 { return uint64(n) * uint64(n-1) / 2 }

func checkSum(b *testing.B, got uint64) {
	if want := wantSum(b.N); got != want {
		b.Fatalf("consumer sum %d, want %d: items lost or duplicated", got, want)
	}
}

// benchRingItems moves b.N items one by one. With slipping, the consumer
// pauses before it reloads the producer's index while the producer
// streams (the ring-slip variant); without, it only yields when empty.
func benchRingItems(b *testing.B, capacity int, slipping bool, opts ...ringbuffer.Option) {
	r := ringbuffer.New[uint64](capacity, opts...)
	tx, rx := r.Producer(), r.Consumer()
	b.ReportAllocs()
	b.ResetTimer()
	go func() {
		for i := range uint64(b.N) {
			for !tx.TryPush(i) {
				runtime.Gosched()
			}
		}
	}()
	var sum uint64
	streaming := false
	for range b.N {
		reload := slipping && rx.CachedReady() == 0 // the next pop reloads the producer's index
		if reload && streaming {
			slip() // let the producer publish a run first
		}
		v, ok := rx.TryPop()
		for !ok {
			runtime.Gosched()
			v, ok = rx.TryPop()
		}
		if reload {
			streaming = rx.CachedReady() > 0 // the reload found more than this item
		}
		sum += v
	}
	b.StopTimer()
	checkSum(b, sum)
}

// slipSink keeps slip's loop from being optimised away.
var slipSink uint32

// slip burns about 300ns on the 2-core VM without touching shared memory.
//
//go:noinline
func slip() {
	x := uint32(1)
	for range 256 {
		x = x*1664525 + 1013904223
	}
	if x == 0 {
		slipSink = x
	}
}

func benchRingBatch(b *testing.B, capacity, batch int, wait func(), opts ...ringbuffer.Option) {
	r := ringbuffer.New[uint64](capacity, opts...)
	tx, rx := r.Producer(), r.Consumer()
	b.ReportAllocs()
	b.ResetTimer()
	go func() {
		buf := make([]uint64, batch)
		for i := 0; i < b.N; {
			k := min(batch, b.N-i)
			for j := range k {
				buf[j] = uint64(i + j)
			}
			for sent := 0; sent < k; {
				n := tx.PushBatch(buf[sent:k])
				if n == 0 {
					wait()
				}
				sent += n
			}
			i += k
		}
	}()
	dst := make([]uint64, batch)
	var sum uint64
	for got := 0; got < b.N; {
		n := rx.PopBatch(dst)
		if n == 0 {
			wait()
			continue
		}
		for _, v := range dst[:n] {
			sum += v
		}
		got += n
	}
	b.StopTimer()
	checkSum(b, sum)
}

func benchChan(b *testing.B, capacity int) {
	ch := make(chan uint64, capacity)
	b.ReportAllocs()
	b.ResetTimer()
	go func() {
		for i := range uint64(b.N) {
			ch <- i
		}
	}()
	var sum uint64
	for range b.N {
		sum += <-ch
	}
	b.StopTimer()
	checkSum(b, sum)
}

func benchXsync(b *testing.B, capacity int) {
	q := xsync.NewSPSCQueueOf[uint64](capacity)
	b.ReportAllocs()
	b.ResetTimer()
	go func() {
		for i := range uint64(b.N) {
			for !q.TryEnqueue(i) {
				runtime.Gosched()
			}
		}
	}()
	var sum uint64
	for range b.N {
		v, ok := q.TryDequeue()
		for !ok {
			runtime.Gosched()
			v, ok = q.TryDequeue()
		}
		sum += v
	}
	b.StopTimer()
	checkSum(b, sum)
}

// BenchmarkPublishAlone is the cost of the consumer's index publish with
// no other goroutine: one TryPush and one TryPop per op on one goroutine,
// so every cache line stays in this core's cache and ns/op is the
// instructions alone. publish=seqcst is sync/atomic's Store (an XCHG on
// amd64), publish=release WithReleasePublish's release store (a MOV on
// amd64). Unlike BenchmarkSPSC it barely moves with other processes'
// load, which makes it the figure to compare on a busy machine.
func BenchmarkPublishAlone(b *testing.B) {
	for _, mode := range []struct {
		name string
		opts []ringbuffer.Option
	}{{"seqcst", nil}, {"release", []ringbuffer.Option{ringbuffer.WithReleasePublish()}}} {
		b.Run("publish="+mode.name, func(b *testing.B) {
			r := ringbuffer.New[uint64](1024, mode.opts...)
			tx, rx := r.Producer(), r.Consumer()
			b.ReportAllocs()
			var sum uint64
			for i := range b.N {
				tx.TryPush(uint64(i))
				v, _ := rx.TryPop()
				sum += v
			}
			if sum != wantSum(b.N) {
				b.Fatalf("sum %d, want %d", sum, wantSum(b.N))
			}
		})
	}
}
