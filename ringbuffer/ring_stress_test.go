package ringbuffer_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/handoff-go/handoff/ringbuffer"
	"github.com/stretchr/testify/require"
)

// The stress tests run one real producer goroutine against one real
// consumer. When the ring is full or empty a side spins with
// runtime.Gosched: that yields the processor (needed at GOMAXPROCS=1) but
// is not a sleep, and nothing is ever timed.

var (
	stressProcs      = []int{1, 2, 4}
	stressCapacities = []int{1, 3, 64, 1024}
)

// publishModes are the consumer's two index publishes: sync/atomic's
// Store (the default) and the release store of WithReleasePublish. The
// concurrent tests run under both.
var publishModes = []struct {
	name string
	opts []ringbuffer.Option
}{
	{"publish=seqcst", nil},
	{"publish=release", []ringbuffer.Option{ringbuffer.WithReleasePublish()}},
}

// stressModes are the publishes the long stress tests run under. With
// the race detector on, the release publish is sync/atomic's Store too
// (release_other.go), so the second run would repeat the first.
func stressModes() []struct {
	name string
	opts []ringbuffer.Option
} {
	if raceEnabled {
		return publishModes[:1]
	}
	return publishModes
}

// setProcs sets GOMAXPROCS for the rest of the (sub)test.
func setProcs(t *testing.T, n int) {
	old := runtime.GOMAXPROCS(n)
	t.Cleanup(func() { runtime.GOMAXPROCS(old) })
}

// stressItems sizes a stress run: millions of items in total without -race
// and -short, and a few seconds per subtest under -race on 2 cores.
func stressItems(procs, capacity int) int {
	n := 1 << 19 // x 12 subtests: 6.3M items in all
	if raceEnabled {
		n = 1 << 15
		if capacity == 1 {
			n = 1 << 13 // every item costs two goroutine switches
		}
		// With more Ps than cores the spinning sides are descheduled by
		// the OS rather than by Gosched, and each item costs far more.
		n /= procs
	}
	if testing.Short() {
		n /= 8
	}
	return n
}

// maxBatch is the largest batch either side of a stress run uses: a little
// more than the ring holds, so that batches are also cut short.
func maxBatch(capacity int) int { return min(2*capacity+1, 300) }

func TestStressOrder(t *testing.T) {
	for _, mode := range stressModes() {
		for _, procs := range stressProcs {
			for _, capacity := range stressCapacities {
				t.Run(fmt.Sprintf("%s/procs=%d/cap=%d", mode.name, procs, capacity), func(t *testing.T) {
					setProcs(t, procs)
					stressOrder(t, capacity, stressItems(procs, capacity), uint64(procs*1000+capacity), mode.opts...)
				})
			}
		}
	}
}

// stressOrder pushes 0..n-1 through a ring whose indices start n/2 before
// the 2^63 wrap and checks that the consumer sees exactly 0..n-1 in order.
func stressOrder(t *testing.T, capacity, n int, seed uint64, opts ...ringbuffer.Option) {
	r := ringbuffer.New[uint64](capacity, opts...)
	ringbuffer.SetIndicesForTest(r, -uint64(n/2)) // wraps half way through
	var abort atomic.Bool                         // set by the consumer on failure so nobody spins forever
	producerDone := make(chan struct{})
	observerDone := make(chan struct{})
	var badLen atomic.Int64
	badLen.Store(-1)

	// Producer: TryPush and PushBatch of random sizes.
	go func() {
		defer close(producerDone)
		rng := rand.New(rand.NewPCG(seed, 1))
		buf := make([]uint64, maxBatch(capacity))
		for i := 0; i < n && !abort.Load(); {
			if rng.IntN(2) == 0 {
				for !r.Producer().TryPush(uint64(i)) {
					if abort.Load() {
						return
					}
					runtime.Gosched()
				}
				i++
				continue
			}
			k := min(1+rng.IntN(len(buf)), n-i)
			for j := range k {
				buf[j] = uint64(i + j)
			}
			for sent := 0; sent < k; {
				m := r.Producer().PushBatch(buf[sent:k])
				if m == 0 {
					if abort.Load() {
						return
					}
					runtime.Gosched()
				}
				sent += m
			}
			i += k
		}
	}()

	// Observer: Len may be called from any goroutine and must stay within
	// [0, Cap] whatever the two sides do.
	go func() {
		defer close(observerDone)
		for {
			select {
			case <-producerDone:
				return
			default:
			}
			if l := r.Len(); l < 0 || l > capacity {
				badLen.Store(int64(l))
				return
			}
			runtime.Gosched()
		}
	}()

	// Consumer: this goroutine, TryPop and PopBatch of random sizes.
	rng := rand.New(rand.NewPCG(seed, 2))
	dst := make([]uint64, maxBatch(capacity))
	next := uint64(0)
	fail := ""
	for next < uint64(n) && fail == "" {
		if rng.IntN(2) == 0 {
			v, ok := r.Consumer().TryPop()
			if !ok {
				runtime.Gosched()
				continue
			}
			if v != next {
				fail = fmt.Sprintf("TryPop = %d, want %d", v, next)
			}
			next++
			continue
		}
		m := r.Consumer().PopBatch(dst[:1+rng.IntN(len(dst))])
		if m == 0 {
			runtime.Gosched()
			continue
		}
		for _, v := range dst[:m] {
			if v != next {
				fail = fmt.Sprintf("PopBatch item = %d, want %d", v, next)
				break
			}
			next++
		}
	}
	if fail != "" {
		abort.Store(true)
	}
	<-producerDone
	<-observerDone
	require.Empty(t, fail, "order broken: items lost, duplicated or reordered")
	require.Equal(t, int64(-1), badLen.Load(), "Len out of [0, Cap]")
	require.Equal(t, 0, r.Len())
	_, ok := r.Consumer().TryPop()
	require.False(t, ok, "ring not empty after all items were consumed")
}

// message is the payload of the race-detector oracle: plain fields, no
// atomics, written only by whichever side currently holds the message.
type message struct {
	seq      uint64
	payload  [4]uint64
	sum      uint64 // written by the producer: sum of payload
	consumed uint64 // written by the consumer: how often it has seen this message
	lastSeq  uint64 // written by the consumer: seq it saw last time
}

// TestStressRaceOracle circulates a fixed pool of messages round two rings:
// the producer takes a free message from the return ring, writes its plain
// fields and pushes it on the forward ring; the consumer pops it, reads and
// writes its plain fields and pushes it back. Every message is written by
// both goroutines again and again with no synchronisation but the rings,
// so under -race any missing happens-before edge in Ring is reported.
func TestStressRaceOracle(t *testing.T) {
	for _, mode := range stressModes() {
		for _, procs := range stressProcs {
			for _, capacity := range []int{1, 7, 64} {
				t.Run(fmt.Sprintf("%s/procs=%d/cap=%d", mode.name, procs, capacity), func(t *testing.T) {
					setProcs(t, procs)
					n := stressItems(procs, capacity) / 2
					raceOracle(t, capacity, n, uint64(procs*100+capacity), mode.opts...)
				})
			}
		}
	}
}

func raceOracle(t *testing.T, capacity, n int, seed uint64, opts ...ringbuffer.Option) {
	pool := make([]message, capacity+3) // a few more than fit in flight
	forward := ringbuffer.New[*message](capacity, opts...)
	back := ringbuffer.New[*message](len(pool), opts...)
	ringbuffer.SetIndicesForTest(forward, -uint64(n/2))
	for i := range pool {
		require.True(t, back.Producer().TryPush(&pool[i]))
	}
	var abort atomic.Bool
	producerDone := make(chan struct{})

	// Producer: consumer of back, producer of forward.
	go func() {
		defer close(producerDone)
		rng := rand.New(rand.NewPCG(seed, 3))
		free := make([]*message, len(pool))
		for i := 0; i < n && !abort.Load(); {
			k := back.Consumer().PopBatch(free[:min(1+rng.IntN(len(free)), n-i)])
			if k == 0 {
				runtime.Gosched()
				continue
			}
			for _, m := range free[:k] {
				if m.consumed > 0 && m.lastSeq != m.seq {
					abort.Store(true) // the consumer's writes did not arrive
					return
				}
				m.seq = uint64(i)
				m.sum = 0
				for j := range m.payload {
					m.payload[j] = uint64(i)*31 + uint64(j)
					m.sum += m.payload[j]
				}
				for !forward.Producer().TryPush(m) {
					if abort.Load() {
						return
					}
					runtime.Gosched()
				}
				i++
			}
			clear(free[:k])
		}
	}()

	// Consumer: this goroutine.
	rng := rand.New(rand.NewPCG(seed, 4))
	dst := make([]*message, capacity+1)
	next := uint64(0)
	fail := ""
	for next < uint64(n) && fail == "" && !abort.Load() {
		k := forward.Consumer().PopBatch(dst[:1+rng.IntN(len(dst))])
		if k == 0 {
			runtime.Gosched()
			continue
		}
		for _, m := range dst[:k] {
			sum := uint64(0)
			for _, v := range m.payload {
				sum += v
			}
			if m.seq != next || sum != m.sum {
				fail = fmt.Sprintf("message seq %d sum %d, want seq %d sum %d", m.seq, m.sum, next, sum)
				break
			}
			m.consumed++
			m.lastSeq = m.seq
			m.payload = [4]uint64{}
			next++
		}
		// Hand the messages back; back can hold the whole pool, so this
		// never has to wait.
		if got := back.Producer().PushBatch(dst[:k]); got != k {
			fail = fmt.Sprintf("return ring refused %d of %d messages", k-got, k)
		}
		clear(dst[:k])
	}
	if fail != "" {
		abort.Store(true)
	}
	<-producerDone
	require.Empty(t, fail)
	require.False(t, abort.Load(), "producer saw a message whose consumer writes were lost")
	require.Equal(t, uint64(n), next)
	total := uint64(0)
	for i := range pool {
		total += pool[i].consumed
	}
	require.Equal(t, uint64(n), total, "every message hand-off counted once")
}
