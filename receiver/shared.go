package receiver

import (
	"context"

	"github.com/handoff-go/handoff"
	"github.com/handoff-go/handoff/internal/endpoint"
)

// The receive paths of a channel with several receivers (r.p.Shared set
// by Clone): the same steps as recv and recvBatch, with every consumer
// access to a lane's ring (pop, batch pop, the emptiness check, the
// discard) made under that lane's Claim, and the wait taken in turns at
// the door (see endpoint.Consumers). The item is popped under the claim
// and owned after it is released, so that a steal on the fallback path
// never holds the other receivers up.

func (r *Receiver[T]) recvShared(ctx context.Context, block bool) (T, error) {
	var zero T
	if r.gone() {
		return zero, handoff.ErrClosed
	}
	if block && r.p.Owner != nil {
		r.p.Owner.Preempt()
	}
	waited := false
	for {
		if r.gone() { // again after a wait: see popClaimed
			if waited {
				r.waitEnded()
			}
			return zero, handoff.ErrClosed
		}
		if r.p.Shared.AnyReturned() {
			if v, ok, err := r.takeReturned(ctx, block); ok || err != nil {
				if waited {
					r.waitEnded()
				}
				return v, err
			}
		}
		v, ok, unsettled := r.tryPopShared()
		if ok {
			if !r.p.HasHeader {
				return v, nil // a plain value: nothing to own
			}
			return r.takeShared(ctx, v, block, unsettled)
		}
		if waited {
			r.waitEnded() // as recv: a wait that ended without an item (capacity 0)
		}
		if err := r.waitShared(ctx, block); err != nil {
			if block {
				r.waitEnded()
			}
			return zero, err
		}
		waited = block
	}
}

func (r *Receiver[T]) recvBatchShared(ctx context.Context, dst []T) (int, error) {
	if r.gone() {
		return 0, handoff.ErrClosed
	}
	if len(dst) == 0 {
		return 0, nil
	}
	if r.p.Owner != nil {
		r.p.Owner.Preempt()
	}
	for {
		if r.gone() { // again after a wait: see popClaimed
			return 0, handoff.ErrClosed
		}
		if r.p.Shared.AnyReturned() {
			if v, ok, err := r.takeReturned(ctx, true); err != nil {
				return 0, err
			} else if ok {
				dst[0] = v
				return 1, nil
			}
		}
		if n, unsettled := r.popBatchShared(dst); n > 0 {
			if r.p.HasHeader { // decided per type: ints pay no call per item
				return r.takeBatchShared(ctx, dst[:n], true, unsettled)
			}
			return r.takeBatch(ctx, dst[:n], true)
		}
		if err := r.waitShared(ctx, true); err != nil {
			return 0, err
		}
	}
}

// gone reports whether this receiver can receive no more: it closed, or
// the channel is disconnected (then, the first time, the values still
// buffered are cleared, under the claim).
func (r *Receiver[T]) gone() bool {
	if r.p.Flag.Closed() {
		return true
	}
	if !r.p.St.ReceiverClosing() { // as in disconnected: a disconnect that has begun counts
		return false
	}
	r.p.St.AwaitClosed()
	if !r.discarded {
		r.discarded = true
		for _, l := range r.p.St.Lanes() { // St.DiscardQueued, lane by lane under its claim
			l.Claim.Lock()
			l.Ring.Consumer().ClearQueued()
			l.Claim.Unlock()
		}
		r.dropHeld()
		p := endpoint.LockReturned[T](r.p.Shared) // counted as undelivered still: Stats counts them as discarded
		p.Clear()
		p.Unlock()
	}
	return true
}

// waitShared is waitItem for several receivers: it checks, and if nothing
// is ready and it may block, waits for the door and then waits on the
// channel's RecvPark like a single receiver.
func (r *Receiver[T]) waitShared(ctx context.Context, block bool) error {
	c := sharedReady[T]{r, block}
	if done, err := c.Ready(); done {
		return err
	}
	if !block {
		return handoff.ErrEmpty
	}
	if err := r.p.Shared.EnterDoor(ctx, r.p.Flag.Quit(), r.p.Owner); err != nil {
		if done, rerr := c.Ready(); done { // as after a sleep: a ready item wins over the context
			return rerr
		}
		return err
	}
	sl := r.sleeper()
	err := endpoint.Await(ctx, c, &sl)
	r.p.Shared.LeaveDoor()
	return err
}

// sharedReady is itemReady for several receivers: an item in some lane
// (scanned under the claim), or the channel closed and drained, or this
// receiver closed, or the channel disconnected. Not ready (false, nil) is
// also TryRecv's and TryRecvBatch's ErrEmpty, so it must mean that at one
// instant during the call the channel was open and every lane empty.
//
// With one receiver, "open, then every lane empty" is such an instant:
// only that receiver removes items, so whatever it finds empty was empty
// when it loaded the closed state. With several, another receiver may
// take items during the scan, and that breaks it twice:
//
//   - The last items go to another receiver, and the senders close after
//     that: the channel was never open and empty at once. So the closed
//     state is loaded again after an empty scan: still open means open
//     when the scan found the lanes empty (closing is for good); closed
//     means scan again, and that scan begins with the channel closed, so
//     it finds an item or ErrClosed. (TestLinearizableTwoReceiversInts
//     found this: 5 runs in 100 reported ErrEmpty with items buffered
//     until the close.)
//   - Lane A is found empty, then gets an item, while another receiver
//     empties lane B before the scan reaches it: each lane was empty at
//     its own instant, never both at once. anyItemShared settles that.
type sharedReady[T any] struct {
	r *Receiver[T]
	// block: the receive may wait, and an item in the pool of returned
	// items is ready for it (it waits there to own the item; see
	// takeReturned). A receive that may not wait passes such items over.
	block bool
}

func (c sharedReady[T]) Ready() (bool, error) {
	r := c.r
	if r.p.Flag.Closed() {
		return true, handoff.ErrClosed
	}
	if c.block && r.p.Shared.AnyReturned() {
		return true, nil
	}
	for {
		closed := r.noMoreArrivals() // before the emptiness check: see waitItem
		if r.anyItemShared() {
			return true, nil
		}
		if closed {
			if c.r.p.Shared.Pending() {
				// Drained, but not every item is delivered: one is in
				// the pool, waiting for a receive that can own it, or on
				// its way there or out (see endpoint.Returned). A receive
				// that may wait looks again (the pool's) or sleeps until
				// that receive settles it (it wakes RecvPark).
				return c.block && r.p.Shared.AnyReturned(), nil
			}
			r.gone()
			return true, handoff.ErrClosed
		}
		if !r.noMoreArrivals() {
			break // open after an empty scan: see below
		}
	}
	if st := r.p.St; st.Rendezvous && st.RecvPark.Waiting() {
		r.wakeSelectingSenders() // as itemReady does: only once announced
	}
	return false, nil
}

// tryPopShared is tryPop under the lanes' claims. It takes one item from
// the first lane that has one, starting at r.next: the lane of the last
// pop while the receiver stays there (see stayPops), else the one after
// it (settle, as with one receiver). With several lanes, a lane
// whose claim another receiver holds is passed over first, and waited for
// only if no other lane had an item. unsettled counts the item if its
// receive must still decide whether it can own it (see recallPopped).
func (r *Receiver[T]) tryPopShared() (v T, ok bool, unsettled int) {
	lanes := r.p.St.Lanes()
	n := len(lanes)
	busy := false
	k := r.next
	for range lanes {
		if k >= n {
			k = 0
		}
		l := lanes[k]
		claimed, held := r.claimToPop(l, k, n)
		busy = busy || held
		if !claimed {
			k++
			continue
		}
		if v, ok, u := r.popClaimed(l, n); ok {
			r.settle(k)
			return v, true, u
		}
		k++
	}
	if busy {
		for i, l := range lanes {
			l.Claim.Lock()
			if v, ok, u := r.popClaimed(l, n); ok {
				r.settle(i)
				return v, true, u
			}
		}
	}
	return v, false, 0
}

// claimToPop takes lane k's claim for a pop of a sweep over n lanes, or
// reports why not: held, when another receiver holds it (the sweep passes
// it over and waits for it only if no other lane had an item), or neither,
// when the lane looks empty. With one lane it waits for the claim. On the
// lane it stays on (see stayPops) it tries the claim without the Len
// pre-check: that lane likely has more, and the claim's holder finds them
// from the ring's cached tail, without the producer's line that Len
// loads. Elsewhere the pre-check (two atomic loads, no claim) passes over
// lanes that look empty; the wait condition checks them exactly.
func (r *Receiver[T]) claimToPop(l *endpoint.Lane[T], k, n int) (claimed, held bool) {
	switch {
	case n == 1:
		l.Claim.Lock()
		return true, false
	case k == r.next && r.stay > 0:
	case l.Ring.Len() == 0 && !l.HasOffer():
		return false, false
	}
	if l.Claim.TryLock() {
		return true, false
	}
	return false, true
}

// popClaimed pops one item from l, whose claim the caller holds, and
// releases the claim: from the ring, else a blocked sender's offer. A lane
// found closed and drained leaves the channel's scan (n: how many lanes
// the caller saw; the last one stays, as with one receiver).
//
// After a disconnect, another receiver clears the values still buffered
// (gone) in place, under each lane's claim, and the indices still count
// them: a pop after that would return a zero value. So a pop checks the
// disconnect while it holds the claim: the disconnect sets it before any
// receiver can see it and clear, and the clearing of this lane happened
// under this claim, so a pop that finds no disconnect found no cleared
// slot. What it pops on a disconnected channel is dropped, counted as
// undelivered (so Stats counts it as discarded), and the receive reports
// ErrClosed.
func (r *Receiver[T]) popClaimed(l *endpoint.Lane[T], n int) (v T, ok bool, unsettled int) {
	c := l.Ring.Consumer()
	if v, ok := c.TryPop(); ok {
		if r.p.St.ReceiverClosed() {
			l.Claim.Unlock()
			r.p.St.ReceiverStats.Undelivered.Add(1)
			var zero T
			return zero, false, 0
		}
		unsettled = r.recallPopped(v)
		l.Claim.Unlock()
		l.SendPark.Wake()
		return v, true, unsettled
	}
	v, ok = l.TakeOffer()
	if ok {
		unsettled = r.recallPopped(v)
	}
	drained := !ok && n > 1 && l.SenderClosed() && c.Drained()
	l.Claim.Unlock()
	if drained {
		r.p.St.RemoveLane(l) // drained stays drained: no receiver can pop, no sender push
	}
	return v, ok, unsettled
}

// recallPopped takes an object just popped from the transit owner, with
// one CAS (ownership.Owner.Recall: the header still names Transit, as it
// does for every object sent after the first Clone), while the caller
// still holds the lane's claim. An object that is not this receiver's
// then is on the fallback path: its receive may end without it and hand
// it to the pool of returned items, so it is counted as unsettled
// (Consumers.Unsettle) before the claim is released, and no other
// receiver finds the channel drained meanwhile (see endpoint.Returned).
// It returns 1 if it counted v, else 0; the receive settles the count.
func (r *Receiver[T]) recallPopped(v T) int {
	if !r.p.HasHeader {
		return 0
	}
	h := r.p.St.Header(v)
	if h == nil {
		return 0
	}
	r.p.Owner.Recall(h, r.p.Shared.Transit)
	if r.p.Owner.Owns(h) {
		return 0
	}
	r.p.Shared.Unsettle()
	return 1
}

// popBatchShared is popBatch under the lanes' claims: one sweep from
// r.next, one claim and one index publish per lane that has items, lanes
// whose claim is taken passed over (and waited for only if the sweep got
// nothing). unsettled counts the items whose receive must still decide
// whether it can own them (see recallPopped).
func (r *Receiver[T]) popBatchShared(dst []T) (got, unsettled int) {
	lanes := r.p.St.Lanes()
	n := len(lanes)
	busy := false
	k := r.next
	for range lanes {
		if got == len(dst) {
			break
		}
		if k >= n {
			k = 0
		}
		l := lanes[k]
		claimed, held := r.claimToPop(l, k, n)
		busy = busy || held
		if !claimed {
			k++
			continue
		}
		m, u := r.popBatchClaimed(l, n, dst[got:])
		got, unsettled = got+m, unsettled+u
		k++
	}
	if got == 0 && busy {
		for _, l := range lanes {
			if got == len(dst) {
				break
			}
			l.Claim.Lock()
			m, u := r.popBatchClaimed(l, n, dst[got:])
			got, unsettled = got+m, unsettled+u
		}
	}
	r.next, r.stay = r.next+1, 0
	if r.next >= n {
		r.next = 0
	}
	return got, unsettled
}

// popBatchClaimed pops up to len(dst) items from l, whose claim the caller
// holds, and releases the claim.
func (r *Receiver[T]) popBatchClaimed(l *endpoint.Lane[T], n int, dst []T) (got, unsettled int) {
	c := l.Ring.Consumer()
	if m := c.PopBatch(dst); m > 0 {
		if r.p.St.ReceiverClosed() { // see popClaimed
			l.Claim.Unlock()
			clear(dst[:m])
			r.p.St.ReceiverStats.Undelivered.Add(int64(m))
			return 0, 0
		}
		if r.p.HasHeader {
			for _, v := range dst[:m] {
				unsettled += r.recallPopped(v)
			}
		}
		l.Claim.Unlock()
		l.SendPark.Wake()
		return m, unsettled
	}
	if v, ok := l.TakeOffer(); ok {
		unsettled = r.recallPopped(v)
		l.Claim.Unlock()
		dst[0] = v
		return 1, unsettled
	}
	drained := n > 1 && l.SenderClosed() && c.Drained()
	l.Claim.Unlock()
	if drained {
		r.p.St.RemoveLane(l)
	}
	return 0, 0
}

// anyItemShared is anyItem under the lanes' claims: whether some lane
// holds an item or an offer, waiting for each claim (this is the wait
// condition, which must not miss an item). It also reports true when it
// cannot tell: then the caller looks again.
//
// false means that at one instant every lane was empty, though the scan
// looks at the lanes one after another and other receivers pop between
// (see sharedReady). With several lanes that takes a second look, a
// double collect: the first pass records, for each lane found empty, its
// count of pushes, which equals its count of pops then (the claim holds
// the pop count still); the second loads each lane's push count again.
// Push counts only grow, so equal sums mean that no lane was pushed to
// between its two loads, and a lane's pops cannot pass its pushes: every
// lane was empty from its first load to its second, hence all of them at
// once between the passes. A different sum, or a lane added or removed
// meanwhile, answers true: something moved, look again. With one lane the
// first pass is exact. (Counts wrap after 2^63 pushes; offers are sends in
// progress until taken, so one put up between the passes changes nothing
// that had happened.)
func (r *Receiver[T]) anyItemShared() bool {
	lanes := r.p.St.Lanes()
	var pops uint64
	for _, l := range lanes {
		l.Claim.Lock()
		c := l.Ring.Consumer()
		if !c.Empty() || l.HasOffer() {
			l.Claim.Unlock()
			return true
		}
		pops += l.Ring.Popped() // still under the claim: Empty found it equal to the push count
		drained := len(lanes) > 1 && l.SenderClosed() && c.Drained()
		l.Claim.Unlock()
		if drained {
			r.p.St.RemoveLane(l)
		}
	}
	if len(lanes) <= 1 { // two receivers that each remove a drained lane can leave none
		return false
	}
	var pushes uint64
	for _, l := range lanes {
		pushes += l.Ring.Pushed()
	}
	now := r.p.St.Lanes()
	return pushes != pops || len(now) != len(lanes) || &now[0] != &lanes[0]
}
