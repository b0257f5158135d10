package endpoint

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/handoff-go/handoff/ownership"
	"golang.org/x/sys/cpu"
)

// Consumers is what the receivers of a channel share once there are
// several (Receiver.Clone). A channel starts with one receiver, which is
// the single consumer of every lane and takes no lock; the first Clone
// makes this, once and for good, and from then on every receiver of the
// channel holds a lane's Claim around each consumer access to that lane's
// ring.
//
// # How an item is claimed by one receiver
//
// Each lane is still a single-producer single-consumer ring: its consumer
// is now "whichever receiver holds the lane's Claim" (a sync.Mutex in the
// Lane, never taken by the sender). A receiver locks a lane's claim, pops
// (or pops a batch, or takes a blocked sender's offer, or finds the ring
// empty), and unlocks; it reads a slot only after it holds the claim, so
// no receiver ever reads a slot the producer may be refilling. A receiver
// that finds a lane's claim taken tries the next lane first (another
// receiver is popping that one), so receivers of a channel with several
// senders rarely wait for each other. The edges, per lane:
//
//   - producer -> the receiver that pops: the slot write, then the tail
//     CAS (release); the popping receiver's tail load (acquire), made
//     under the claim, or made by an earlier holder of the claim whose
//     Unlock happens before this holder's Lock.
//   - receiver -> receiver: Unlock happens before the next Lock (sync's
//     guarantee), so the consumer's private fields of the ring (its
//     cached copy of the tail, its slot number) and the zeroed slots are
//     handed from one holder to the next like a baton.
//   - receiver -> producer: the slot zeroing, then the head store
//     (release), then the producer's head load (acquire), as with one
//     receiver.
//
// Every item is popped by exactly one holder of its lane's claim, and the
// pops of a lane are in its send order (one pop at a time, each from the
// head), so the receivers taken together receive each sender's items in
// order.
//
// # Why the switch in Clone is safe
//
// Until the first Clone the one receiver's goroutine is the only consumer
// and takes no lock. Clone is an operation of that receiver, so it runs in
// that goroutine (the endpoint Guard checks it under -race); it sets the
// receiver's own pointer to Consumers, which only that goroutine reads, so
// every later consumer access of the original receiver takes the claims
// (program order). The clone is born with the pointer set, and another
// goroutine can only use it after the caller hands it over with a
// happens-before edge of its own (a go statement, a channel send), which
// comes after the switch. So no consumer access is ever made without the
// claim while a second receiver can run, and the switch is never undone.
//
// # Waiting
//
// The senders wake one Parker, State.RecvPark, which has room for one
// waiter. Among several receivers the waiter there is the one that holds
// the door (a channel of capacity one, acquired like a semaphore); the
// others wait for the door. The holder announces on RecvPark, re-checks,
// sleeps; when it wakes (an item, a close, its context) it passes the
// door on, and the next receiver re-checks before it sleeps in its turn.
// No wake-up is lost: a publish either comes before the door holder's
// re-check, which then sees it, or after its announcement, and then the
// sender's Wake sends it the token (Parker's argument, unchanged); and
// every receiver that waits either holds the door, or waits for it and
// re-checks once it gets it. A Selector with receive cases on such
// channels takes their doors too before it sleeps on their RecvParks
// (AwaitDoors), staying announced on its other cases while it waits for
// a door.
//
// # Ownership
//
// A sender cannot know which receiver will get an item, so from the first
// Clone on it hands owned objects over to Transit, an owner that no
// goroutine uses (it is parked for good, so a thief never waits for it):
// an object in the buffer belongs to nobody who could write it, and the
// sender's checks fail from the moment Send returns. The receiver that
// pops it takes it with one CAS (Owner.Recall from Transit: the header
// still names Transit): no steal, no wait. Happens-before: the sender's
// writes, its Transfer CAS (release), the publish, the pop, the taking
// CAS (acquire). Objects sent to the first receiver's owner before the
// first Clone still arrive owned by it; a clone that pops one takes it on
// the fallback path (a steal that waits for the first receiver's next
// preemption point, immediate while it is blocked).
type Consumers struct {
	door chan struct{}
	// Transit owns every object in the buffer from the switch on; see
	// the type's documentation.
	Transit *ownership.Owner
	// open counts the receivers not closed (guarded by the State's mu).
	// It lives here, not in the State, because only a channel with
	// several receivers needs it: while there is one, its own closed
	// state is the State's receiver word.
	open int
	// returned is the pool of items handed back by the receivers that
	// popped them (see Returned): a *Returned[T], made by the first use,
	// guarded by returnedMu. pending counts what the channel still holds
	// outside its lanes (see Returned).
	returnedMu sync.Mutex
	returned   any
	pending    atomic.Uint64
}

// EnterDoor makes the caller the receiver that waits on the channel's
// RecvPark, waiting for the previous one to leave. It returns ctx.Err()
// if ctx ends first, or ErrClosed when quit is closed (the caller's
// receiver was closed by another goroutine). owner, if not nil, is parked
// while the caller waits, as in any other wait of the channel.
func (c *Consumers) EnterDoor(ctx context.Context, quit <-chan struct{}, owner *ownership.Owner) error {
	select {
	case c.door <- struct{}{}:
		return nil
	default:
	}
	if owner != nil {
		owner.Park()
		defer owner.Unpark()
	}
	select {
	case c.door <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-quit:
		return ErrClosed
	}
}

// LeaveDoor passes the door to the next waiting receiver, if any.
func (c *Consumers) LeaveDoor() { <-c.door }

// AddReceiver registers a new receiver, a clone of the receiver whose
// closed flag is from, and returns the channel's Consumers (made by the
// first call). It fails with ErrClosed if that receiver has closed or the
// channel is disconnected. Called by the goroutine of the receiver cloned.
func (st *State[T]) AddReceiver(from *ReceiverFlag) (*Consumers, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if from.closed.Load() || st.ReceiverClosed() {
		return nil, ErrClosed
	}
	c := st.shared.Load()
	if c == nil {
		t := ownership.NewNamedOwner("in transit")
		t.Park() // nobody's goroutine: a thief never waits for it
		c = &Consumers{door: make(chan struct{}, 1), Transit: t, open: 1}
		for _, l := range st.Lanes() {
			claimLane(l)
		}
		st.shared.Store(c) // release: senders transfer to c.Transit from now on
	}
	c.open++
	return c, nil
}

// ReceiverFlag is one receiver's own closed state: set once, by its Close
// (CloseOneReceiver), from any goroutine.
type ReceiverFlag struct {
	closed atomic.Bool
	once   sync.Once
	quit   chan struct{}
}

// Closed reports whether the receiver has closed.
func (f *ReceiverFlag) Closed() bool { return f.closed.Load() }

// Quit returns a channel closed when the receiver closes, for waits that
// do not sleep on RecvPark (EnterDoor). Made on first use, by the
// receiver's goroutine, before any Close can need it (see CloseOneReceiver).
func (f *ReceiverFlag) Quit() <-chan struct{} {
	f.once.Do(func() { f.quit = make(chan struct{}) })
	return f.quit
}

// CloseOneReceiver closes one receiver, from any goroutine, and reports
// whether this call closed it. The last open receiver disconnects the
// channel (disconnectLocked), and then the Transit owner is closed too: what
// it held in the buffer becomes free. A receiver that is not the last
// stops receiving; a receive blocked in it wakes and reports ErrClosed.
func (st *State[T]) CloseOneReceiver(f *ReceiverFlag) bool {
	st.mu.Lock()
	if f.closed.Load() || st.ReceiverClosed() {
		st.mu.Unlock()
		return false
	}
	f.closed.Store(true)
	f.once.Do(func() { f.quit = make(chan struct{}) })
	close(f.quit)
	shared := st.shared.Load()
	last := shared == nil || shared.open <= 1
	if !last {
		shared.open--
		st.mu.Unlock()
		st.RecvPark.Wake() // it may be the door holder
		return true
	}
	// The last one disconnects the channel in the same critical section
	// as it sets the flag: a second Close that finds the flag set and
	// returns ErrClosed must find the channel disconnected too, or a send
	// after that ErrClosed could still succeed (the linearizability test
	// with a third goroutine closing found that window). Every other
	// receiver is closed, and a clone needs an open receiver, so nobody
	// else can be here.
	lanes := st.disconnectLocked()
	st.mu.Unlock()
	st.wakeDisconnected(lanes)
	if shared != nil {
		shared.Transit.Retire() // parked: closes at once
	}
	return true
}

// Transit returns the owner that senders hand objects over to, or nil
// while the channel has one receiver (they hand them to its owner). One
// atomic load of a word written once, and with several receivers the
// Consumers' field, written before that word.
func (st *State[T]) Transit() *ownership.Owner {
	if c := st.shared.Load(); c != nil {
		return c.Transit
	}
	return nil
}

// Claim is the lock that makes one receiver at a time the consumer of a
// lane (see Consumers), on cache lines of its own: the receivers write it
// on every pop, and nothing the sender reads may share its line.
type Claim struct {
	_  cpu.CacheLinePad
	mu sync.Mutex
	_  cpu.CacheLinePad
}

// Lock takes the claim, waiting for the receiver that holds it.
func (c *Claim) Lock() { c.mu.Lock() }

// TryLock takes the claim if nobody holds it.
func (c *Claim) TryLock() bool { return c.mu.TryLock() }

// Unlock releases the claim.
func (c *Claim) Unlock() { c.mu.Unlock() }

// claimLane gives l its Claim, for a channel with several receivers.
// Under mu: at the switch (AddReceiver) for the lanes that exist, and in
// AddLane for a lane added after it, before the lanes slice that holds it
// is published. A receiver that takes a lane's claim has either made the
// switch itself, or came after it (a clone), or loaded the lanes slice
// that holds the lane (an acquire of AddLane's store): either way it sees
// the pointer.
func claimLane[T any](l *Lane[T]) {
	if l.Claim == nil {
		l.Claim = new(Claim)
	}
}
