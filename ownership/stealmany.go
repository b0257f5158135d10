package ownership

import (
	"context"
	"slices"
	"unsafe"
)

// StealMany: several objects in one handshake.
//
// Steps (the model's M1-M5, ownership/model/stealmany.pml):
//
//	M1  sort the headers by address (a fixed global order) and drop repeats.
//	M2  mark every header, in that order, as (o, stealingEpoch), remembering
//	    the word each one held: owned by o, free, stale, a closed owner's, or
//	    owned by a live victim at epoch e. A header another thief (or a
//	    thawer) has marked is waited for, then classified again. A frozen or
//	    foreign-shaped word, or ctx ending, rolls back every mark made so far.
//	M3  one request per (victim, epoch) pair still current: requestBump.
//	M4  wait for each such victim to leave its epoch (waitCtl).
//	M5  store (o, o's epoch) into every header; or, if ctx ended in M4, withdraw
//	    every request and store back the exact word of every header (all or
//	    nothing).
//
// Invariants (in addition to steal.go's, which hold for each header):
//
//  1. Deadlock freedom. A StealMany caller waits for a marked header (M2) only
//     while every header it holds marked comes before that header in the
//     order of M1. So among StealMany callers, a cycle of "waits for a header
//     marked by" would need a header that comes before itself. Every other
//     wait in the protocol is for a victim's preemption point, and a waiter of
//     any kind is parked (steal.go invariant 5), so a thief of its objects
//     bumps on its behalf instead of waiting for it. Single Steal, TrySteal
//     and Thaw hold at most one mark, so they fit the same order.
//  2. All or nothing. From M2 to M5 every header holds (o, stealingEpoch), and
//     only o's goroutine moves a header out of that word (steal.go invariant
//     1): nobody else can take any of them in the meantime, the ones o
//     already owned included (o parks while it waits, and a thief of o's
//     other objects may bump o's epoch: without the mark, that would let it
//     take one of ours). M5 writes either the final word into all of them or
//     the remembered word into all of them.
//  3. Consistency. Each final word is stored only after the victim named by
//     that header's remembered word (v, e) was observed past e (or closed, or
//     bumped on its behalf while parked): steal.go invariants 3 and 4, per
//     header. So a victim that updated several of the objects between two
//     preemption points is seen whole, whichever of them the caller reads.
//  4. Rollback may leave a header stale: if a victim passed a preemption
//     point after all while the caller gave up (withdraw found the epoch
//     moved), the remembered word (v, e) no longer names v's current epoch.
//     The object is then stale, exactly as after any answered steal request:
//     v, or anyone, re-claims it with one CAS. Nobody owns it twice.

// StealMany takes every header in hs exclusively for o, with one handshake per
// victim: each owner that holds some of the objects is asked for one
// preemption point, and StealMany waits (bounded by ctx) for all of them at
// once, rather than one preemption point per object as a loop of Steal calls
// would. It is all or nothing: it returns nil with every object o's, or an
// error with every object as it was (an object whose owner passed a
// preemption point meanwhile is then stale, and its owner re-claims it with
// Claim or TryClaim). Free, stale, closed owners' and o's own objects are
// taken too; a frozen object makes StealMany fail with ErrFrozen (use Thaw).
// If another steal of one of the objects is in progress, StealMany waits for
// it to finish. Repeated headers count once.
//
// Two callers stealing overlapping sets never deadlock: headers are marked in
// one global order (by address). StealMany is a preemption point for o when
// it waits (it parks o, see Steal); it does not wait, and is not a preemption
// point, when o already owns every object. A nil result is a successful check
// of every object until o's next preemption point; since each victim passed a
// preemption point before StealMany took its objects, a victim that updated
// several of them together is seen whole. If o is closed, or closed by a
// Retire while StealMany waits, it returns an error wrapping ErrOwnerClosed
// and takes nothing.
func (o *Owner) StealMany(ctx context.Context, hs ...*Header) error {
	// Fast path: o owns every object already. One load each, no preemption
	// point; nested critical sections (With) take it.
	if me := o.curWord(); me != noneWord {
		all := true
		for _, h := range hs {
			if h.word.Load() != me {
				all = false
				break
			}
		}
		if all {
			return nil
		}
	}
	var buf [8]manyEntry
	es := buf[:0]
	if len(hs) > len(buf) {
		es = make([]manyEntry, 0, len(hs))
	}
	for _, h := range hs {
		es = append(es, manyEntry{h: h})
	}
	// M1: a fixed global order. Headers shared between goroutines live on
	// the heap, whose objects never move; the address is their identity.
	slices.SortFunc(es, func(a, b manyEntry) int {
		pa, pb := uintptr(unsafe.Pointer(a.h)), uintptr(unsafe.Pointer(b.h))
		switch {
		case pa < pb:
			return -1
		case pa > pb:
			return 1
		}
		return 0
	})
	es = slices.CompactFunc(es, func(a, b manyEntry) bool { return a.h == b.h })

	// M2: mark in order.
	for i := range es {
		if err := o.markOne(ctx, &es[i]); err != nil {
			o.unmark(es[:i])
			return err
		}
	}

	// M3: one request per (victim, epoch) still current. Entries with the
	// same victim share the first one's request.
	for i := range es {
		e := &es[i]
		if e.v == nil {
			continue
		}
		dup := false
		for j := range i {
			if es[j].v == e.v && es[j].e == e.e {
				dup = true
				break
			}
		}
		if !dup {
			e.asked = requestBump(e.v, e.e)
		}
	}

	// M4: one wait per victim asked; they answer in parallel.
	var werr error
	for i := range es {
		e := &es[i]
		if !e.asked {
			continue
		}
		if werr == nil {
			werr = o.waitCtl(ctx, e.v, want{e: e.e})
		}
		if werr != nil {
			// Rollback: withdraw the request (false: v moved after all;
			// invariant 4 says why restoring its word is still right).
			withdraw(e.v, e.e)
		}
	}
	if werr != nil {
		o.unmark(es)
		return ctxError("steal of several objects", es[0].h, werr)
	}

	// M5: publish. Happens-before: per header as steal.go's S5: the ctl
	// observation of M3/M4 (acquire) -> this store (release) -> any later
	// owner's load of the word.
	me := o.curWord() // our epoch may have moved while we were parked
	if me == noneWord {
		// Closed while we waited (steal.go invariant 5): a closed owner takes
		// nothing. Every victim has moved; leave the objects free.
		for i := range es {
			es[i].h.word.Store(freeWord)
		}
		o.stealFinished()
		return callerClosed(o, es[0].h)
	}
	for i := range es {
		es[i].h.word.Store(me)
	}
	o.stealFinished()
	return nil
}

// manyEntry is one header of a StealMany: the word it held before the mark
// (w), and the victim to ask (v at epoch e), nil if there is nobody to wait
// for.
type manyEntry struct {
	h     *Header
	w     uint64
	v     *core
	e     uint32
	asked bool // this entry's request was added to v (M3); its wait is M4's
}

// markOne is M2 for one header: CAS it from its current word to (o,
// stealingEpoch) and classify the word it replaced. It waits for another
// thief's mark to go away (parking o), and fails, marking nothing, on a
// frozen or foreign-shaped word, a closed o or ctx's end.
func (o *Owner) markOne(ctx context.Context, e *manyEntry) error {
	h := e.h
	mark := stealingWord(o.id)
	for {
		me := o.curWord()
		if me == noneWord {
			return callerClosed(o, h)
		}
		w := h.word.Load()
		switch {
		case w == frozenWord:
			return notOwner(o, h, ErrFrozen)
		case isStealingWord(w):
			if wordID(w) == o.id {
				return notOwner(o, h, ErrStealInProgress) // re-entrant misuse
			}
			// Invariant 1: every header we hold comes before h.
			if err := o.waitStealDone(ctx, h, w); err != nil {
				return ctxError("steal of several objects (waiting for another steal)", h, err)
			}
			continue
		case w != freeWord && !isOwnedShape(w):
			return notOwner(o, h, ErrNotFree)
		}
		var v *core
		var ep uint32
		if w != freeWord && w != me && wordID(w) != o.id {
			v, ep = lookupCore(wordID(w)), wordEpoch(w)
			// Happens-before (stale/closed): the victim's bump or close CAS
			// (release) -> this load (acquire) -> the mark CAS -> M5.
			if v != nil && moved(v.ctl.Load(), ep) {
				v = nil
			}
		}
		// The mark. Happens-before: a freeing or transferring CAS (release)
		// -> this CAS (acquire).
		if h.word.CompareAndSwap(w, mark) {
			e.w, e.v, e.e = w, v, ep
			return nil
		}
	}
}

// unmark stores back the word each marked header held (steal.go invariant
// 1: only o moves its marks), and wakes anyone waiting for them.
func (o *Owner) unmark(es []manyEntry) {
	if len(es) == 0 {
		return
	}
	for i := range es {
		es[i].h.word.Store(es[i].w)
	}
	o.stealFinished()
}
