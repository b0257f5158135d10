package ownership

// Owns reports whether o owns h: one atomic load and a compare. Only o's
// goroutine may call it. A true result stays valid until o's next preemption
// point (Preempt, Park, Steal, TrySteal, Thaw, StealShared, Close, or a
// blocking channel operation: the package doc lists them), or until o
// freezes or sends the object itself: until then o may read and write the
// object's plain fields, and no thief can take it.
func (o *Owner) Owns(h *Header) bool {
	// Happens-before: this load (acquire) observes the Transfer CAS or the
	// S5 store that made h o's; the previous owner's accesses precede it.
	return h.word.Load() == o.cur
}

// Check is Owns with an error: nil if o owns h, else a *NotOwnerError naming
// the current holder (errors.Is(err, ErrNotOwner)).
func (o *Owner) Check(h *Header) error {
	if h.word.Load() == o.cur {
		return nil
	}
	return notOwner(o, h, nil)
}

// Adopt takes a free object (zero word, or its owner closed, which includes
// a word left by an earlier life of a recycled id). Adopting an object o
// already owns is a no-op. Any other state gives a *NotOwnerError wrapping
// ErrNotFree; if o is closed, one wrapping ErrOwnerClosed.
func (o *Owner) Adopt(h *Header) error {
	if o.cur == noneWord {
		return callerClosed(o, h)
	}
	for {
		w := h.word.Load()
		switch {
		case w == o.cur:
			return nil
		case w == freeWord:
		case isOwnedShape(w) && ownerGone(w):
		default:
			return notOwner(o, h, ErrNotFree)
		}
		// Happens-before: the closed owner's closing CAS -> our ctl load
		// that saw it (acquire, in ownerGone) -> this CAS -> our accesses.
		if h.word.CompareAndSwap(w, o.cur) {
			return nil
		}
	}
}

// Claim takes h with one CAS if it is free or stale (its owner bumped its
// epoch or closed), without waiting. Claiming an object o already owns
// returns nil; o re-claims its own stale objects this way after a bump.
// Errors (all *NotOwnerError): owned by another live owner at its current
// epoch wraps ErrOwned; a steal in progress wraps ErrStealInProgress; frozen
// wraps ErrFrozen; o closed wraps ErrOwnerClosed. On error nothing changes.
// TryClaim is the same without the error (and without allocating).
func (o *Owner) Claim(h *Header) error {
	for {
		w := h.word.Load()
		if w == o.cur {
			return nil
		}
		if reason := o.claimable(w); reason != nil {
			return notOwner(o, h, reason)
		}
		// Happens-before: the previous owner's bump or close (release) -> our
		// ctl load in claimable that observed it (acquire) -> this CAS ->
		// our plain accesses.
		if h.word.CompareAndSwap(w, o.cur) {
			return nil
		}
	}
}

// TryClaim is Claim reporting only whether o owns h afterwards: true if o
// owned h or took it (free or stale), false otherwise (nothing changes). A
// true result is a successful check, valid until o's next preemption point.
// It never allocates, so a loop that re-claims objects after a bump pays
// nothing for the ones it cannot have.
func (o *Owner) TryClaim(h *Header) bool {
	for {
		w := h.word.Load()
		if w == o.cur {
			return true
		}
		if o.claimable(w) != nil {
			return false
		}
		// Happens-before: as in Claim.
		if h.word.CompareAndSwap(w, o.cur) {
			return true
		}
	}
}

// claimable reports whether word w (not o.cur) may be taken with one CAS:
// nil if free or stale, else the reason (a sentinel: no allocation).
func (o *Owner) claimable(w uint64) error {
	switch {
	case o.cur == noneWord:
		return ErrOwnerClosed // never CAS noneWord into a header
	case w == freeWord:
		return nil
	case w == frozenWord:
		return ErrFrozen
	case isStealingWord(w):
		return ErrStealInProgress
	case !isOwnedShape(w):
		return ErrNotFree // (0, e): never written by this package
	case wordID(w) == o.id:
		// Our own word at an epoch we left (or an earlier life's): stale.
		// Our earlier accesses precede this in program order.
		return nil
	}
	v := lookupCore(wordID(w))
	if v == nil {
		return nil // closed: free
	}
	// Happens-before: v's bump or close CAS (release) -> this load (acquire).
	if moved(v.ctl.Load(), wordEpoch(w)) {
		return nil
	}
	return ErrOwned
}

// ownerGone reports whether the owner named by the owned-shape word w is
// closed: not registered, marked closed, or w is from an earlier life of
// its id.
func ownerGone(w uint64) bool {
	v := lookupCore(wordID(w))
	if v == nil {
		return true
	}
	c := v.ctl.Load()
	return c&closedBit != 0 || !v.inLife(wordEpoch(w), ctlEpoch(c))
}

// Release gives up h: it becomes free. Releasing an object o does not own
// (a double release) returns a *NotOwnerError and changes nothing.
func (o *Owner) Release(h *Header) error {
	// Happens-before: our plain accesses -> this CAS (release) -> the next
	// claimer's CAS on the free word (acquire).
	if h.word.CompareAndSwap(o.cur, freeWord) {
		return nil
	}
	return notOwner(o, h, nil)
}

// TryTransfer is Transfer for a hot loop: it moves h from o to owner to
// and reports true when Transfer would succeed, and reports false and
// changes nothing when Transfer would return an error (o does not own h,
// to is closed, or a thief marked h meanwhile). Use Check or h's State to
// learn why. It is cheap enough to be inlined into its caller (one load
// of h's word, one of to's control word, the CAS, and no error to build),
// and is the step a channel's send takes for each owned item: against
// Transfer behind a call, an owned send and receive in one goroutine went
// from 64 to 53 ns (AMD EPYC).
func (o *Owner) TryTransfer(h *Header, to *Owner) bool {
	w := h.word.Load()
	if w != o.cur {
		return false
	}
	c := to.c.ctl.Load()
	// Happens-before: as Transfer's CAS (o's plain writes -> this CAS
	// (release) -> to's Owns load that observes the new word (acquire)).
	// The CAS from w, not a store: a thief's mark made since the load
	// makes it fail.
	return c&closedBit == 0 && h.word.CompareAndSwap(w, pack(to.id, ctlEpoch(c)))
}

// Transfer hands h, which o owns, to owner to with one CAS: the word becomes
// (to, to's current epoch), so to finds the object already its own. This is a
// channel's send path. If o does not own h it returns a *NotOwnerError; if to
// is closed, an error wrapping ErrOwnerClosed. On error nothing changes.
//
// If to bumps its epoch (a steal from to, while to is parked) between our load
// of its epoch and our CAS, the object arrives stale and to re-claims it with
// Claim, exactly as after any other bump; if to closes meanwhile, the object
// is free. Neither loses the object or lets two owners write it. A to that
// Retire has asked to close is still open: the object is its until it
// closes, then free.
func (o *Owner) Transfer(h *Header, to *Owner) error {
	c := to.c.ctl.Load()
	if c&closedBit != 0 {
		return ownerClosedError("transfer", to.id)
	}
	// Happens-before: o's plain writes -> this CAS (release) -> to's Owns
	// load that observes the new word (acquire), whether or not a channel
	// slot publish sits in between.
	if h.word.CompareAndSwap(o.cur, pack(to.id, ctlEpoch(c))) {
		return nil
	}
	return notOwner(o, h, nil)
}
