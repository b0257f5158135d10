package ownership

import (
	"math"
	"sync"
	"sync/atomic"

	"github.com/puzpuzpuz/xsync/v3"
	"golang.org/x/sys/cpu"
)

// Invariants:
//
// The owner's control word ctl packs
//
//		bits 63..32  epoch    (never 0, frozenEpoch or stealingEpoch)
//		bit  31      parked   the owner is in a parked region (at a safepoint)
//		bit  30      waiting  a thief sleeps on o.wake; the next bump must wake it
//		bit  29      closed   the owner is retired; everything naming it is free
//		bits 28..0   pending  steal/thaw requests not yet answered by a bump
//
//	 1. Only o's own goroutine clears the parked bit (Unpark), sets it (Park),
//	    or bumps the epoch while not parked (Preempt, Park). While the parked bit
//	    is set, a thief may bump on o's behalf; nobody else changes the epoch.
//	    Epoch and parked share one word, so "bump on behalf of a parked owner"
//	    is one CAS and cannot interleave with Unpark.
//	 2. A bump sets epoch to nextEpoch(epoch) and clears pending and waiting in
//	    the same CAS. Hence pending > 0 implies every counted request was made
//	    at the current epoch, and a thief that finds epoch == e still has its
//	    request counted (its rollback may decrement it).
//	 3. While parked, pending == 0: Park bumps if pending > 0, and a thief that
//	    sees parked bumps instead of adding a request. So Unpark never finds
//	    work to do other than refreshing cur.
//	 4. o.cur == pack(o.id, epoch(ctl)) whenever o's goroutine runs outside a
//	    parked region (refreshed at every bump it performs and at Unpark). It is
//	    a plain field read only by o's goroutine: Owns is one atomic load of the
//	    header and a compare with it.
//	 5. Whoever clears the waiting bit (a bump, or Close) closes o.wake after
//	    the CAS. A waiter takes the channel before it sets the bit with a CAS
//	    that re-checks the epoch, so a wake-up is never lost: either its CAS
//	    fails because the epoch moved, or the bump that moves it sees the bit
//	    and closes the channel it holds (or a newer bump already closed it).
//	 6. Owner ids come from a global counter, are never reused, and an id that
//	    is not in the registry belongs to a closed owner.
type Owner struct {
	// Owner-goroutine-only fields, read on every Owns.
	cur       uint64 // pack(id, epoch) at the last refresh; see invariant 4
	id        uint32
	name      string // set at creation, never changed: any goroutine may read it
	parkDepth int32  // nesting depth of Park; the parked bit is set iff > 0

	_ cpu.CacheLinePad // keep thieves' CASes on ctl off the line Owns reads

	ctl atomic.Uint64

	mu   sync.Mutex
	wake chan struct{} // closed by the bumper when the waiting bit was set; nil until needed

	// Steal-finished notification: callers that find a header in (o.id,
	// stealingEpoch) wait for o to finish that steal.
	doneWaiters atomic.Bool
	done        chan struct{} // guarded by mu
}

const (
	ctlEpochShift        = 32
	parkedBit     uint64 = 1 << 31
	waitingBit    uint64 = 1 << 30
	closedBit     uint64 = 1 << 29
	pendingMask   uint64 = closedBit - 1
)

func ctlEpoch(c uint64) uint32   { return uint32(c >> ctlEpochShift) }
func ctlPending(c uint64) uint64 { return c & pendingMask }

// bumped returns c with the epoch advanced and pending and waiting cleared;
// parked and closed are kept.
func bumped(c uint64) uint64 {
	return uint64(nextEpoch(ctlEpoch(c)))<<ctlEpochShift | c&(parkedBit|closedBit)
}

var (
	registry = xsync.NewMapOf[uint32, *Owner]()
	lastID   atomic.Uint64
)

// NewOwner creates and registers a new owner (the seed's "thread"). An Owner
// is used by one goroutine at a time; handing it to another goroutine needs a
// happens-before edge (a channel send, a WaitGroup, ...).
func NewOwner() *Owner { return NewNamedOwner("") }

// NewNamedOwner is NewOwner with a name that error messages show next to
// the owner's id ("owned by owner 3 (\"sink\")"), so that a use-after-send
// says which stage holds the object.
func NewNamedOwner(name string) *Owner {
	n := lastID.Add(1)
	if n >= math.MaxUint32 {
		panic("ownership: owner ids exhausted")
	}
	o := &Owner{id: uint32(n), name: name}
	o.ctl.Store(uint64(firstEpoch) << ctlEpochShift)
	o.cur = pack(o.id, firstEpoch)
	registry.Store(o.id, o)
	return o
}

// Lookup returns the live owner with the given id; false if there is none
// (never created, or closed).
func Lookup(id uint32) (*Owner, bool) {
	return registry.Load(id)
}

// ID returns o's id (never 0, never reused).
func (o *Owner) ID() uint32 { return o.id }

// Name returns the name o was created with ("" for NewOwner).
func (o *Owner) Name() string { return o.name }

// Epoch returns o's current epoch. Any goroutine may call it.
func (o *Owner) Epoch() uint32 { return ctlEpoch(o.ctl.Load()) }

// Closed reports whether o has been closed. Any goroutine may call it.
func (o *Owner) Closed() bool { return o.ctl.Load()&closedBit != 0 }

// Close retires o: every object whose word names o becomes free, thieves stop
// waiting for o, Transfer to o fails with ErrOwnerClosed, and o's id leaves
// the registry. Close is idempotent. It must be called by o's goroutine after
// its last access to o's objects (or by any goroutine that happens-after
// that); o must not be used afterwards.
func (o *Owner) Close() {
	for {
		c := o.ctl.Load()
		if c&closedBit != 0 {
			return
		}
		// Happens-before: o's last plain access -> this CAS (release) -> any
		// claimer or thief whose ctl load observes closedBit (acquire).
		if o.ctl.CompareAndSwap(c, (c|closedBit)&^waitingBit) {
			break
		}
	}
	o.cur = noneWord // Owns now fails for every header
	o.wakeWaiters()
	// Deregister last: a claimer that misses o in the registry reads the
	// map's atomics written after the closing CAS, so it happens-after it too.
	registry.Delete(o.id)
}

// Preempt is a preemption point. With no steal pending it is one atomic load.
// Otherwise it bumps o's epoch: every object o owned becomes stale (o must
// re-check and re-claim what it still uses) and the waiting thieves proceed.
// Check results obtained before Preempt are void after it.
func (o *Owner) Preempt() {
	// Happens-before: none needed when nothing is pending; the object words
	// are untouched. A thief's pending increment is observed here at the
	// latest on the next call.
	if o.ctl.Load()&pendingMask != 0 {
		o.preemptSlow()
	}
}

//go:noinline
func (o *Owner) preemptSlow() {
	for {
		c := o.ctl.Load()
		if ctlPending(c) == 0 {
			return
		}
		// Happens-before: o's plain accesses so far -> this bump CAS
		// (release) -> the thief's ctl load/CAS that observes the new epoch
		// (acquire) -> the thief's S5 store -> the thief's plain accesses.
		if o.ctl.CompareAndSwap(c, bumped(c)) {
			o.cur = pack(o.id, ctlEpoch(bumped(c)))
			if c&waitingBit != 0 {
				o.wakeWaiters()
			}
			return
		}
	}
}

// Park enters a parked region: o's goroutine is about to block (a channel
// wait, I/O) and will not touch its objects until Unpark. Park is a
// preemption point (it answers pending steals by bumping the epoch), and
// while o is parked a thief bumps o's epoch on its behalf instead of waiting,
// so stealing from a parked owner costs about as much as taking a free mutex.
// Park may nest; only the outermost Park/Unpark pair changes state.
func (o *Owner) Park() {
	o.parkDepth++
	if o.parkDepth > 1 {
		return
	}
	for {
		c := o.ctl.Load()
		n := c | parkedBit
		if ctlPending(c) != 0 {
			n = bumped(c) | parkedBit
		}
		// Happens-before: o's plain accesses so far -> this CAS (release) ->
		// a thief's CAS that observes parkedBit and bumps on o's behalf, or
		// observes the bumped epoch (acquire).
		if o.ctl.CompareAndSwap(c, n) {
			if n != c|parkedBit && c&waitingBit != 0 {
				o.wakeWaiters()
			}
			return
		}
	}
}

// Unpark leaves the parked region and refreshes o's view of its epoch: a thief
// may have bumped it meanwhile, in which case every object o owned is stale
// and must be re-claimed. Unpark without a matching Park panics.
func (o *Owner) Unpark() {
	if o.parkDepth <= 0 {
		panic("ownership: Unpark without Park")
	}
	o.parkDepth--
	if o.parkDepth > 0 {
		return
	}
	for {
		c := o.ctl.Load()
		// Happens-before: a thief's bump on o's behalf (release) -> this CAS
		// (acquire) -> o's later Owns loads, which then see the thief's S5
		// store or a later word, never the pre-steal one.
		if o.ctl.CompareAndSwap(c, c&^parkedBit) {
			o.cur = pack(o.id, ctlEpoch(c))
			return
		}
	}
}

// wakeWaiters wakes every thief sleeping on o's bump notification. Called by
// whoever cleared the waiting bit (invariant 5), and by Close.
func (o *Owner) wakeWaiters() {
	o.mu.Lock()
	if o.wake != nil {
		close(o.wake)
		o.wake = nil
	}
	o.mu.Unlock()
}

// wakeChan returns the channel the next waking bump will close.
func (o *Owner) wakeChan() chan struct{} {
	o.mu.Lock()
	if o.wake == nil {
		o.wake = make(chan struct{})
	}
	ch := o.wake
	o.mu.Unlock()
	return ch
}

// doneChan returns the channel closed when o next finishes a steal or thaw.
// The caller must set doneWaiters after taking it and re-read the header.
func (o *Owner) doneChan() chan struct{} {
	o.mu.Lock()
	if o.done == nil {
		o.done = make(chan struct{})
	}
	ch := o.done
	o.mu.Unlock()
	return ch
}

// stealFinished is called by o after it moved a header out of
// (o.id, stealingEpoch). Waiter: take channel, set flag, re-read header.
// Here: store header, then swap flag. With sequentially consistent atomics,
// either the waiter's re-read sees the new word or this swap sees its flag.
func (o *Owner) stealFinished() {
	if o.doneWaiters.Load() && o.doneWaiters.Swap(false) {
		o.mu.Lock()
		if o.done != nil {
			close(o.done)
			o.done = nil
		}
		o.mu.Unlock()
	}
}
