package ringbuffer_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/handoff-go/handoff/ringbuffer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewPanicsOnBadCapacity(t *testing.T) {
	for _, capacity := range []int{0, -1} {
		t.Run(fmt.Sprint("cap=", capacity), func(t *testing.T) {
			var got any
			func() {
				defer func() { got = recover() }()
				ringbuffer.New[int](capacity)
			}()
			require.NotNil(t, got, "New(%d) did not panic", capacity)
			msg, ok := got.(string)
			require.True(t, ok, "panic value %#v is not a string", got)
			assert.True(t, strings.HasPrefix(msg, "ringbuffer: "), "panic message %q lacks the package prefix", msg)
		})
	}
}

// TestCapacityExact fills rings of several capacities, none of them a power
// of two only by accident, to exactly Cap items and checks that the next
// push fails and that the items come back in order.
func TestCapacityExact(t *testing.T) {
	for _, capacity := range []int{1, 2, 3, 7, 64, 1000} {
		t.Run(fmt.Sprint("cap=", capacity), func(t *testing.T) {
			r := ringbuffer.New[int](capacity)
			require.Equal(t, capacity, r.Cap())
			require.Equal(t, 0, r.Len())
			require.Equal(t, capacity, r.Producer().Room())

			require.True(t, r.Consumer().Empty())
			for i := range capacity {
				require.False(t, r.Producer().Full(), "Full with %d of %d items", i, capacity)
				require.True(t, r.Producer().TryPush(i), "push %d of %d failed", i, capacity)
				require.False(t, r.Consumer().Empty())
				require.Equal(t, i+1, r.Len())
				require.Equal(t, capacity-i-1, r.Producer().Room())
			}
			require.True(t, r.Producer().Full())
			require.False(t, r.Consumer().Empty())
			require.False(t, r.Producer().TryPush(-1), "push into a full ring succeeded")
			require.Equal(t, 0, r.Producer().PushBatch([]int{-1, -2}), "batch push into a full ring")
			require.Equal(t, capacity, r.Len())
			require.Equal(t, capacity, r.Cap())

			for i := range capacity {
				v, ok := r.Consumer().TryPop()
				require.True(t, ok)
				require.Equal(t, i, v)
				require.Equal(t, capacity-i-1, r.Len())
			}
			require.True(t, r.Consumer().Empty())
			require.False(t, r.Producer().Full())
			v, ok := r.Consumer().TryPop()
			require.False(t, ok, "pop from an empty ring succeeded")
			require.Zero(t, v)
			require.Equal(t, 0, r.Consumer().PopBatch(make([]int, 4)), "batch pop from an empty ring")

			// The same through the batch forms: a batch bigger than the
			// ring is cut to exactly Cap.
			items := make([]int, capacity+5)
			for i := range items {
				items[i] = 100 + i
			}
			require.Equal(t, capacity, r.Producer().PushBatch(items))
			require.Equal(t, capacity, r.Len())
			require.Equal(t, 0, r.Producer().Room())
			dst := make([]int, capacity+5)
			require.Equal(t, capacity, r.Consumer().PopBatch(dst))
			require.Equal(t, items[:capacity], dst[:capacity])
			require.Equal(t, 0, r.Len())
		})
	}
}

func TestLenTracksPushesAndPops(t *testing.T) {
	r := ringbuffer.New[string](5)
	want := 0
	step := func(push bool) {
		t.Helper()
		if push {
			require.True(t, r.Producer().TryPush("x"))
			want++
		} else {
			_, ok := r.Consumer().TryPop()
			require.True(t, ok)
			want--
		}
		require.Equal(t, want, r.Len())
		require.Equal(t, r.Cap()-want, r.Producer().Room())
	}
	// Walk the ring round several times at different fill levels.
	for round := range 4 {
		for range round + 1 {
			step(true)
		}
		for range 7 {
			step(true)
			step(false)
		}
		for range round + 1 {
			step(false)
		}
	}
	require.Equal(t, 0, r.Len())
	require.Equal(t, 3, r.Producer().PushBatch([]string{"a", "b", "c"}))
	require.Equal(t, 3, r.Len())
	require.Equal(t, 2, r.Consumer().PopBatch(make([]string, 2)))
	require.Equal(t, 1, r.Len())
}

// nonNil counts the non-nil pointers in slots.
func nonNil[T any](slots []*T) int {
	n := 0
	for _, p := range slots {
		if p != nil {
			n++
		}
	}
	return n
}

// TestPoppedSlotsAreZeroed checks through the slot array itself that the
// ring keeps no reference to a popped value, for both pop forms and across
// the end of the slot array.
func TestPoppedSlotsAreZeroed(t *testing.T) {
	const capacity = 5
	r := ringbuffer.New[*int](capacity)
	slots := ringbuffer.SlotsForTest(r)
	require.Len(t, slots, capacity)

	vals := make([]int, 100)
	next := 0
	push := func(n int) {
		t.Helper()
		for range n {
			require.True(t, r.Producer().TryPush(&vals[next]))
			next++
		}
	}

	push(3)
	require.Equal(t, 3, nonNil(slots))
	p, ok := r.Consumer().TryPop()
	require.True(t, ok)
	require.Same(t, &vals[0], p)
	require.Nil(t, slots[0], "TryPop left the popped pointer in its slot")
	require.Equal(t, 2, nonNil(slots))

	// Slots 1,2 are full; fill 3,4,0 so that the ring wraps, then pop
	// everything with one batch that crosses the end of the array.
	push(3)
	require.Equal(t, capacity, nonNil(slots))
	dst := make([]*int, capacity)
	require.Equal(t, capacity, r.Consumer().PopBatch(dst))
	for i, q := range dst {
		require.Same(t, &vals[1+i], q)
	}
	require.Equal(t, 0, nonNil(slots), "PopBatch left popped pointers in slots: %v", slots)

	// A batch push that wraps, then partial batch pops.
	batch := []*int{&vals[10], &vals[11], &vals[12], &vals[13]}
	require.Equal(t, 4, r.Producer().PushBatch(batch))
	require.Equal(t, 4, nonNil(slots))
	require.Equal(t, 3, r.Consumer().PopBatch(dst[:3]))
	require.Equal(t, 1, nonNil(slots))
	require.Equal(t, 1, r.Consumer().PopBatch(dst))
	require.Same(t, &vals[13], dst[0])
	require.Equal(t, 0, nonNil(slots))
}

func TestBatchSemantics(t *testing.T) {
	t.Run("zero length", func(t *testing.T) {
		r := ringbuffer.New[int](3)
		require.Equal(t, 0, r.Producer().PushBatch(nil))
		require.Equal(t, 0, r.Producer().PushBatch([]int{}))
		require.Equal(t, 0, r.Consumer().PopBatch(nil))
		require.Equal(t, 0, r.Len())
		require.True(t, r.Producer().TryPush(7))
		require.Equal(t, 0, r.Consumer().PopBatch([]int{}), "empty dst must not pop")
		require.Equal(t, 1, r.Len())
		require.True(t, r.Producer().TryPush(8))
		require.True(t, r.Producer().TryPush(9))
		require.Equal(t, 0, r.Producer().PushBatch(nil), "empty batch on a full ring")
		dst := make([]int, 3)
		require.Equal(t, 3, r.Consumer().PopBatch(dst))
		require.Equal(t, []int{7, 8, 9}, dst)
	})

	t.Run("partial when nearly full", func(t *testing.T) {
		r := ringbuffer.New[int](7)
		require.Equal(t, 5, r.Producer().PushBatch([]int{0, 1, 2, 3, 4}))
		// Only two of these fit; the rest must stay the caller's.
		require.Equal(t, 2, r.Producer().PushBatch([]int{5, 6, 7, 8}))
		require.Equal(t, 7, r.Len())
		require.Equal(t, 0, r.Producer().PushBatch([]int{7, 8}))
		require.False(t, r.Producer().TryPush(7))

		dst := []int{-1, -1, -1, -1, -1}
		require.Equal(t, 5, r.Consumer().PopBatch(dst))
		require.Equal(t, []int{0, 1, 2, 3, 4}, dst)
		// Partial pop: fewer items than dst; the tail of dst is untouched.
		dst = []int{-1, -1, -1, -1, -1}
		require.Equal(t, 2, r.Consumer().PopBatch(dst))
		require.Equal(t, []int{5, 6, -1, -1, -1}, dst)
	})

	t.Run("wrap across the end of the slots", func(t *testing.T) {
		const capacity = 5
		for offset := range capacity {
			r := ringbuffer.New[int](capacity)
			slots := ringbuffer.SlotsForTest(r)
			// Move head and tail to slot offset.
			for i := range offset {
				require.True(t, r.Producer().TryPush(i))
				_, ok := r.Consumer().TryPop()
				require.True(t, ok)
			}
			in := []int{10, 11, 12, 13, 14}
			require.Equal(t, capacity, r.Producer().PushBatch(in))
			// Item k must sit in slot (offset+k) mod capacity.
			for k, v := range in {
				require.Equal(t, v, slots[(offset+k)%capacity], "offset %d item %d", offset, k)
			}
			out := make([]int, capacity)
			require.Equal(t, capacity, r.Consumer().PopBatch(out))
			require.Equal(t, in, out, "offset %d", offset)
			require.Equal(t, make([]int, capacity), slots, "offset %d: slots not zeroed", offset)
		}
	})

	t.Run("wrap of the 2^63 indices", func(t *testing.T) {
		r := ringbuffer.New[int](3)
		ringbuffer.SetIndicesForTest(r, ringbuffer.IndexMask-1) // two steps before the wrap
		require.Equal(t, 3, r.Producer().PushBatch([]int{1, 2, 3, 4}))
		require.Equal(t, 3, r.Len())
		require.Equal(t, 0, r.Producer().Room())
		require.False(t, r.Producer().TryPush(4))
		v, ok := r.Consumer().TryPop()
		require.True(t, ok)
		require.Equal(t, 1, v)
		require.True(t, r.Producer().TryPush(4))
		out := make([]int, 5)
		require.Equal(t, 3, r.Consumer().PopBatch(out))
		require.Equal(t, []int{2, 3, 4}, out[:3])
		require.Equal(t, 0, r.Len())
	})
}

func TestZeroAllocations(t *testing.T) {
	r := ringbuffer.New[*int](64)
	x := new(int)
	batch := make([]*int, 16)
	for i := range batch {
		batch[i] = x
	}
	dst := make([]*int, 16)

	cases := []struct {
		name string
		op   func()
	}{
		{"TryPush+TryPop", func() {
			if !r.Producer().TryPush(x) {
				panic("push failed")
			}
			if _, ok := r.Consumer().TryPop(); !ok {
				panic("pop failed")
			}
		}},
		{"PushBatch+PopBatch", func() {
			if r.Producer().PushBatch(batch) != len(batch) {
				panic("short push")
			}
			if r.Consumer().PopBatch(dst) != len(dst) {
				panic("short pop")
			}
		}},
		{"Len+Cap+Room", func() {
			_ = r.Len() + r.Cap() + r.Producer().Room()
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Zero(t, testing.AllocsPerRun(1000, c.op))
		})
	}
	// Each operation on its own, so that a pop that allocated could not
	// hide behind a push that did not.
	t.Run("each alone", func(t *testing.T) {
		require.Zero(t, testing.AllocsPerRun(50, func() { r.Producer().TryPush(x) }))
		require.Zero(t, testing.AllocsPerRun(50, func() { r.Consumer().TryPop() }))
		require.Zero(t, testing.AllocsPerRun(3, func() { r.Producer().PushBatch(batch) }))
		require.Zero(t, testing.AllocsPerRun(3, func() { r.Consumer().PopBatch(dst) }))
	})
}

// ClearQueued zeroes the queued values in place, across the end of the
// slot array, and releases no slot: Len, Full and the producer's view
// stay as they were.
func TestClearQueued(t *testing.T) {
	r := ringbuffer.New[*int](3)
	vals := []int{1, 2, 3, 4}
	require.True(t, r.Producer().TryPush(&vals[0]))
	require.True(t, r.Producer().TryPush(&vals[1]))
	_, ok := r.Consumer().TryPop()
	require.True(t, ok)
	require.True(t, r.Producer().TryPush(&vals[2]))
	require.True(t, r.Producer().TryPush(&vals[3])) // wraps to slot 0
	require.True(t, r.Producer().Full())

	require.Equal(t, 3, r.Consumer().ClearQueued())
	require.Equal(t, 3, r.Len(), "the items are still counted")
	require.True(t, r.Producer().Full(), "no slot was released")
	require.False(t, r.Producer().TryPush(&vals[0]))
	for i, p := range ringbuffer.SlotsForTest(r) {
		require.Nil(t, p, "slot %d still holds a value", i)
	}
	require.Equal(t, 0, ringbuffer.New[int](2).Consumer().ClearQueued(), "an empty ring has nothing to clear")
}
