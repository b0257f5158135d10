package ringbuffer

import (
	"sync/atomic"

	"golang.org/x/sys/cpu"
)

// Invariants:
//
//   - tail is the count of items ever pushed and head the count of items
//     ever popped. Both only grow (modulo 2^64; all arithmetic on them is
//     unsigned and therefore wraps correctly), and 0 <= tail-head <= cap.
//   - tail is written only by the producer, head only by the consumer.
//     Each side reads the other's index with an atomic Load.
//   - The items in the ring are the indices [head, tail). The k-th item
//     pushed since New lives in slot k mod cap. The slot is not derived
//     from the index (the index wraps at 2^64, which cap need not divide,
//     and tests start it near that wrap): the producer keeps its slot
//     number incrementally in tailSlot and the consumer in headSlot, so no
//     division is ever done and any capacity >= 1 is honoured exactly with
//     no spare slot.
//   - A slot in [head, tail) is read and written only by the consumer;
//     a slot outside it only by the producer. The hand-over of a slot is
//     the index store that moves the boundary:
//       producer: slots[t] = v; tail.Store(t+1)  --> consumer: tail.Load() == t+1; read slots[t]
//       consumer: slots[h] = zero; head.Store(h+1) --> producer: head.Load() == h+1; write slots[h]
//     The Store is a release and the Load that observes it an acquire, so
//     in the Go memory model the slot write is synchronized before the
//     slot read on the other side, which is the whole contract of Ring.
//   - cachedHead is the producer's private copy of head, and cachedTail
//     the consumer's private copy of tail. A stale copy is always
//     conservative (it can only make the ring look fuller to the producer
//     or emptier to the consumer), so each side reloads the shared index
//     only when its copy says "full" or "empty". In the steady state a
//     push or pop therefore touches no cache line written by the other
//     side except the slot itself.
//   - Popped slots are overwritten with the zero value before head moves,
//     so the ring never keeps a popped value reachable.

// Ring is a bounded single-producer single-consumer queue of T. See the
// package documentation for the concurrency contract. The zero value is not
// usable; create rings with New.
type Ring[T any] struct {
	// Padding: every group of fields below that is written by one side is
	// kept on cache lines of its own, so that a write by the producer never
	// invalidates a line the consumer is using and the other way round
	// (false sharing). cpu.CacheLinePad is the line size of the target
	// architecture; the leading pad also keeps the ring off whatever the
	// allocator placed before it.
	_ cpu.CacheLinePad

	// Producer side: tail is written by the producer, read by the consumer
	// only when its cached copy says the ring is empty.
	tail       atomic.Uint64
	cachedHead uint64 // producer's private copy of head
	tailSlot   uint64 // tail mod len(slots), kept incrementally
	_          cpu.CacheLinePad

	// Consumer side: head is written by the consumer, read by the producer
	// only when its cached copy says the ring is full.
	head       atomic.Uint64
	cachedTail uint64 // consumer's private copy of tail
	headSlot   uint64 // head mod len(slots), kept incrementally
	_          cpu.CacheLinePad

	// Read-only after New: shared by both sides without synchronisation.
	slots []T
	_     cpu.CacheLinePad
}

// New returns an empty ring that holds up to capacity items. Capacity is
// honoured exactly: Cap returns capacity and a ring of capacity n accepts
// exactly n items before it reports full. New panics if capacity < 1.
func New[T any](capacity int) *Ring[T] {
	if capacity < 1 {
		panic("ringbuffer: capacity must be at least 1")
	}
	return &Ring[T]{slots: make([]T, capacity)}
}

// Cap returns the capacity the ring was created with.
func (r *Ring[T]) Cap() int { return len(r.slots) }

// Len returns the number of items in the ring. It may be called from any
// goroutine; when the producer or consumer is running concurrently the
// result is a snapshot that may already be out of date, but it is always
// within [0, Cap()].
func (r *Ring[T]) Len() int {
	// head is loaded first: head only grows and never passes tail, so
	// tail-head computed this way is never negative. Both sides may move
	// between the two loads, so the difference can exceed the capacity by
	// the number of pops in between; clamp it.
	h := r.head.Load()
	t := r.tail.Load()
	n := t - h
	if n > uint64(len(r.slots)) {
		n = uint64(len(r.slots))
	}
	return int(n)
}

// TryPush appends v and reports true, or reports false without changing
// anything if the ring is full. Producer only.
func (r *Ring[T]) TryPush(v T) bool {
	t := r.tail.Load() // own index: no other writer, the load is free of contention
	if t-r.cachedHead == uint64(len(r.slots)) {
		r.cachedHead = r.head.Load() // acquire: the consumer is done with slot t mod cap
		if t-r.cachedHead == uint64(len(r.slots)) {
			return false
		}
	}
	r.slots[r.tailSlot] = v
	r.tailSlot = r.advance(r.tailSlot, 1)
	r.tail.Store(t + 1) // release: publishes the slot write to the consumer
	return true
}

// TryPop removes and returns the oldest item, or reports false if the ring
// is empty. The slot it occupied is zeroed. Consumer only.
func (r *Ring[T]) TryPop() (T, bool) {
	var zero T
	h := r.head.Load() // own index
	if h == r.cachedTail {
		r.cachedTail = r.tail.Load() // acquire: the producer's slot write is visible
		if h == r.cachedTail {
			return zero, false
		}
	}
	v := r.slots[r.headSlot]
	r.slots[r.headSlot] = zero
	r.headSlot = r.advance(r.headSlot, 1)
	r.head.Store(h + 1) // release: the slot may be reused by the producer
	return v, true
}

// Pushed returns how many items have ever been pushed (modulo 2^64). Any
// goroutine may call it; it is one atomic load.
func (r *Ring[T]) Pushed() uint64 { return r.tail.Load() }

// Popped returns how many items have ever been popped (modulo 2^64). Any
// goroutine may call it; it is one atomic load.
func (r *Ring[T]) Popped() uint64 { return r.head.Load() }

// Ready returns how many items the consumer can pop before it next reloads
// the producer's index: what its cached copy of that index shows. It never
// touches the producer's cache line. Consumer only.
func (r *Ring[T]) Ready() int { return int(r.cachedTail - r.head.Load()) }

// Room returns how many items the producer can push before it next
// reloads the consumer's index: what its cached copy of that index shows.
// It never touches the consumer's cache line. Producer only.
func (r *Ring[T]) Room() int { return len(r.slots) - int(r.tail.Load()-r.cachedHead) }

// Full reports whether a TryPush would fail right now. It reloads the
// consumer's index only when the producer's cached copy says full, so in
// the steady state it touches no shared cache line. Producer only.
func (r *Ring[T]) Full() bool {
	t := r.tail.Load()
	if t-r.cachedHead < uint64(len(r.slots)) {
		return false
	}
	r.cachedHead = r.head.Load() // acquire, see TryPush
	return t-r.cachedHead == uint64(len(r.slots))
}

// Empty reports whether a TryPop would fail right now. It reloads the
// producer's index only when the consumer's cached copy says empty.
// Consumer only.
func (r *Ring[T]) Empty() bool {
	h := r.head.Load()
	if h != r.cachedTail {
		return false
	}
	r.cachedTail = r.tail.Load() // acquire, see TryPop
	return h == r.cachedTail
}

// Free returns how many items the producer can push right now without
// failing (at least; the consumer may free more concurrently). It always
// reloads the consumer's index. Producer only.
func (r *Ring[T]) Free() int {
	t := r.tail.Load()
	r.cachedHead = r.head.Load()
	return len(r.slots) - int(t-r.cachedHead)
}

// PushBatch appends as many items from the front of items as fit and
// returns how many it appended (0 if the ring is full or items is empty).
// All of them become visible to the consumer at once, with a single index
// publish. Producer only.
func (r *Ring[T]) PushBatch(items []T) int {
	if len(items) == 0 {
		return 0
	}
	t := r.tail.Load()
	capacity := uint64(len(r.slots))
	free := capacity - (t - r.cachedHead)
	if free < uint64(len(items)) {
		r.cachedHead = r.head.Load() // acquire, see TryPush
		free = capacity - (t - r.cachedHead)
		if free == 0 {
			return 0
		}
	}
	n := min(uint64(len(items)), free)
	// Copy in at most two runs: up to the end of slots, then from slot 0.
	first := min(n, capacity-r.tailSlot)
	copy(r.slots[r.tailSlot:r.tailSlot+first], items[:first])
	copy(r.slots[:n-first], items[first:n])
	r.tailSlot = r.advance(r.tailSlot, n)
	r.tail.Store(t + n) // release: publishes every slot written above
	return int(n)
}

// PopBatch moves up to len(dst) of the oldest items into dst, in order,
// and returns how many it moved (0 if the ring is empty or dst is empty).
// The slots they occupied are zeroed and released to the producer with a
// single index publish. Consumer only.
func (r *Ring[T]) PopBatch(dst []T) int {
	if len(dst) == 0 {
		return 0
	}
	h := r.head.Load()
	avail := r.cachedTail - h
	if avail < uint64(len(dst)) {
		r.cachedTail = r.tail.Load() // acquire, see TryPop
		avail = r.cachedTail - h
		if avail == 0 {
			return 0
		}
	}
	n := min(uint64(len(dst)), avail)
	capacity := uint64(len(r.slots))
	first := min(n, capacity-r.headSlot)
	copy(dst[:first], r.slots[r.headSlot:r.headSlot+first])
	copy(dst[first:n], r.slots[:n-first])
	clear(r.slots[r.headSlot : r.headSlot+first])
	clear(r.slots[:n-first])
	r.headSlot = r.advance(r.headSlot, n)
	r.head.Store(h + n) // release: the slots may be reused by the producer
	return int(n)
}

// ClearQueued zeroes every queued item in place, without removing any: the
// ring still holds them (Len is unchanged) and the producer still sees
// their slots as taken. It is for a consumer that will never pop again,
// so that the items it abandons are no longer reachable through the ring,
// while no slot is released that a producer could reuse. It returns how
// many items it cleared. Consumer only.
func (r *Ring[T]) ClearQueued() int {
	h := r.head.Load()
	t := r.tail.Load() // acquire: the slots up to t are written; the producer only writes beyond
	n := t - h
	first := min(n, uint64(len(r.slots))-r.headSlot)
	clear(r.slots[r.headSlot : r.headSlot+first])
	clear(r.slots[:n-first])
	return int(n)
}

// advance returns slot+n reduced into [0, cap) for n <= cap, without a
// division.
func (r *Ring[T]) advance(slot, n uint64) uint64 {
	slot += n
	if slot >= uint64(len(r.slots)) {
		slot -= uint64(len(r.slots))
	}
	return slot
}
