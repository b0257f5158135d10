package ringbuffer_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/handoff-go/handoff/ringbuffer"
	"github.com/stretchr/testify/require"
)

func TestCloseStopsPushesAndKeepsItems(t *testing.T) {
	r := ringbuffer.New[int](4)
	require.True(t, r.Producer().TryPush(1))
	require.Equal(t, 1, r.Producer().PushBatch([]int{2}))
	require.False(t, r.Closed())
	require.False(t, r.Consumer().Drained())

	require.True(t, r.Close(), "first Close closes")
	require.False(t, r.Close(), "second Close reports it was already closed")
	require.True(t, r.Closed())

	require.False(t, r.Producer().TryPush(3), "push after Close")
	require.Equal(t, 0, r.Producer().PushBatch([]int{3, 4}), "batch push after Close")
	require.Equal(t, 0, r.Producer().Room(), "a closed ring has no room")
	require.Equal(t, 0, r.Producer().CachedRoom(), "a closed ring has no room")
	require.Equal(t, uint64(2), r.Pushed())
	require.Equal(t, 2, r.Len())

	require.False(t, r.Consumer().Drained(), "items are still queued")
	v, ok := r.Consumer().TryPop()
	require.True(t, ok)
	require.Equal(t, 1, v)
	out := make([]int, 4)
	require.Equal(t, 1, r.Consumer().PopBatch(out))
	require.Equal(t, 2, out[0])
	require.True(t, r.Consumer().Drained())
	require.Equal(t, make([]int, 4), ringbuffer.SlotsForTest(r), "no value left reachable")
}

func TestCloseAcrossIndexWrap(t *testing.T) {
	r := ringbuffer.New[int](3)
	ringbuffer.SetIndicesForTest(r, ringbuffer.IndexMask)
	require.True(t, r.Producer().TryPush(1)) // the count wraps to 0 here, under the mark bit
	require.False(t, r.Closed(), "a count wrap never looks like the mark")
	require.True(t, r.Close())
	require.Equal(t, uint64(0), r.Pushed())
	v, ok := r.Consumer().TryPop()
	require.True(t, ok)
	require.Equal(t, 1, v)
	require.True(t, r.Consumer().Drained())
}

// TestCloseRacesWithProducer closes the ring from a third goroutine while a
// producer pushes (items and batches) and a consumer pops: every push that
// reported success is popped, in order, and none that reported failure on a
// closed ring is; once the consumer sees Drained nothing more arrives.
func TestCloseRacesWithProducer(t *testing.T) {
	for _, mode := range publishModes {
		for _, procs := range stressProcs {
			for _, capacity := range []int{1, 3, 64} {
				t.Run(fmt.Sprintf("%s/procs=%d/cap=%d", mode.name, procs, capacity), func(t *testing.T) {
					setProcs(t, procs)
					trials := 300
					if raceEnabled {
						trials = 60
					}
					for trial := range trials {
						closeRaceTrial(t, capacity, trial, mode.opts...)
					}
				})
			}
		}
	}
}

func closeRaceTrial(t *testing.T, capacity, trial int, opts ...ringbuffer.Option) {
	r := ringbuffer.New[int](capacity, opts...)
	accepted := make(chan int, 1)
	start := make(chan struct{})
	go func() { // producer: pushes 1, 2, 3, ... until the ring is closed
		n := 0
		batch := make([]int, 3)
		for !r.Closed() {
			if trial%2 == 0 {
				if r.Producer().TryPush(n + 1) {
					n++
				} else {
					runtime.Gosched()
				}
				continue
			}
			for i := range batch {
				batch[i] = n + 1 + i
			}
			if k := r.Producer().PushBatch(batch); k > 0 {
				n += k
			} else {
				runtime.Gosched()
			}
		}
		accepted <- n
	}()
	go func() { // closer: a third goroutine
		<-start
		for range trial % 7 {
			runtime.Gosched()
		}
		r.Close()
	}()
	close(start)
	got := 0
	for !r.Consumer().Drained() {
		v, ok := r.Consumer().TryPop()
		if !ok {
			runtime.Gosched()
			continue
		}
		got++
		if v != got {
			t.Fatalf("trial %d: popped %d, want %d", trial, v, got)
		}
	}
	if n := <-accepted; n != got {
		t.Fatalf("trial %d: producer had %d pushes accepted, consumer popped %d before Drained", trial, n, got)
	}
	if _, ok := r.Consumer().TryPop(); ok {
		t.Fatalf("trial %d: an item arrived after Drained", trial)
	}
}
