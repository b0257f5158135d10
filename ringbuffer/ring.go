package ringbuffer

import (
	"sync/atomic"

	"golang.org/x/sys/cpu"
)

// Invariants:
//
//   - The tail word holds the count of items ever pushed in bits 0..62 and
//     the closed mark in bit 63; head holds the count of items ever popped.
//     Both counts only grow, modulo 2^63 (every sum and difference of
//     counts is masked with countMask, so they wrap correctly), and
//     0 <= count(tail)-head <= cap.
//   - head is written only by the consumer. The count in tail is written
//     only by the producer; the closed mark is set by Close, from any
//     goroutine, and never cleared. Each side reads the other's index with
//     an atomic Load.
//   - Publishing is a CAS of the tail word from the exact value the
//     producer loaded to that value plus n, never a plain store. Close
//     sets the mark with an atomic Or, so the two are ordered on one word:
//     either the publish comes first (its items are in the ring, and
//     whoever sees the mark sees them) or the mark comes first and the
//     publish fails, leaving nothing behind. After a consumer has seen the
//     mark, count(tail) never changes again: a consumer that sees the mark
//     and head == count(tail) knows the ring is drained for good. (This is
//     crossbeam's array flavor: a send after disconnect fails on the very
//     word it would publish to.)
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
//       producer: slots[t] = v; tail.CAS(t, t+1) --> consumer: tail.Load() == t+1; read slots[t]
//       consumer: slots[h] = zero; head.Store(h+1) --> producer: head.Load() == h+1; write slots[h]
//     The CAS and the Store are releases and the Load that observes them an acquire, so
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
//     so the ring never keeps a popped value reachable; a push whose
//     publish failed because of the mark zeroes the slot it wrote.

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

	// Producer side: tail (count | closedMark) is written by the producer,
	// read by the consumer only when its cached copy says the ring is
	// empty; Close sets its mark.
	tail       atomic.Uint64
	cachedHead uint64 // producer's private copy of head
	tailSlot   uint64 // tail mod len(slots), kept incrementally
	_          cpu.CacheLinePad

	// Consumer side: head is written by the consumer, read by the producer
	// only when its cached copy says the ring is full.
	head       atomic.Uint64
	cachedTail uint64 // consumer's private copy of count(tail)
	headSlot   uint64 // head mod len(slots), kept incrementally
	_          cpu.CacheLinePad

	// Read-only after New: shared by both sides without synchronisation.
	slots []T
	_     cpu.CacheLinePad
}

const (
	// closedMark is the tail word's closed bit (see the invariants).
	closedMark uint64 = 1 << 63
	// countMask keeps the count bits of an index; counts wrap at 2^63.
	countMask = closedMark - 1
)

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
	t := r.tail.Load() & countMask
	n := (t - h) & countMask
	if n > uint64(len(r.slots)) {
		n = uint64(len(r.slots))
	}
	return int(n)
}

// TryPush appends v and reports true, or reports false without changing
// anything if the ring is full or closed (Closed tells which). Producer
// only.
func (r *Ring[T]) TryPush(v T) bool {
	t := r.tail.Load() // own index; only Close writes it besides us
	if t&closedMark != 0 {
		return false
	}
	if (t-r.cachedHead)&countMask == uint64(len(r.slots)) {
		r.cachedHead = r.head.Load() // acquire: the consumer is done with slot t mod cap
		if (t-r.cachedHead)&countMask == uint64(len(r.slots)) {
			return false
		}
	}
	r.slots[r.tailSlot] = v
	// release: publishes the slot write to the consumer. It fails only if
	// Close set the mark since our load: then the slot is still ours.
	if !r.tail.CompareAndSwap(t, (t+1)&countMask) {
		var zero T
		r.slots[r.tailSlot] = zero
		return false
	}
	r.tailSlot = r.advance(r.tailSlot, 1)
	return true
}

// TryPop removes and returns the oldest item, or reports false if the ring
// is empty. The slot it occupied is zeroed. Consumer only.
func (r *Ring[T]) TryPop() (T, bool) {
	var zero T
	h := r.head.Load() // own index
	if h == r.cachedTail {
		r.cachedTail = r.tail.Load() & countMask // acquire: the producer's slot write is visible
		if h == r.cachedTail {
			return zero, false
		}
	}
	v := r.slots[r.headSlot]
	r.slots[r.headSlot] = zero
	r.headSlot = r.advance(r.headSlot, 1)
	r.head.Store((h + 1) & countMask) // release: the slot may be reused by the producer
	return v, true
}

// Pushed returns how many items have ever been pushed (modulo 2^63). Any
// goroutine may call it; it is one atomic load.
func (r *Ring[T]) Pushed() uint64 { return r.tail.Load() & countMask }

// Popped returns how many items have ever been popped (modulo 2^63). Any
// goroutine may call it; it is one atomic load.
func (r *Ring[T]) Popped() uint64 { return r.head.Load() }

// Ready returns how many items the consumer can pop before it next reloads
// the producer's index: what its cached copy of that index shows. It never
// touches the producer's cache line. Consumer only.
func (r *Ring[T]) Ready() int { return int((r.cachedTail - r.head.Load()) & countMask) }

// Room returns how many items the producer can push before it next
// reloads the consumer's index: what its cached copy of that index shows.
// It never touches the consumer's cache line. Producer only.
func (r *Ring[T]) Room() int {
	t := r.tail.Load()
	if t&closedMark != 0 {
		return 0
	}
	return len(r.slots) - int((t-r.cachedHead)&countMask)
}

// Full reports whether the ring has no free slot right now. It reloads the
// consumer's index only when the producer's cached copy says full, so in
// the steady state it touches no shared cache line. A closed ring may
// still report false: see Closed. Producer only.
func (r *Ring[T]) Full() bool {
	t := r.tail.Load() & countMask
	if (t-r.cachedHead)&countMask < uint64(len(r.slots)) {
		return false
	}
	r.cachedHead = r.head.Load() // acquire, see TryPush
	return (t-r.cachedHead)&countMask == uint64(len(r.slots))
}

// Empty reports whether a TryPop would fail right now. It reloads the
// producer's index only when the consumer's cached copy says empty.
// Consumer only.
func (r *Ring[T]) Empty() bool {
	h := r.head.Load()
	if h != r.cachedTail {
		return false
	}
	r.cachedTail = r.tail.Load() & countMask // acquire, see TryPop
	return h == r.cachedTail
}

// Close marks the ring closed: every later push fails, and a push that was
// under way fails at its publish and leaves nothing behind (see the
// invariants). Items already pushed stay for the consumer to pop. Any
// goroutine may call it; it reports whether this call closed the ring.
func (r *Ring[T]) Close() bool {
	// One read-modify-write, ordered with the producer's publish CAS on
	// the same word (see the invariants); wait-free, however busy the
	// producer is.
	return r.tail.Or(closedMark)&closedMark == 0
}

// Closed reports whether Close has been called. Any goroutine may call it.
func (r *Ring[T]) Closed() bool { return r.tail.Load()&closedMark != 0 }

// Drained reports whether the ring is closed and empty: no item will ever
// be popped from it again. Consumer only (or any goroutine once the
// consumer is done).
func (r *Ring[T]) Drained() bool {
	t := r.tail.Load() // acquire: once the mark is seen, the count is final
	return t&closedMark != 0 && t&countMask == r.head.Load()
}

// Free returns how many items the producer can push right now without
// failing (at least; the consumer may free more concurrently). It always
// reloads the consumer's index. Producer only.
func (r *Ring[T]) Free() int {
	t := r.tail.Load()
	if t&closedMark != 0 {
		return 0
	}
	r.cachedHead = r.head.Load()
	return len(r.slots) - int((t-r.cachedHead)&countMask)
}

// PushBatch appends as many items from the front of items as fit and
// returns how many it appended (0 if the ring is full or closed, or items
// is empty). All of them become visible to the consumer at once, with a
// single index publish. Producer only.
func (r *Ring[T]) PushBatch(items []T) int {
	if len(items) == 0 {
		return 0
	}
	t := r.tail.Load()
	if t&closedMark != 0 {
		return 0
	}
	capacity := uint64(len(r.slots))
	free := capacity - (t-r.cachedHead)&countMask
	if free < uint64(len(items)) {
		r.cachedHead = r.head.Load() // acquire, see TryPush
		free = capacity - (t-r.cachedHead)&countMask
		if free == 0 {
			return 0
		}
	}
	n := min(uint64(len(items)), free)
	// Copy in at most two runs: up to the end of slots, then from slot 0.
	first := min(n, capacity-r.tailSlot)
	copy(r.slots[r.tailSlot:r.tailSlot+first], items[:first])
	copy(r.slots[:n-first], items[first:n])
	// release: publishes every slot written above; fails only if Close set
	// the mark since our load, and then the slots are still ours.
	if !r.tail.CompareAndSwap(t, (t+n)&countMask) {
		clear(r.slots[r.tailSlot : r.tailSlot+first])
		clear(r.slots[:n-first])
		return 0
	}
	r.tailSlot = r.advance(r.tailSlot, n)
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
	avail := (r.cachedTail - h) & countMask
	if avail < uint64(len(dst)) {
		r.cachedTail = r.tail.Load() & countMask // acquire, see TryPop
		avail = (r.cachedTail - h) & countMask
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
	r.head.Store((h + n) & countMask) // release: the slots may be reused by the producer
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
	t := r.tail.Load() & countMask // acquire: the slots up to t are written; the producer only writes beyond
	n := (t - h) & countMask
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
