package ringbuffer

import (
	"sync/atomic"
	"unsafe"

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
//       consumer: read slots[h]; slots[h] = zero; publishHead(h+1) --> producer: head.Load() == h+1; write slots[h]
//     The CAS and publishHead are releases and the Load that observes them an acquire, so
//     the slot write is synchronized before the slot read on the other
//     side, which is the whole contract of Ring.
//   - The two publishes differ. The producer's stays a CAS, never a
//     release store, although a release would do for the hand-over:
//     Close writes the same word (the closed mark), and only a
//     read-modify-write orders a publish with a Close from another
//     goroutine (above). The consumer's, publishHead, has no such rival
//     (only the consumer writes head), so it may be a plain release
//     store: sync/atomic's Store by default, or with WithReleasePublish
//     storeRelease, a plain MOV on amd64 and STLR on arm64, which does not
//     wait for the consumer's earlier stores to reach the cache. Why each
//     is a release store in its hardware's memory model, and why the
//     compiler cannot move the slot read and zeroing past the call, is in
//     release_asm.go. (In the Go memory model only sync/atomic creates
//     happens-before; the release store relies on the hardware's model and
//     the call's opacity, so the race detector builds use sync/atomic.)
//   - What the release store gives up, on amd64, is its order before the
//     consumer's later loads: it may wait in the store buffer while they
//     read. A producer that waits for space by announcing itself (a
//     sequentially consistent store that the consumer loads after each
//     pop) and then re-checking Full can then see the ring full while the
//     consumer's load misses the announcement: a lost wake-up (a
//     capacity-1 channel built on such rings hung within about 3 million
//     items, its sender asleep beside an empty ring). Such a producer
//     re-checks with FullAfterAnnounce, which puts a process-wide barrier
//     (membarrier(2)) between its announcement and its reload of head.
//     On arm64, STLR is ordered before a later LDAR (sync/atomic's loads),
//     so the barrier is not needed there.
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

// Ring is a bounded single-producer single-consumer queue of T. Its two
// roles are two views of it: Producer (pushes) and Consumer (pops), so
// that a call from the wrong side does not compile; the methods any
// goroutine may call are on the Ring itself. See the package documentation
// for the concurrency contract. The zero value is not usable; create rings
// with New.
type Ring[T any] struct {
	// Layout: two cache lines, one per side, and nothing else. The
	// producer's line holds what only the producer writes (tail, Close
	// its mark) and reads on every push; the consumer's line what only the
	// consumer writes and reads on every pop. So a write by one side never
	// invalidates the line the other side is using (no false sharing),
	// and each side finds everything it needs on its own line: the slots
	// slice, read-only after New, is kept twice, once per line, so that no
	// side reads the other's line to find the slots. The ring is exactly
	// two lines long, which is a size class of Go's allocator whose
	// objects start on a line boundary (a size class that is a multiple of
	// the line size, carved from page-aligned spans), so the two lines are
	// the ring's alone without a leading or trailing pad (TestRingLines
	// holds this). Earlier the ring padded each group and both of its
	// ends: 352 bytes where this is 128 (amd64), the largest part of a
	// small channel's cost to make. Make[int](1) with a send and a
	// receive went from 889 to 697 ns (968 to 744 B; make(chan int, 1):
	// 167 ns; AMD EPYC, 8 interleaved runs, p=0.01), and streaming did
	// not change (1->1 item by item 45.7 -> 43.8 ns, batches of 64 2.03 ->
	// 1.94 ns, both p>0.05 over 10 runs).

	// Producer's line: tail (count | closedMark) is written by the
	// producer, read by the consumer only when its cached copy says the
	// ring is empty; Close sets its mark.
	tail       atomic.Uint64
	cachedHead uint64 // producer's private copy of head
	tailSlot   uint64 // tail mod len(slots), kept incrementally
	pslots     []T    // the producer's copy of slots
	_          [lineSize - 48]byte

	// Consumer's line: head is written by the consumer, read by the
	// producer only when its cached copy says the ring is full.
	head       atomic.Uint64
	cachedTail uint64 // consumer's private copy of count(tail)
	headSlot   uint64 // head mod len(slots), kept incrementally
	slots      []T    // read-only after New, as pslots
	// release: the consumer publishes head with storeRelease, not with
	// sync/atomic's Store (WithReleasePublish, see the invariants).
	release bool
	_       [lineSize - 56]byte
}

// lineSize is the cache line size of the target architecture.
const lineSize = unsafe.Sizeof(cpu.CacheLinePad{})

const (
	// closedMark is the tail word's closed bit (see the invariants).
	closedMark uint64 = 1 << 63
	// countMask keeps the count bits of an index; counts wrap at 2^63.
	countMask = closedMark - 1
)

// New returns an empty ring that holds up to capacity items. Capacity is
// honoured exactly: Cap returns capacity and a ring of capacity n accepts
// exactly n items before it reports full. New panics if capacity < 1.
func New[T any](capacity int, opts ...Option) *Ring[T] {
	if capacity < 1 {
		panic("ringbuffer: capacity must be at least 1")
	}
	var o options
	if len(opts) > 0 {
		o = configure(opts)
	}
	slots := make([]T, capacity)
	r := &Ring[T]{pslots: slots, slots: slots}
	// Where a release publish is not ordered before the consumer's later
	// loads (amd64), it is only used if FullAfterAnnounce has the process
	// barrier it then needs (see the invariants).
	r.release = o.release && (!releaseNeedsBarrier || barrierRegistered())
	return r
}

// configure applies opts. It is apart from New because an option takes
// the options' address, which moves them to the heap: here, only when
// there are options.
//
//go:noinline
func configure(opts []Option) options {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// Option configures a Ring at New.
type Option func(*options)

type options struct {
	release bool
}

// WithReleasePublish makes the consumer publish its index with a release
// store (a plain MOV on amd64, STLR on arm64) instead of sync/atomic's
// sequentially consistent Store, which on amd64 is an XCHG that stalls
// until the consumer's earlier stores (the slot it zeroed, on a line the
// producer wrote last) have reached the cache. The ring's own contract
// needs no more than release.
//
// What a release store gives up, on amd64, is being ordered before the
// consumer's later loads. A producer that waits for space by announcing
// itself (a store that the consumer loads after each pop, to decide
// whether to wake it), then re-checking Producer.Full, then sleeping,
// could miss a pop whose publish still sits in the consumer's store buffer
// while the consumer's load misses the announcement: the producer sleeps
// with room in the ring and nobody wakes it. Such a producer must re-check
// with Producer.FullAfterAnnounce. Where that re-check would need a
// barrier that the system does not offer (amd64 other than Linux, or a
// kernel that refuses membarrier), the option is ignored and the ring
// keeps the sequentially consistent store.
//
// What it buys, measured on a busy 2-core AMD EPYC VM (BENCHMARKS.md): a
// few nanoseconds per pop with nothing shared (BenchmarkPublishAlone,
// fastest push and pop 8.9 ns against 12.1 ns; the call goes through an
// ABI wrapper, which gives part of the XCHG's cost back), and no
// difference benchstat could tell apart between two goroutines on two
// cores. The channel does not use it yet.
func WithReleasePublish() Option { return func(o *options) { o.release = true } }

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

// Producer returns the producer's view of the ring: the methods that only
// the one producing goroutine may call. The view is the ring's pointer and
// nothing else, so it costs nothing to make, copy or keep.
func (r *Ring[T]) Producer() Producer[T] { return Producer[T]{r} }

// Consumer returns the consumer's view of the ring: the methods that only
// the one consuming goroutine may call. Like Producer, it is the ring's
// pointer and nothing else.
func (r *Ring[T]) Consumer() Consumer[T] { return Consumer[T]{r} }

// Producer is the producing side of a Ring: pushes, and the producer's
// views of the free space. Exactly one goroutine at a time may use a
// ring's Producer (see the package documentation); it may run
// concurrently with the Consumer. The methods either side may call (Len,
// Cap, Close, Closed, Pushed, Popped) stay on the Ring. The zero value is
// not usable; get a Producer from Ring.Producer.
//
// The producer keeps a private copy of the consumer's index. CachedRoom
// reads only that copy and never touches the consumer's cache line; Room
// always reloads the consumer's index; the other methods reload it only
// when the copy says the ring is full.
type Producer[T any] struct{ r *Ring[T] }

// Consumer is the consuming side of a Ring: pops, and the consumer's view
// of what is queued. Exactly one goroutine at a time may use a ring's
// Consumer (see the package documentation); it may run concurrently with
// the Producer. The zero value is not usable; get a Consumer from
// Ring.Consumer.
//
// The consumer keeps a private copy of the producer's index. CachedReady
// reads only that copy and never touches the producer's cache line; the
// other methods reload the producer's index only when the copy says the
// ring is empty (Drained and ClearQueued always load it).
type Consumer[T any] struct{ r *Ring[T] }

// TryPush appends v and reports true, or reports false without changing
// anything if the ring is full or closed (Ring.Closed tells which).
func (p Producer[T]) TryPush(v T) bool {
	r := p.r
	t := r.tail.Load() // own index; only Close writes it besides us
	if t&closedMark != 0 {
		return false
	}
	if (t-r.cachedHead)&countMask == uint64(len(r.pslots)) {
		r.cachedHead = r.head.Load() // acquire: the consumer is done with slot t mod cap
		if (t-r.cachedHead)&countMask == uint64(len(r.pslots)) {
			return false
		}
	}
	r.pslots[r.tailSlot] = v
	// release: publishes the slot write to the consumer. It fails only if
	// Close set the mark since our load: then the slot is still ours.
	if !r.tail.CompareAndSwap(t, (t+1)&countMask) {
		var zero T
		r.pslots[r.tailSlot] = zero
		return false
	}
	r.tailSlot = r.advance(r.tailSlot, 1, len(r.pslots))
	return true
}

// TryPop removes and returns the oldest item, or reports false if the ring
// is empty. The slot it occupied is zeroed.
func (c Consumer[T]) TryPop() (T, bool) {
	r := c.r
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
	r.headSlot = r.advance(r.headSlot, 1, len(r.slots))
	r.publishHead((h + 1) & countMask) // release: the slot may be reused by the producer
	return v, true
}

// Pushed returns how many items have ever been pushed (modulo 2^63). Any
// goroutine may call it; it is one atomic load.
func (r *Ring[T]) Pushed() uint64 { return r.tail.Load() & countMask }

// Popped returns how many items have ever been popped (modulo 2^63). Any
// goroutine may call it; it is one atomic load.
func (r *Ring[T]) Popped() uint64 { return r.head.Load() }

// CachedReady returns how many items the consumer can pop before it next
// reloads the producer's index: what its cached copy of that index shows.
// It never touches the producer's cache line.
func (c Consumer[T]) CachedReady() int {
	return int((c.r.cachedTail - c.r.head.Load()) & countMask)
}

// CachedRoom returns how many items the producer can push before it next
// reloads the consumer's index: what its cached copy of that index shows
// (0 once the ring is closed). It never touches the consumer's cache line;
// Room reloads the index.
func (p Producer[T]) CachedRoom() int {
	t := p.r.tail.Load()
	if t&closedMark != 0 {
		return 0
	}
	return len(p.r.pslots) - int((t-p.r.cachedHead)&countMask)
}

// Room returns how many items the producer can push right now without
// failing (at least; the consumer may free more concurrently), and 0 once
// the ring is closed. It always reloads the consumer's index, a cache line
// the consumer writes; CachedRoom does not.
func (p Producer[T]) Room() int {
	r := p.r
	t := r.tail.Load()
	if t&closedMark != 0 {
		return 0
	}
	r.cachedHead = r.head.Load()
	return len(r.pslots) - int((t-r.cachedHead)&countMask)
}

// Full reports whether the ring has no free slot right now. It reloads the
// consumer's index only when the producer's cached copy says full, so in
// the steady state it touches no shared cache line. A closed ring may
// still report false: see Ring.Closed.
func (p Producer[T]) Full() bool {
	r := p.r
	t := r.tail.Load() & countMask
	if (t-r.cachedHead)&countMask < uint64(len(r.pslots)) {
		return false
	}
	r.cachedHead = r.head.Load() // acquire, see TryPush
	return (t-r.cachedHead)&countMask == uint64(len(r.pslots))
}

// FullAfterAnnounce is Full for the re-check of a wait for space that
// follows the announce, re-check, sleep order: the producer has stored,
// with a sequentially consistent atomic, that it is about to sleep, and
// the consumer loads that word after each pop to decide whether to wake
// it. If FullAfterAnnounce reports true, every pop it did not count is
// followed, in the consumer, by a load that sees the announcement, so a
// wake-up cannot be lost. With sync/atomic's Store as the consumer's
// publish, Full has that property already; with WithReleasePublish on
// amd64, FullAfterAnnounce first runs a process-wide memory barrier
// (membarrier(2)) when the ring looks full, which costs about a
// microsecond.
func (p Producer[T]) FullAfterAnnounce() bool {
	if !p.Full() {
		return false
	}
	if !p.r.release || !releaseNeedsBarrier {
		return true
	}
	// Either the consumer's load of the announcement comes after the
	// barrier in the consumer's order, and then it sees the announcement
	// (stored before the barrier); or it came before, and then the
	// barrier has drained the publishes that precede it, and the reload
	// in Full below counts them.
	processBarrier()
	return p.Full()
}

// Empty reports whether a TryPop would fail right now. It reloads the
// producer's index only when the consumer's cached copy says empty.
func (c Consumer[T]) Empty() bool {
	r := c.r
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
// goroutine may call it; it reports whether this call closed it.
func (r *Ring[T]) Close() bool {
	// One read-modify-write, ordered with the producer's publish CAS on
	// the same word (see the invariants); wait-free, however busy the
	// producer is.
	return r.tail.Or(closedMark)&closedMark == 0
}

// Closed reports whether Close has been called. Any goroutine may call it.
func (r *Ring[T]) Closed() bool { return r.tail.Load()&closedMark != 0 }

// Drained reports whether the ring is closed and empty: no item will ever
// be popped from it again. It loads both indices. (Another goroutine may
// call it once the consumer is done popping.)
func (c Consumer[T]) Drained() bool {
	t := c.r.tail.Load() // acquire: once the mark is seen, the count is final
	return t&closedMark != 0 && t&countMask == c.r.head.Load()
}

// PushBatch appends as many items from the front of items as fit and
// returns how many it appended (0 if the ring is full or closed, or items
// is empty). All of them become visible to the consumer at once, with a
// single index publish.
func (p Producer[T]) PushBatch(items []T) int {
	if len(items) == 0 {
		return 0
	}
	r := p.r
	t := r.tail.Load()
	if t&closedMark != 0 {
		return 0
	}
	capacity := uint64(len(r.pslots))
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
	copy(r.pslots[r.tailSlot:r.tailSlot+first], items[:first])
	copy(r.pslots[:n-first], items[first:n])
	// release: publishes every slot written above; fails only if Close set
	// the mark since our load, and then the slots are still ours.
	if !r.tail.CompareAndSwap(t, (t+n)&countMask) {
		clear(r.pslots[r.tailSlot : r.tailSlot+first])
		clear(r.pslots[:n-first])
		return 0
	}
	r.tailSlot = r.advance(r.tailSlot, n, len(r.pslots))
	return int(n)
}

// PopBatch moves up to len(dst) of the oldest items into dst, in order,
// and returns how many it moved (0 if the ring is empty or dst is empty).
// The slots they occupied are zeroed and released to the producer with a
// single index publish.
func (c Consumer[T]) PopBatch(dst []T) int {
	if len(dst) == 0 {
		return 0
	}
	r := c.r
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
	r.headSlot = r.advance(r.headSlot, n, len(r.slots))
	r.publishHead((h + n) & countMask) // release: the slots may be reused by the producer
	return int(n)
}

// ClearQueued zeroes every queued item in place, without removing any: the
// ring still holds them (Len is unchanged) and the producer still sees
// their slots as taken. It is for a consumer that will never pop again,
// so that the items it abandons are no longer reachable through the ring,
// while no slot is released that a producer could reuse. It returns how
// many items it cleared.
func (c Consumer[T]) ClearQueued() int {
	r := c.r
	h := r.head.Load()
	t := r.tail.Load() & countMask // acquire: the slots up to t are written; the producer only writes beyond
	n := (t - h) & countMask
	first := min(n, uint64(len(r.slots))-r.headSlot)
	clear(r.slots[r.headSlot : r.headSlot+first])
	clear(r.slots[:n-first])
	return int(n)
}

// publishHead is the consumer's index publish: sync/atomic's sequentially
// consistent Store, or with WithReleasePublish a release store
// (storeRelease, see release_asm.go). Consumer only.
func (r *Ring[T]) publishHead(h uint64) {
	if r.release {
		storeRelease((*uint64)(unsafe.Pointer(&r.head)), h)
		return
	}
	r.head.Store(h)
}

// atomic.Uint64 is exactly its uint64 (its other fields are zero-sized),
// so &r.head is the address of the word that head.Load reads. This
// constant fails to compile if that ever changes.
const _ = -(unsafe.Sizeof(atomic.Uint64{}) - 8)

// advance returns slot+n reduced into [0, size) for n <= size, without
// a division. It is a method of the generic Ring, not a plain function:
// as a plain function (go1.26.8) it was not inlined into the pop and push
// that another package's instantiation compiles (objdump showed a CALL in
// channel's TryPop), and a call on every item is what this file avoids.
func (*Ring[T]) advance(slot, n uint64, size int) uint64 {
	slot += n
	if slot >= uint64(size) {
		slot -= uint64(size)
	}
	return slot
}
