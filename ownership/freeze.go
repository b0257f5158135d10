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

// CanRead reports whether o may read h: o owns it or it is frozen. One atomic
// load. A true result stays valid until o's next preemption point.
func (o *Owner) CanRead(h *Header) bool {
	w := h.word.Load()
	return w == o.cur || w == frozenWord
}

// Thaw makes the frozen object h exclusively o's. Readers' CanRead results are
// valid until their next preemption point, so Thaw marks h as being stolen by
// o (no new reader gets in), then asks every other live owner to bump its
// epoch and waits until each has bumped, parked (bumped on its behalf) or
// closed; no reader is then mid-read. That is costly: every live owner's
// objects go stale. If ctx ends first, h is frozen again (unless every owner
// moved after all) and the error wraps ctx.Err().
//
// Thaw of an object o already owns returns nil; of an object being stolen or
// thawed, a *NotOwnerError wrapping ErrStealInProgress; of any other state, a
// *NotOwnerError wrapping ErrNotFrozen. Thaw is a preemption point for o.
func (o *Owner) Thaw(ctx context.Context, h *Header) error {
	for {
		w := h.word.Load()
		switch {
		case w == o.cur:
			return nil
		case isStealingWord(w):
			return notOwner(o, h, ErrStealInProgress)
		case w != frozenWord:
			return notOwner(o, h, ErrNotFrozen)
		}
		if h.word.CompareAndSwap(frozenWord, stealingWord(o.id)) {
			break
		}
	}

	// S3 for every other live owner. An epoch read after our CAS: the bump
	// that leaves it comes after every CanRead that saw the frozen word and
	// after the plain reads that CanRead allowed (see steal.go Invariants).
	// An owner registered after Range passes its bucket can only load h
	// after our CAS, and then sees it stealing.
	type request struct {
		v *Owner
		e uint32
	}
	var reqs []request
	registry.Range(func(_ uint32, v *Owner) bool {
		if v == o {
			return true
		}
		e := ctlEpoch(v.ctl.Load())
		if requestBump(v, e) {
			reqs = append(reqs, request{v, e})
		}
		return true
	})

	// S4 for each.
	for i, r := range reqs {
		if err := o.waitBump(ctx, r.v, r.e); err != nil {
			withdrew := false
			for _, r := range reqs[i:] {
				if withdraw(r.v, r.e) {
					withdrew = true
				}
			}
			if withdrew {
				// Some reader may still be mid-read: freeze again.
				h.word.Store(frozenWord)
				o.stealFinished()
				return ctxError("thaw", h, err)
			}
			break // every owner moved after all: complete
		}
	}

	// S5.
	h.word.Store(o.curWord())
	o.stealFinished()
	return nil
}

// StealShared gets read access to h for o: if h is frozen it returns nil at
// once; otherwise it steals h exclusively (see Steal) and leaves it frozen,
// in the same step that would have made it o's, so no other thief can take
// it in between. It is a preemption point for o when it has to steal.
func (o *Owner) StealShared(ctx context.Context, h *Header) error {
	if h.word.Load() == frozenWord {
		return nil
	}
	_, err := o.steal(ctx, h, true, true)
	return err
}
