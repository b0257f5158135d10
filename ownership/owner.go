package ownership

import (
	"runtime"
	"sync"
	"sync/atomic"
	"weak"
)

// Invariants:
//
// An owner's shared state lives in its core (allocated apart from the Owner,
// so that the registry and the GC cleanup can reach it without keeping the
// Owner alive; see ids.go). The core's control word ctl packs
//
//		bits 63..32  epoch      (never 0, frozenEpoch or stealingEpoch)
//		bit  31      parked     the owner is in a parked region (at a safepoint)
//		bit  30      waiting    a thief or thawer sleeps on c.wake; whoever
//		                        clears the bit must wake it
//		bit  29      closed     the owner is retired; everything naming it is free
//		bit  28      retire     Retire asked o's goroutine to close at its next
//		                        preemption point
//		bit  27      safepoint  a Thaw asks for a preemption point, no bump
//		bits 26..19  tick       safepoint requests answered, mod 256
//		bits 18..0   pending    steal requests not yet answered by a bump
//
//	 1. Only o's own goroutine clears the parked bit (Unpark), sets it (Park),
//	    or answers requests while not parked (Preempt, Park). While parked, a
//	    thief may bump and Retire may close on o's behalf (and the GC closes
//	    an o nobody can reach: ids.go); nobody else changes the epoch. Epoch,
//	    parked and closed share one word, so "bump (or close) on behalf of a
//	    parked owner" is one CAS and cannot interleave with Unpark.
//	 2. An answer (answered) is one CAS that clears safepoint, waiting and
//	    pending, advances tick iff safepoint was set, and sets epoch to
//	    nextEpoch(epoch) iff pending > 0. Hence pending > 0 implies every
//	    counted steal request was made at the current epoch (a thief that
//	    finds epoch == e still has its request counted, and its rollback may
//	    decrement it); and a thawer that asked for a safepoint and finds tick
//	    and epoch unchanged (and o neither parked nor closed) knows no
//	    preemption point has passed since it looked, while one that finds
//	    tick changed knows one has (tick changes only by such answers; after
//	    256 of them it may look unchanged again, which only makes the thawer
//	    wait for one more: see want.sleepBits).
//	 3. While parked: pending == 0, safepoint and retire are clear. Park
//	    answers (or closes for a retire) in the CAS that sets parked; a thief
//	    that sees parked bumps instead of adding a request, a thawer skips a
//	    parked owner, Retire closes a parked owner instead of asking. So
//	    Unpark never finds work to do other than refreshing cur.
//	 4. o.cur is a plain field written only by o's goroutine. Outside a parked
//	    region it is pack(o.id, epoch(ctl)) while o is open, and noneWord from
//	    the moment o's goroutine closes o or first observes it closed (Close,
//	    a Preempt, Park or Unpark that answers a retire or finds closed). Owns
//	    is one atomic load of the header and a compare with it. A close on o's
//	    behalf (Retire while parked, the GC) leaves cur alone: o's goroutine is
//	    parked or gone, and touches no object until Unpark sets cur.
//	 5. waiting implies pending > 0 or safepoint: a waiter sets waiting in
//	    the CAS that re-checks its condition, and its own request is still in
//	    place then (a thawer re-asserts safepoint in that CAS). Whoever clears
//	    the waiting bit (an answer, a close) closes c.wake after the CAS. A
//	    waiter takes the channel before it sets the bit, so a wake-up is never
//	    lost: either its CAS fails because the word moved, or the CAS that
//	    moves it sees the bit and closes the channel it holds (or a newer
//	    one already closed it).
//	 6. closed is final: after the closing CAS nobody writes ctl again (every
//	    other CAS re-checks closed first, or expects a word without it). So
//	    the epoch at close is the last of the id's life (see ids.go).
//	 7. An owner with retire set but closed clear is live: it still owns its
//	    objects, thieves and thawers wait for it as for any owner, and its
//	    goroutine's check results stay valid until its next preemption point.

// Owner is the identity under which one goroutine holds objects: the objects
// whose Header names o (at o's current epoch) are o's alone, o's goroutine
// reads and writes their plain fields without locks after a check (Owns,
// Check, Claim, ...), and other owners get them only through o's hand-over
// (Transfer, Release, Freeze) or at o's next preemption point (Steal, Thaw).
//
// An Owner is used by one goroutine at a time; handing it to another
// goroutine needs a happens-before edge (a channel send, a WaitGroup, ...).
// The methods that say "any goroutine" (Retire, Closed, Epoch, ID, Name) are
// the exceptions.
//
// An Owner that becomes unreachable is closed by the GC (its objects become
// free, and its id is recycled), so keep it reachable, with
// runtime.KeepAlive if nothing else holds it, while you use objects it owns.
type Owner struct {
	// Owner-goroutine-only fields, read on every Owns.
	cur       uint64 // pack(id, epoch) at the last refresh, or noneWord; see invariant 4
	id        uint32 // o's id for its whole life (recycled after it, see ids.go)
	parkDepth int32  // nesting depth of Park; the parked bit is set iff > 0
	c         *core  // never changes: o's shared state

	cleanup runtime.Cleanup // closes c when o becomes unreachable (ids.go)
}

// core is the part of an owner that other goroutines touch: thieves,
// thawers, Retire, the registry and the GC cleanup. It holds no strong
// reference to its Owner.
type core struct {
	ctl atomic.Uint64

	id    uint32
	birth uint32 // first epoch of this life of id (ids.go)
	name  string // set at creation, never changed: any goroutine may read it
	self  weak.Pointer[Owner]

	idFreed atomic.Bool // the id went back to the pool (ids.go)

	mu   sync.Mutex
	wake chan struct{} // closed by whoever clears the waiting bit; nil until needed

	// Steal-finished notification: callers that find a header in (id,
	// stealingEpoch) wait for this owner to finish that steal.
	doneWaiters atomic.Bool
	done        chan struct{} // guarded by mu
}

const (
	ctlEpochShift        = 32
	parkedBit     uint64 = 1 << 31
	waitingBit    uint64 = 1 << 30
	closedBit     uint64 = 1 << 29
	retireBit     uint64 = 1 << 28
	safepointBit  uint64 = 1 << 27
	tickShift            = 19
	tickOne       uint64 = 1 << tickShift
	tickMask      uint64 = 0xFF << tickShift
	pendingMask   uint64 = tickOne - 1

	// askMask: requests o's goroutine must answer at its next preemption
	// point. Preempt's fast path tests exactly these bits.
	askMask = pendingMask | retireBit | safepointBit
)

func ctlEpoch(c uint64) uint32   { return uint32(c >> ctlEpochShift) }
func ctlPending(c uint64) uint64 { return c & pendingMask }
func ctlTick(c uint64) uint32    { return uint32(c&tickMask) >> tickShift }

// answered returns c after a preemption point answered its requests
// (invariant 2): safepoint, waiting and pending cleared, tick advanced iff a
// safepoint was asked, the epoch advanced iff a steal was pending; parked,
// closed, retire kept.
func answered(c uint64) uint64 {
	n := c &^ (safepointBit | waitingBit | pendingMask)
	if c&safepointBit != 0 {
		n = n&^tickMask | (c+tickOne)&tickMask
	}
	if ctlPending(c) != 0 {
		n = uint64(nextEpoch(ctlEpoch(c)))<<ctlEpochShift | n&(1<<ctlEpochShift-1)
	}
	return n
}

// closedWord returns c closed: every request dropped (nobody waits for a
// closed owner), waiting cleared (the closer wakes), parked and epoch kept.
func closedWord(c uint64) uint64 {
	return (c | closedBit) &^ (waitingBit | retireBit | safepointBit | pendingMask)
}

// NewOwner creates and registers a new owner (the seed's "thread"), with a
// free id; see Owner.
func NewOwner() *Owner { return NewNamedOwner("") }

// NewNamedOwner is NewOwner with a name that error messages show next to
// the owner's id ("owned by owner 3 (\"sink\")"), so that a use-after-send
// says which stage holds the object.
func NewNamedOwner(name string) *Owner {
	id, e := allocID()
	c := &core{id: id, birth: e, name: name}
	c.ctl.Store(uint64(e) << ctlEpochShift)
	o := &Owner{cur: pack(id, e), id: id, c: c}
	c.self = weak.Make(o)
	// The cleanup's argument is c, never o: o stays collectable.
	o.cleanup = runtime.AddCleanup(o, (*core).collected, c)
	register(c)
	return o
}

// Lookup returns the live owner with the given id; false if there is none
// (no owner has it now: never created, or closed; an id may be reused by a
// later owner once its owner closed, see ID).
func Lookup(id uint32) (*Owner, bool) {
	c := lookupCore(id)
	if c == nil || c.ctl.Load()&closedBit != 0 {
		return nil, false
	}
	o := c.self.Value()
	return o, o != nil
}

// ID returns o's id (never 0). No other live owner has it; after o is
// closed, a new owner may get the same id (ids are recycled, and a recycled
// id continues the epoch sequence of its previous life, so an object o left
// behind never looks owned by the newcomer).
func (o *Owner) ID() uint32 { return o.id }

// Name returns the name o was created with ("" for NewOwner).
func (o *Owner) Name() string { return o.c.name }

// Epoch returns o's current epoch. Any goroutine may call it.
func (o *Owner) Epoch() uint32 { return ctlEpoch(o.c.ctl.Load()) }

// Closed reports whether o has been closed. Any goroutine may call it. An
// owner that Retire asked to close reports false until its goroutine
// answers (or at once if it was parked).
func (o *Owner) Closed() bool { return o.c.ctl.Load()&closedBit != 0 }

// Close retires o at once: every object whose word names o becomes free,
// thieves and thawers stop waiting for o, Transfer to o fails with
// ErrOwnerClosed, o's id leaves the registry and goes back to the pool. Close
// is idempotent. It must be called by o's goroutine after its last access to
// o's objects (or by any goroutine that happens-after that); o's checks fail
// afterwards. To close an owner from another goroutine, use Retire.
func (o *Owner) Close() {
	c := o.c
	for {
		w := c.ctl.Load()
		if w&closedBit != 0 {
			break // closed before: by Retire, or a repeated Close
		}
		// Happens-before: o's last plain access -> this CAS (release) -> any
		// claimer or thief whose ctl load observes closedBit (acquire).
		if c.ctl.CompareAndSwap(w, closedWord(w)) {
			c.finishClose()
			break
		}
	}
	o.cur = noneWord // Owns now fails for every header (invariant 4)
	o.cleanup.Stop()
	// o's goroutine is here, not inside a steal: no header holds
	// (o.id, stealingEpoch), so the id may go (ids.go, rule R2).
	c.freeID()
}

// Retire closes o at its goroutine's next preemption point. Any goroutine
// may call it, and it never waits. If o is parked (its goroutine is blocked
// and touches none of its objects), Retire closes o at once, on its behalf.
// Otherwise it leaves a request that o's goroutine answers at its next
// Preempt, Park or Unpark (or a Steal, TrySteal, Thaw or StealShared, which
// park while they wait) by closing o. Until then o is live: it still owns
// its objects, its check results stay valid until that preemption point,
// and thieves wait for it as for any owner, so nobody takes an object o's
// goroutine may still be writing. Afterwards everything Close does holds,
// except that o's id returns to the pool when o is garbage collected (or
// Close is called). Retire is idempotent, and a no-op on a closed owner.
func (o *Owner) Retire() {
	c := o.c
	for {
		w := c.ctl.Load()
		if w&(closedBit|retireBit) != 0 {
			return
		}
		if w&parkedBit != 0 {
			// Close on o's behalf. Happens-before: o's Park CAS (release) ->
			// this CAS (acquire), so o's accesses before Park precede the
			// close; o's goroutine reads closed at Unpark (acquire) before it
			// touches anything again. One CAS on the word Unpark CASes: it
			// cannot interleave with Unpark (invariant 1).
			if c.ctl.CompareAndSwap(w, closedWord(w)) {
				c.finishClose()
				return
			}
			continue
		}
		// Ask. Happens-before: none needed; o's goroutine acts on the bit
		// with its own CAS at its next preemption point.
		if c.ctl.CompareAndSwap(w, w|retireBit) {
			return
		}
	}
}

// Preempt is a preemption point. With nothing asked of o it is one atomic
// load. Otherwise it answers: a pending steal bumps o's epoch (every object o
// owned becomes stale: o must re-check and re-claim what it still uses, and
// the waiting thieves proceed), a Thaw's safepoint request is answered
// without a bump (o's objects stay o's), and a Retire request closes o.
// Check results obtained before Preempt are void after it.
func (o *Owner) Preempt() {
	// Happens-before: none needed when nothing is asked; the object words
	// are untouched. A request is observed here at the latest on the next
	// call.
	if o.c.ctl.Load()&askMask != 0 {
		o.preemptSlow()
	}
}

//go:noinline
func (o *Owner) preemptSlow() {
	c := o.c
	for {
		w := c.ctl.Load()
		switch {
		case w&closedBit != 0:
			o.cur = noneWord
			return
		case w&askMask == 0:
			return
		case w&retireBit != 0:
			// Happens-before: as Close's CAS.
			if c.ctl.CompareAndSwap(w, closedWord(w)) {
				o.cur = noneWord
				c.finishClose()
				return
			}
			continue
		}
		// Happens-before: o's plain accesses so far -> this answering CAS
		// (release) -> the thief's (thawer's) ctl load or CAS that observes
		// the new epoch (tick) (acquire) -> its header store -> its plain
		// accesses.
		n := answered(w)
		if c.ctl.CompareAndSwap(w, n) {
			o.cur = pack(o.id, ctlEpoch(n))
			if w&waitingBit != 0 {
				c.wakeWaiters()
			}
			return
		}
	}
}

// Park enters a parked region: o's goroutine is about to block (a channel
// wait, I/O) and will not touch its objects until Unpark. Park is a
// preemption point (it answers every request, as Preempt does), and while o
// is parked a thief bumps o's epoch on its behalf instead of waiting, a Thaw
// does not wait for it, and Retire closes it at once; so stealing from a
// parked owner costs about as much as taking a free mutex. Park may nest;
// only the outermost Park/Unpark pair changes state.
func (o *Owner) Park() {
	o.parkDepth++
	if o.parkDepth > 1 {
		return
	}
	c := o.c
	for {
		w := c.ctl.Load()
		var n uint64
		switch {
		case w&closedBit != 0:
			o.cur = noneWord
			return
		case w&retireBit != 0:
			n = closedWord(w) | parkedBit
		case w&askMask != 0:
			n = answered(w) | parkedBit
		default:
			n = w | parkedBit // waiting is clear: invariant 5
		}
		// Happens-before: o's plain accesses so far -> this CAS (release) ->
		// a thief's CAS that observes parkedBit and bumps on o's behalf, or a
		// load that observes the new epoch, tick, parked or closed (acquire).
		if c.ctl.CompareAndSwap(w, n) {
			switch {
			case n&closedBit != 0:
				o.cur = noneWord
				c.finishClose()
			case w&waitingBit != 0:
				c.wakeWaiters()
			}
			return
		}
	}
}

// Unpark leaves the parked region and refreshes o's view of its epoch: a thief
// may have bumped it meanwhile, in which case every object o owned is stale
// and must be re-claimed; or Retire (or Close from a goroutine that
// happens-after o's) closed o meanwhile, in which case o owns nothing from
// now on. Unpark without a matching Park panics.
func (o *Owner) Unpark() {
	if o.parkDepth <= 0 {
		panic("ownership: Unpark without Park")
	}
	o.parkDepth--
	if o.parkDepth > 0 {
		return
	}
	c := o.c
	for {
		w := c.ctl.Load()
		if w&closedBit != 0 {
			// Closed on o's behalf while parked (invariant 4). Happens-before:
			// the closing CAS (release) -> this load (acquire).
			o.cur = noneWord
			return
		}
		// Happens-before: a thief's bump on o's behalf (release) -> this CAS
		// (acquire) -> o's later Owns loads, which then see the thief's S5
		// store or a later word, never the pre-steal one.
		if c.ctl.CompareAndSwap(w, w&^parkedBit) {
			o.cur = pack(o.id, ctlEpoch(w))
			return
		}
	}
}

// finishClose finishes a close, by whoever performed the closing CAS
// (invariant 6): wake the waiters (invariant 5) and leave the registry.
// The id goes back to the pool later, in freeID.
func (c *core) finishClose() {
	c.wakeWaiters()
	// Deregister after the CAS: a claimer that misses c in the registry
	// reads the map's atomics written after the closing CAS, so it
	// happens-after it too.
	deregister(c)
}

// wakeWaiters wakes every thief sleeping on c's notification. Called by
// whoever cleared the waiting bit (invariant 5), and by every close.
func (c *core) wakeWaiters() {
	c.mu.Lock()
	if c.wake != nil {
		close(c.wake)
		c.wake = nil
	}
	c.mu.Unlock()
}

// wakeChan returns the channel the next waking CAS will close.
func (c *core) wakeChan() chan struct{} {
	c.mu.Lock()
	if c.wake == nil {
		c.wake = make(chan struct{})
	}
	ch := c.wake
	c.mu.Unlock()
	return ch
}

// doneChan returns the channel closed when c next finishes a steal or thaw.
// The caller must set doneWaiters after taking it and re-read the header.
func (c *core) doneChan() chan struct{} {
	c.mu.Lock()
	if c.done == nil {
		c.done = make(chan struct{})
	}
	ch := c.done
	c.mu.Unlock()
	return ch
}

// stealFinished is called by o after it moved a header out of
// (o.id, stealingEpoch). Waiter: take channel, set flag, re-read header.
// Here: store header, then swap flag. With sequentially consistent atomics,
// either the waiter's re-read sees the new word or this swap sees its flag.
// It is a method of Owner, so o stays reachable (and its id reserved, see
// ids.go) until after the header store that precedes it.
func (o *Owner) stealFinished() {
	c := o.c
	if c.doneWaiters.Load() && c.doneWaiters.Swap(false) {
		c.mu.Lock()
		if c.done != nil {
			close(c.done)
			c.done = nil
		}
		c.mu.Unlock()
	}
	runtime.KeepAlive(o) // o, and so its id, outlive the header store before this call
}
