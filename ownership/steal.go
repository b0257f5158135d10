package ownership

import (
	"context"
	"runtime"
)

// Invariants:
//
//  1. A header leaves (t, stealingEpoch) only by a store from t's own
//     goroutine: S5 (t, t's epoch), a rollback to the exact word t replaced
//     at S2, or, if t was closed (Retire) while it waited, the free word. So
//     the object is never lost and never left "stealing": every path out of
//     steal after a successful S2 performs one of those stores. While a
//     header holds (t, stealingEpoch), t's id is not recycled (ids.go, R2).
//  2. S3 adds a pending request to the victim's ctl only while its epoch is
//     still the e read from the header at S1, and the rollback removes it only
//     while the epoch is still e (a bump clears pending and changes epoch in
//     one CAS, so while epoch == e our request is still counted).
//  3. The thief stores (t, epoch) at S5 only after observing victim.ctl with
//     epoch != e, or closed, or after its own CAS that bumped a parked
//     victim. Each of those is a ctl write by the victim (bump at Preempt or
//     Park, the Park CAS itself, Close, a close answering Retire) or a CAS
//     that read such a write (a bump or close on the parked victim's
//     behalf; the GC's close of an unreachable one); the victim's plain
//     accesses under epoch e all precede it in program order.
//     Happens-before chain:
//        victim's last plain access -> victim's ctl CAS (Preempt bump / Park
//        / Close) -> thief's ctl load or CAS observing it -> thief's S5 store
//        -> thief's first plain access.
//     A victim with retire set but not closed is live (owner.go invariant 7):
//     the thief waits for it like any other.
//  4. The victim's check results (Owns, Borrow) are valid until its next
//     preemption point. Since the thief waits for the victim's epoch to move
//     past e, and e was the victim's epoch when the victim's check succeeded
//     (the word said (victim, e) at S1), the victim has finished using every
//     such result before the thief proceeds. This is what gives consistency
//     across several objects: a thief never observes half of an update the
//     victim made between two preemption points.
//  5. A thief that waits is parked (Park/Unpark around the wait), so a thief
//     stealing from it bumps on its behalf instead of waiting: no cycle of
//     waiting thieves can deadlock. Consequently Steal, TrySteal, Thaw,
//     StealShared and StealMany are preemption points for the caller: its
//     own earlier check results are void when they return, its objects may
//     have gone stale, and it may have been closed (a Retire answered by
//     that Park, or done on its behalf while it was parked); a closed
//     caller's steal ends with the object free and an error wrapping
//     ErrOwnerClosed, never with success. The one exception: a wait whose
//     context is done by the end of its spin (one done before the call,
//     say) returns without parking, so such a call is no preemption point;
//     it takes what the spin's yields made available and rolls back the
//     rest. A steal that may not wait (TryRecv's, on the fallback path)
//     relies on that: its mark keeps the object while the holder gets the
//     spin's yields to answer, and the caller's earlier checks stay valid.

// spin bounds: how many times a waiter re-reads (yielding between reads)
// before it parks on a notification channel.
const (
	spinBump = 64
	spinDone = 16
)

// Steal takes h exclusively for o, waiting (bounded by ctx) for the current
// owner's next preemption point. Free, stale and closed-owner objects are
// claimed at once; an object o already owns returns nil. A frozen object
// gives ErrFrozen (use Thaw). If another steal of h is in progress, Steal
// waits for it to finish and tries again. If ctx ends first, the object is
// rolled back to its owner (unless the owner's epoch moved meanwhile, in which
// case the steal completes and Steal returns nil) and the error wraps
// ctx.Err(); under a ctx that is done already, Steal takes what needs no
// waiting (a free or stale object, or one whose owner is parked) or what
// the owner gives up during a short spin of yields, and rolls back
// otherwise. Steal is a preemption point for o whenever it parks to wait
// (see Invariants, 5), so not under a ctx done already; if o is
// closed, or closed by a Retire while Steal waits, Steal returns a
// *NotOwnerError wrapping ErrOwnerClosed and leaves h free (or unchanged).
//
// A nil result is a successful check: o may use h until its next preemption
// point. Owns(h) may nonetheless report false in that window if another thief
// has already begun stealing h from o (that thief waits for o's next
// preemption point); Transfer, Release and Freeze of h then fail with a
// *NotOwnerError whose Holder is Stealing until o preempts.
func (o *Owner) Steal(ctx context.Context, h *Header) error {
	_, err := o.steal(ctx, h, true, false)
	return err
}

// TrySteal is Steal, except that it returns (false, nil) at once when another
// steal of h is in progress (a second thief gets a no-op, never a queue). It
// still waits, bounded by ctx, for the victim's next preemption point.
func (o *Owner) TrySteal(ctx context.Context, h *Header) (bool, error) {
	return o.steal(ctx, h, false, false)
}

// steal is Steal (waitOthers) or TrySteal (!waitOthers). With shared
// (StealShared), an object taken from another live owner ends frozen
// instead of owned by o: the final word is written by the same claim CAS
// or S5 store that would have made it o's, so no other thief can come
// between the steal and the freeze. One that is o's (current or stale),
// free or a closed owner's is taken exclusively, exactly as Steal takes it
// (no other owner can be reading it: see StealShared).
func (o *Owner) steal(ctx context.Context, h *Header, waitOthers, shared bool) (bool, error) {
	for {
		// o may have been closed at a preemption point inside this loop (a
		// wait parks o): never write noneWord into a header.
		me := o.curWord()
		if me == noneWord {
			return false, callerClosed(o, h)
		}
		// S1: classify the word.
		w := h.word.Load()
		if w == me {
			return true, nil
		}
		switch {
		case w == freeWord:
			// Happens-before: the Release CAS that freed it (release) -> this
			// CAS (acquire).
			if h.word.CompareAndSwap(w, me) {
				return true, nil
			}
			continue
		case w == frozenWord:
			if shared {
				return true, nil
			}
			return false, notOwner(o, h, ErrFrozen)
		case isStealingWord(w):
			if wordID(w) == o.id {
				// Only reachable by re-entrant misuse (our own steal or
				// thaw of h is in progress on this goroutine).
				return false, notOwner(o, h, ErrStealInProgress)
			}
			if !waitOthers {
				return false, nil
			}
			if err := o.waitStealDone(ctx, h, w); err != nil {
				return false, ctxError("steal (waiting for another steal)", h, err)
			}
			continue
		case !isOwnedShape(w):
			return false, notOwner(o, h, ErrNotFree)
		}
		vid, e := wordID(w), wordEpoch(w)
		var v *core
		if vid != o.id {
			v = lookupCore(vid)
		}
		// Happens-before (stale/closed): the victim's bump or close CAS
		// (release) -> this ctl load (acquire) -> the claim CAS.
		if v == nil || moved(v.ctl.Load(), e) {
			// Our own stale word, a closed owner (or an earlier life of its
			// id), or an epoch that has moved: claim with one CAS, no waiting.
			// Shared: an object another live owner held is frozen, as after
			// a wait; our own or a closed owner's is ours (see StealShared).
			t := me
			if shared && v != nil {
				t = frozenWord
			}
			if h.word.CompareAndSwap(w, t) {
				return true, nil
			}
			continue
		}

		// S2: mark the steal. Only we may move the word out of this state.
		if !h.word.CompareAndSwap(w, stealingWord(o.id)) {
			continue // the word changed under us: back to S1
		}

		// S3: ask v to bump (or bump on its behalf if it is parked).
		if requestBump(v, e) {
			// S4: wait for v's epoch to move past e.
			if err := o.waitCtl(ctx, v, want{e: e}); err != nil {
				// Rollback, unless v bumped after all.
				if withdraw(v, e) {
					// Invariant 1: restore the exact word we replaced. v never
					// passed a preemption point, so it still owns h.
					h.word.Store(w)
					o.stealFinished()
					return false, ctxError("steal", h, err)
				}
			}
		}

		// S5: publish ourselves as the owner (or the object as frozen).
		// Happens-before: the ctl observation of S3/S4 (acquire) precedes
		// this store (release) -> any later owner's load of the word.
		if o.curWord() == noneWord {
			// Closed while we waited (Invariants, 5): v has moved, nobody
			// owns h; leave it free rather than name a closed owner.
			h.word.Store(freeWord)
			o.stealFinished()
			return false, callerClosed(o, h)
		}
		target := o.curWord() // our epoch may have moved while we were parked
		if shared {
			target = frozenWord
		}
		h.word.Store(target)
		o.stealFinished()
		return true, nil
	}
}

// curWord is the word naming o at its current epoch, or noneWord if o is
// closed. Outside a parked region that is o.cur (invariant 4); inside one
// (Steal called while parked) a thief may have bumped o's epoch, or Retire
// closed o, on its behalf, so read ctl.
func (o *Owner) curWord() uint64 {
	if o.parkDepth == 0 {
		return o.cur
	}
	c := o.c.ctl.Load()
	if c&closedBit != 0 {
		return noneWord
	}
	return pack(o.id, ctlEpoch(c))
}

// moved reports whether ctl word c shows that an owner whose epoch was e has
// passed a preemption point since (or is closed).
func moved(c uint64, e uint32) bool {
	return ctlEpoch(c) != e || c&closedBit != 0
}

// requestBump is S3: it asks v to leave epoch e. It returns true if a pending
// request was added (the caller must wait or withdraw it), false if nothing is
// left to wait for: v's epoch already moved, v is closed, or v was parked and
// we bumped on its behalf.
func requestBump(v *core, e uint32) bool {
	for {
		c := v.ctl.Load()
		if moved(c, e) {
			return false
		}
		if c&parkedBit != 0 {
			// Happens-before: v's Park CAS (release) -> this CAS (acquire).
			// It cannot race with Unpark: both CAS the same word. While
			// parked, nothing else is asked of v (owner.go invariant 3), so
			// the answer is the bump.
			if v.ctl.CompareAndSwap(c, bumped(c)) {
				if c&waitingBit != 0 {
					v.wakeWaiters()
				}
				return false
			}
			continue
		}
		if ctlPending(c) == pendingMask {
			panic("ownership: too many pending steal requests")
		}
		if v.ctl.CompareAndSwap(c, c+1) {
			return true
		}
	}
}

// bumped is c answered as if a steal were pending: the epoch advances. Used
// on behalf of a parked owner, which has nothing else asked of it.
func bumped(c uint64) uint64 { return answered(c | 1) }

// withdraw removes our pending request from v if v is still at epoch e and
// reports whether it did; false means v's epoch moved (or v closed) after
// all, so the steal may complete.
func withdraw(v *core, e uint32) bool {
	for {
		c := v.ctl.Load()
		if moved(c, e) {
			return false
		}
		if ctlPending(c) == 0 {
			panic("ownership: internal error: pending steal request lost")
		}
		if v.ctl.CompareAndSwap(c, c-1) {
			return true
		}
	}
}

// want is what a waiter waits for in v's ctl: v left epoch e or closed (a
// thief), or, for a thawer (safepoint), also v parked or v's tick moved
// past t (a preemption point without a bump).
type want struct {
	e, t      uint32
	safepoint bool
}

func (wt want) met(c uint64) bool {
	if moved(c, wt.e) {
		return true
	}
	return wt.safepoint && (c&parkedBit != 0 || ctlTick(c) != wt.t)
}

// sleepBits are the bits a waiter sets before it sleeps: waiting, and for a
// thawer its safepoint request again (owner.go invariant 5: someone who
// clears waiting has a request to answer; and if tick went all the way
// around, the request it answered is renewed).
func (wt want) sleepBits() uint64 {
	if wt.safepoint {
		return waitingBit | safepointBit
	}
	return waitingBit
}

// waitCtl is S4: wait until v's ctl meets wt, or ctx ends. It spins
// briefly (yielding, so that v's goroutine may run and answer), then parks
// o and sleeps on v's notification; if ctx is done by the end of the
// spin, it returns without parking (Invariants, 5).
func (o *Owner) waitCtl(ctx context.Context, v *core, wt want) error {
	for i := 0; i < spinBump; i++ {
		// Happens-before: v's answering (or closing) CAS (release) -> this
		// load (acquire).
		if wt.met(v.ctl.Load()) {
			return nil
		}
		runtime.Gosched()
	}
	if err := ctx.Err(); err != nil {
		return err // done by the end of the spin: no park (Invariants, 5)
	}
	o.Park() // Invariants, 5: thieves of our objects must not wait on us.
	defer o.Unpark()
	done := ctx.Done()
	bits := wt.sleepBits()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		ch := v.wakeChan() // take the channel before setting the bit (owner.go invariant 5)
		for {
			c := v.ctl.Load()
			if wt.met(c) {
				return nil
			}
			// Set waiting only while the condition is still unmet: if the
			// answer comes first, this CAS fails and the re-read sees it.
			if c&bits == bits || v.ctl.CompareAndSwap(c, c|bits) {
				break
			}
		}
		select {
		case <-ch:
		case <-done:
			return ctx.Err()
		}
	}
}

// waitStealDone waits until h no longer holds w == (t, stealingEpoch), or
// ctx ends.
func (o *Owner) waitStealDone(ctx context.Context, h *Header, w uint64) error {
	for i := 0; i < spinDone; i++ {
		if h.word.Load() != w {
			return nil
		}
		runtime.Gosched()
	}
	if err := ctx.Err(); err != nil {
		return err // done by the end of the spin: no park (Invariants, 5)
	}
	// t's id is not recycled while h holds w (ids.go, R2): a core found here
	// is t's own; none means t closed (Retire) in the middle of its steal.
	t := lookupCore(wordID(w))
	o.Park()
	defer o.Unpark()
	done := ctx.Done()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if t == nil {
			// Poll; t's goroutine still finishes its steal (Invariants, 1).
			if h.word.Load() != w {
				return nil
			}
			runtime.Gosched()
			continue
		}
		ch := t.doneChan()
		t.doneWaiters.Store(true)
		// Happens-before: t's restore/S5 store (release) -> this load
		// (acquire); see Owner.stealFinished for why no wake-up is lost.
		if h.word.Load() != w {
			return nil
		}
		select {
		case <-ch:
		case <-done:
			return ctx.Err()
		}
	}
}
