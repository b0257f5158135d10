package ownership

// RequestRelease asks the owner of h to give h up at its next preemption
// point, and returns at once: it never waits. From that point on h is
// stale, and whoever needs it takes it with one CAS (Claim, TryClaim), or
// with a Steal that then finds nothing to wait for. If the owner is parked
// (at a safepoint now) it is bumped on its behalf at once. RequestRelease
// does nothing for an object that is free, stale, frozen or being stolen;
// it reports whether a request is now pending (or was answered at once).
//
// It is for a goroutine that hands on an object it does not own: a
// channel send on behalf of a forwarding stage, whose own receiving owner
// holds the object and will pass a preemption point only after the send
// returns. Waiting there (a Steal) would wait for itself; asking is enough,
// since the request is made before that preemption point.
//
// The holder's check results stay valid until its next preemption point,
// as with a steal: the request only makes sure that point ends them.
func RequestRelease(h *Header) bool {
	w := h.word.Load()
	if !isOwnedShape(w) {
		return false
	}
	v := lookupCore(wordID(w))
	if v == nil {
		return false // closed: already free
	}
	e := wordEpoch(w)
	c := v.ctl.Load()
	if moved(c, e) {
		return false // stale already
	}
	if ctlPending(c) != 0 {
		// A request is pending at epoch e (owner.go invariant 2): the next
		// preemption point bumps anyway. Adding ours would only count
		// towards the pending limit.
		return true
	}
	// S3 of a steal without the rest: a pending request, or a bump on
	// behalf of a parked owner. Nobody withdraws it; the bump clears it
	// (invariant 2).
	requestBump(v, e)
	return true
}
