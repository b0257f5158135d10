package ownership

import "errors"

// HandOver is a channel send's ownership step: it moves h to owner to if o
// can do that without waiting for anyone, and reports whether it did. o's
// goroutine calls it; to is the receiving side's owner. The decision, made
// on h's word:
//
//   - owned by o: Transfer (one CAS). If a thief marks h between o's check
//     and the CAS, o passes a preemption point (Preempt), so that the
//     thief's steal completes, and decides again;
//   - free, or stale (its owner passed a preemption point, or closed): o
//     claims it (one CAS) and transfers it. With reject only o's own stale
//     object is (re-claiming that is always allowed); a free object, or
//     another owner's stale one, gives an error that wraps ErrNotOwner;
//   - owned by to already (a second node of a Region sent before, say):
//     with reject, an error; otherwise HandOver reports (false, nil) and
//     asks nothing: the object goes as it is and arrives owned, where a
//     request would only have made to bump its own epoch;
//   - owned by another live owner, or being stolen: with reject, an error
//     that wraps ErrNotOwner and names the holder; otherwise the holder is
//     asked to give it up at its next preemption point
//     (RequestRelease) and HandOver reports (false, nil): the object goes
//     as it is, and the receiving side takes it, with one CAS once the
//     holder has passed that point, or with a Steal that waits for it;
//   - frozen: an error that wraps ErrNotOwner (its holder reads "frozen");
//     Thaw it first.
//
// HandOver never waits for another goroutine: a goroutine that received h
// from one channel, and so holds it through its receiving owner, can send
// it on another with a sending owner of its own (a forwarding stage)
// without waiting for itself. On error nothing changed. If to is closed,
// the error wraps ErrOwnerClosed and h stays o's.
func (o *Owner) HandOver(h *Header, to *Owner, reject bool) (moved bool, err error) {
	for {
		w := h.word.Load()
		if w == o.cur {
			err := o.Transfer(h, to)
			if err == nil {
				return true, nil
			}
			if isStealingWord(h.word.Load()) {
				o.Preempt()
				continue
			}
			return false, err
		}
		claim := o.claimable(w)
		ownStale := claim == nil && isOwnedShape(w) && wordID(w) == o.id
		switch {
		case claim == nil && (!reject || ownStale):
			// Happens-before: as in Claim. Ours now (or the word moved):
			// decide again, and transfer on the next pass.
			h.word.CompareAndSwap(w, o.cur)
			continue
		case reject:
			return false, notOwner(o, h, nil)
		case errors.Is(claim, ErrFrozen), errors.Is(claim, ErrNotFree), errors.Is(claim, ErrOwnerClosed):
			return false, notOwner(o, h, claim)
		}
		if isOwnedShape(w) && wordID(w) == to.id {
			return false, nil // to's already: nothing to ask
		}
		RequestRelease(h)
		return false, nil
	}
}
