package ownership

// Recall undoes o's Transfer of h to owner to, for a hand-over that did not
// happen after all: a channel whose publish failed because the channel was
// closed meanwhile. It must be called by o's goroutine before h was ever
// made visible to to's goroutine, so to has never used h; then, if the
// word still names to (at any epoch: to may have bumped or closed since),
// one CAS makes h o's again and Recall reports true.
//
// When o is closed (a closed owner takes nothing), Recall reports false
// and leaves h free instead, with the same CAS, if the word still names
// to: the hand-over did not happen, so h must not stay with to (whose
// goroutine never saw it), and the objects of a closed owner are free to
// claim anyway. A send blocked on an unbuffered channel while another
// goroutine closes its sender, which retires the sender's owner, ends
// here. It reports false, and changes nothing, when the word no longer
// names to: a thief that held a
// pointer to h marked or took it in between, exactly as it could have taken
// it from o a moment earlier. The object is then the thief's. That
// includes an owner that took h after to closed, under to's id recycled
// (ids.go): the word names the id at an epoch after to's life, so it is
// not to's.
func (o *Owner) Recall(h *Header, to *Owner) bool {
	me := o.curWord()
	w := h.word.Load()
	if !isOwnedShape(w) || wordID(w) != to.id || !to.c.inLife(wordEpoch(w), ctlEpoch(to.c.ctl.Load())) {
		return false
	}
	// Happens-before: nothing to order with to (it never saw h); o's own
	// Transfer CAS precedes this one in program order.
	if me == noneWord {
		// o is closed: it takes nothing back (header.go, noneWord), but h
		// goes free rather than stay with to.
		h.word.CompareAndSwap(w, freeWord)
		return false
	}
	return h.word.CompareAndSwap(w, me)
}
