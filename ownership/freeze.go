package ownership

import (
	"context"
)

// Freeze makes h, which o owns, read-only for every owner: CanRead is true for
// all of them and Owns for none. Freezing a frozen object is a no-op; any
// other state gives a *NotOwnerError.
func (o *Owner) Freeze(h *Header) error {
	// Happens-before: o's plain writes -> this CAS (release) -> a reader's
	// CanRead load that observes frozen (acquire).
	if h.word.CompareAndSwap(o.cur, frozenWord) {
		return nil
	}
	if h.word.Load() == frozenWord {
		return nil
	}
	return notOwner(o, h, nil)
}

// CanRead reports whether o may read h: o owns it or it is frozen (and o is
// not closed). One atomic load. A true result stays valid until o's next
// preemption point.
func (o *Owner) CanRead(h *Header) bool {
	w := h.word.Load()
	// A closed owner reads nothing: Thaw does not wait for it.
	return w == o.cur || w == frozenWord && o.cur != noneWord
}

// Thaw makes the frozen object h exclusively o's. Readers' CanRead results are
// valid until their next preemption point, so Thaw marks h as being stolen by
// o (no new reader gets in), then waits until every other owner that may
// still be reading it has passed a preemption point: it asks each live,
// unparked owner for a safepoint, which that owner's next Preempt, Park,
// Unpark or Steal answers without bumping its epoch, so no owner's objects go
// stale because of a Thaw. Parked and closed owners are not waited for (they
// read nothing now, and any later read starts with a CanRead that fails),
// nor are owners created after h was marked. If ctx ends first, h is frozen
// again (unless every owner passed after all) and the error wraps ctx.Err().
// If o is closed (or closed by a Retire while Thaw waits), h stays frozen and
// the error wraps ErrOwnerClosed.
//
// Thaw of an object o already owns returns nil; of an object being stolen or
// thawed, a *NotOwnerError wrapping ErrStealInProgress; of any other state, a
// *NotOwnerError wrapping ErrNotFrozen. Thaw is a preemption point for o
// whenever it parks to wait; under a ctx that is done already it only
// yields a few times for the owners to pass, and is not one.
func (o *Owner) Thaw(ctx context.Context, h *Header) error {
	me := o.curWord()
	if me == noneWord {
		return callerClosed(o, h)
	}
	for {
		// T1: classify the word; T2: mark it (no new reader gets in).
		w := h.word.Load()
		switch {
		case w == me:
			return nil
		case isStealingWord(w):
			return notOwner(o, h, ErrStealInProgress)
		case w != frozenWord:
			return notOwner(o, h, ErrNotFrozen)
		}
		// Happens-before: the freezer's Freeze CAS (release) -> this CAS
		// (acquire); readers' CanRead loads before it saw frozen, after it
		// see stealing.
		if h.word.CompareAndSwap(frozenWord, stealingWord(o.id)) {
			break
		}
	}

	// T3: ask every other live, unparked owner for a safepoint. Each ctl
	// word is read after our CAS: a reader whose CanRead saw the frozen
	// word did so before the CAS, and its reads end before its next
	// preemption point, which ticks (or bumps, parks or closes) after the
	// word we read here; a reader parked at our read has ended them before
	// its Park CAS. An owner registered after Range passes its bucket can
	// only load h after our CAS, and then sees it stealing.
	var reqs []thawRequest
	registry.Range(func(_ uint32, v *core) bool {
		if v != o.c {
			if c, ok := requestSafepoint(v); ok {
				reqs = append(reqs, thawRequest{v, want{e: ctlEpoch(c), t: ctlTick(c), safepoint: true}})
			}
		}
		return true
	})

	// T4: wait for each.
	for i, r := range reqs {
		if err := o.waitCtl(ctx, r.v, r.wt); err != nil {
			for _, r := range reqs[i:] {
				if !r.wt.met(r.v.ctl.Load()) {
					// Some reader may still be mid-read: freeze again.
					// (Requests are not withdrawn: a safepoint bit left
					// set costs its owner one slow Preempt, no bump.)
					h.word.Store(frozenWord)
					o.stealFinished()
					return ctxError("thaw", h, err)
				}
			}
			break // every owner passed after all: complete
		}
	}

	// T5. Happens-before: each reader's reads -> its answering (parking,
	// closing) CAS (release) -> our ctl load in waitCtl or met (acquire) ->
	// this store (release) -> our plain writes, and later owners' loads.
	if me = o.curWord(); me == noneWord {
		// Closed while we waited: nobody may write h; leave it frozen.
		h.word.Store(frozenWord)
		o.stealFinished()
		return callerClosed(o, h)
	}
	h.word.Store(me)
	o.stealFinished()
	return nil
}

type thawRequest struct {
	v  *core
	wt want
}

// requestSafepoint is T3 for one owner v: it returns v's ctl word with the
// safepoint bit set (by us or another thawer) and true, or false if v needs
// no wait: closed or parked.
func requestSafepoint(v *core) (uint64, bool) {
	for {
		c := v.ctl.Load()
		switch {
		case c&(closedBit|parkedBit) != 0:
			return 0, false
		case c&safepointBit != 0:
			return c, true
		}
		// While parked nothing is asked (owner.go invariant 3): the CAS
		// fails if v parked meanwhile. Happens-before: none needed here;
		// the edge is v's answering CAS (release) -> our load that sees
		// its tick, parked or closed (acquire, in waitCtl).
		if v.ctl.CompareAndSwap(c, c|safepointBit) {
			return c, true
		}
	}
}

// StealShared gets read access to h for o, exclusive when no other owner
// can be reading h, shared (frozen) otherwise. The rule:
//
//   - h frozen: it stays frozen and StealShared returns nil at once (other
//     owners may be reading it).
//   - h o's already (current or stale), free, or its owner closed: o takes
//     it exclusively, as Steal does, without waiting. Only an object's owner
//     reads an object that is not frozen, and no other live owner holds
//     these: nobody else can be reading them.
//   - h held by another live owner (owned, or stale: that owner left the
//     epoch since): StealShared takes it (waiting for that owner's next
//     preemption point if it still owns it, see Steal) and leaves it frozen,
//     in the same step that would have made it o's, so no other thief can
//     take it in between. An object another owner used is a shared one: the
//     next reader shares it instead of stealing it from o.
//
// After a nil result, o.Owns(h) tells which: true means o may write h too,
// until its next preemption point, at no further cost; false means h is
// frozen, and writing it again needs Thaw, which waits for one preemption
// point of every open, unparked owner (about 2 µs with only parked owners
// around, hundreds of µs with one busy reader on a loaded 2-core box:
// BENCHMARKS.md, e5-thaw). It is a preemption point for o when it has to
// wait.
func (o *Owner) StealShared(ctx context.Context, h *Header) error {
	if h.word.Load() == frozenWord && o.cur != noneWord {
		return nil
	}
	_, err := o.steal(ctx, h, true, true)
	return err
}
