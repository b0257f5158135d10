package endpoint

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/handoff-go/handoff/ownership"
	"github.com/handoff-go/handoff/ringbuffer"
	"golang.org/x/sys/cpu"
)

// Config is what channel.Make decided, handed to New.
type Config struct {
	Capacity int
	// SenderOwner and ReceiverOwner own the two endpoints. For element
	// types that carry an ownership header a nil owner is replaced by a
	// fresh one; for other types nil means "no owner" and costs nothing.
	SenderOwner, ReceiverOwner *ownership.Owner
	// RejectUnowned makes a send of an object the sender's owner does not
	// own fail with ownership.ErrNotOwner instead of stealing it first.
	RejectUnowned bool
}

// State is shared by a channel's senders and its one receiver.
//
// Lifecycle (every endpoint method follows it, whichever goroutine calls):
//
//	open --(every sender closed)--> senders closed --(receiver empties every lane)--> drained
//	open or senders closed --(receiver closes)--> disconnected
//
// Invariants:
//   - Each sender has a lane of its own (a ring it alone produces into);
//     the receiver is the consumer of every lane. lanes is replaced, under
//     mu, by a new slice (copy on write) when a sender is cloned or the
//     receiver drops a drained lane, and read with one atomic load.
//   - A lane's ring is marked closed (Ring.Close) when its sender closes
//     or the receiver disconnects; the mark is in the word the sender
//     publishes to, so a send racing a close from any goroutine either
//     publishes before the mark or fails with ErrClosed having enqueued
//     nothing. Never an item accepted after the close.
//   - Sender closes and clones are serialised by mu: a clone needs an open
//     lane and a connected receiver, and adds its lane before that lane's
//     sender can close. The channel is closed to senders at the moment the
//     last lane is marked: a receiver that sees every lane marked
//     (LanesClosed, sequentially consistent loads) and then finds every
//     lane empty has seen every item that will ever be published: drained.
//     It asks the marks, not a count of open senders decremented after
//     them, so that it never reports the channel open (ErrEmpty) after a
//     send has failed at a mark.
//   - receiver goes open -> closing -> closed once, in one critical
//     section of mu: closing before the lanes' rings are marked, closed
//     after every mark, so whoever sees closed knows that no push can land
//     any more, and a receive that sees closing waits for closed (see
//     ReceiverClosing: the disconnect linearizes at the marks, which a
//     failing send may already have seen). Items still buffered then are
//     discarded: the
//     receiver's goroutine clears them in place at its next operation
//     (only the consumer may touch the slots), and Stats counts them as
//     Sent - Received.
//   - A lane that is closed and drained is removed by the receiver (the
//     consumer: once it has seen the lane drained, nothing can arrive on
//     it), and its counters are folded into retired under mu, so a
//     channel that lives through many Clone/Close cycles scans and keeps
//     only its live lanes.
type State[T any] struct {
	// Layout: one allocation holds the State, the first lane and the
	// first lanes slice, unpadded, so that a channel costs few bytes and
	// few allocations to make (see New) and an operation touches few
	// cache lines: the first line holds what every operation reads and
	// only clones, closes and waits write (the lanes, the closed states,
	// the receiver's Parker); the first lane follows. Padding was needed
	// only between fields that the two sides write on every item, and
	// those are the ring's indices, each on its side's line; the Parkers
	// and the Stats are written only by waits.
	//
	// Make[int](1) went from 12 allocations and 1,936 B to 7 and 1,232 B,
	// and from 2.2 to 1.3 µs (AMD EPYC, loaded; make(chan int, 1): 1
	// allocation, 128 B, 0.12 µs); then to 5 and 1,000 B (options,
	// Locator, the rare parts aside); then to 744 B with a ring of two
	// lines and no end pads (352 B before; ringbuffer's Ring says why that
	// is enough); then to 680 B with Sleepers built for each wait, so that
	// an endpoint keeps only its Spinner; then to 648 B with a receiver's
	// held-back items made on first use; then to 504 B (issue 12's
	// target is four times make(chan int, 1)'s 128 B) with each side's
	// counters apart (SendStats, ReceiverStats), no slice header for the
	// first lane (Lanes), the capacity read from the first ring, the
	// many-receiver record in Consumers, and endpoints of 48 and 80 B.
	// What is left: the ring (128 B) and its slot, the two endpoints, and
	// this State (240 B: keep it there, the next size class is 256, which
	// would cross the target).
	// Putting the endpoints or the ring in this allocation too (tried: 7
	// -> 4 allocations; 5 -> 3 with the ring and a capacity-1 slot; with
	// the two-line ring, 5 -> 4 with both endpoints in one object) did not
	// show in the time: the allocator's and the collector's work follows
	// the bytes more than the objects.
	lanes atomic.Pointer[[]*Lane[T]]
	// shared: nil while there is one receiver, then what the receivers
	// share, the owner senders hand objects over to among it (see
	// Consumers; written once, by AddReceiver, under mu).
	shared atomic.Pointer[Consumers]

	// receiver is the disconnect's state: recvOpen, then recvClosing,
	// set before the marks of a disconnect, then recvClosed after them
	// (see disconnectLocked). One 4-byte word beside the flags below.
	receiver atomic.Uint32
	// HasHeader is true when T carries an ownership header, decided once by
	// New: only then does a send rewrite ownership.
	HasHeader     bool
	RejectUnowned bool
	// Rendezvous: capacity 0, an unbuffered channel. No item enters a
	// ring (each lane keeps a ring of one slot that stays empty, so that
	// the receive path is the same); every send offers its item (Offer)
	// and waits until a receiver has taken it, so a send completes only
	// together with a receive, as on an unbuffered Go channel.
	Rendezvous bool
	// RecvDone counts, on a rendezvous channel only, the offers taken
	// (TakeOffer moves it, before it stores "taken") and the receivers'
	// waits that ended (a blocking receive's, or a Select's with a
	// receive case here): a TrySend that woke a waiting receiver gives its
	// offer up once it moves without the offer taken.
	RecvDone atomic.Uint64

	// firstLanes is the lanes slice's array until the first Clone, while
	// lanes is nil (see Lanes).
	firstLanes [1]*Lane[T]

	// RecvPark is where the receiver sleeps while every lane is empty;
	// every sender wakes it after a publish and on close.
	RecvPark Parker

	// first is the first sender's lane.
	first Lane[T]

	ReceiverStats ReceiverStats

	// The rest is used by owned sends, clones, closes, lane removal and
	// steals only.
	header *ownership.Locator[T] // shared by every channel of T (locatorFor)
	mu     sync.Mutex            // serialises clones, closes and lane removal; guards aside

	// aside holds what a channel needs only once a lane was removed or a
	// receive waited for a steal; nil until then, so that a channel that
	// never does either does not pay for it at Make (guarded by mu).
	aside *stateAside
}

// stateAside is the part of a State that most channels never use.
type stateAside struct {
	// retired sums the counters of lanes the receiver removed, so that
	// Snapshot still counts their items.
	retired Snapshot
	// disconnect is done once the receiver has disconnected; made on
	// first use (a receive that has to wait for a steal).
	disconnect       context.Context
	cancelDisconnect context.CancelFunc
}

// setAside returns st.aside, made on first use. Under st.mu.
func (st *State[T]) setAside() *stateAside {
	if st.aside == nil {
		st.aside = new(stateAside)
	}
	return st.aside
}

// Lane is one sender's ring and the state that goes with it.
type Lane[T any] struct {
	Ring *ringbuffer.Ring[T]
	// Claim is held around every consumer access to Ring once the channel
	// has several receivers (see Consumers); nil until then. Set once, under
	// mu, before any receiver that takes it can run (see claimLane).
	Claim *Claim
	// SendPark is where the lane's sender sleeps on a full ring; the
	// receiver wakes it after taking items from the lane, and on close.
	SendPark Parker
	closed   atomic.Bool // the lane's sender closed (set under State.mu)
	// offeredMoved: the ownership of offered moved (beside closed, in
	// what would be padding); see Offer for who may touch it.
	offeredMoved bool
	// offer is the hand-over of a blocked send (see Offer): the offer's
	// state in its low two bits, and above them a sequence number that
	// every Offer advances, so that a receiver's CAS cannot succeed
	// against a later offer than the one it checked the ring for (ABA).
	offer atomic.Uint64
	// handed counts the items the receiver took from offers (for Stats:
	// they never pass the ring), and handedMoved those of them whose
	// ownership the send had moved (a capacity-0 channel of owned
	// objects). Receiver only writes them.
	handed      atomic.Uint64
	handedMoved atomic.Uint64
	// recvDone is State.RecvDone on a rendezvous channel, nil elsewhere:
	// TakeOffer moves it (see there). Set once, before the lane is shared.
	recvDone *atomic.Uint64
	Stats    SendStats // the lane's sender's counters
	// offered is the item of a blocked send; see Offer for who may touch
	// it.
	offered T
}

// The states of Lane.offer. The sender moves none -> up (Offer) and
// up -> none (Withdraw), or taken -> none once it has seen the take; the
// receiver moves up -> taking -> taken (TakeOffer). Whoever moved the state
// last owns offered: the sender in none and taken, the receiver in taking.
const (
	offerNone uint64 = iota
	offerUp
	offerTaking
	offerTaken
	offerState = 3 // mask
	offerSeq   = 4 // one in the sequence bits
)

// Offer makes v available to the receiver while the sender waits for
// room in its full ring: a receiver that finds the ring empty takes v
// directly (TakeOffer), as a Go channel's receive takes the item of a
// blocked sender, so it need not sleep until the sender runs again to
// push. The sender must then wait (OfferSettled) and Withdraw. Sender
// only. On a channel of capacity 0 every item goes this way (see
// Rendezvous); elsewhere only items without an ownership header.
//
// In a chain of goroutines that wait for each other this is most of
// chan's advantage: a stage that empties its input takes the item its
// blocked upstream holds and goes on, where it would sleep. The prime
// sieve below 3,000 at capacity 1 and GOMAXPROCS 1 (AMD EPYC; gopark and
// Gosched counted with uprobes) made 82,000 parks and 22,000 yields
// without offers, 56,000 parks and 25,000 yields with them; chan makes
// 54,000 parks. (A spare slot for the item a send hands to a sleeping
// receiver, chan's other direct hand-over, cut the parks to 42,000 but
// not the time, CPU time within 1% over seven runs, so it is not here.)
//
// FIFO: the sender offers only after a push failed, so every earlier item
// of the lane is in the ring, and it pushes nothing while the offer is up;
// the receiver takes the offer only when it finds the ring empty after it
// saw the offer (the sequentially consistent store of up comes after the
// sender's publishes, so the receiver's later load of the tail sees them).
func (l *Lane[T]) Offer(v T) { l.offer2(v, false) }

// OfferMoved is Offer for an object whose ownership the send has moved to
// the receiving side: Stats counts it as transferred once it is taken.
func (l *Lane[T]) OfferMoved(v T) { l.offer2(v, true) }

func (l *Lane[T]) offer2(v T, moved bool) {
	l.offered, l.offeredMoved = v, moved                           // before the store: the receiver reads them after its CAS
	l.offer.Store(l.offer.Load()&^offerState + offerSeq | offerUp) // sender owns the word while the state is none
}

// OfferSettled reports whether the receiver has taken the offer. Sender's
// wait condition, with room in the ring or the ring closed.
func (l *Lane[T]) OfferSettled() bool { return l.offer.Load()&offerState == offerTaken }

// Withdraw ends an offer and reports whether the receiver took the item
// (then the send is complete). Otherwise the sender still holds it. Sender
// only.
func (l *Lane[T]) Withdraw() (taken bool) {
	var zero T
	w := l.offer.Load()
	if w&offerState == offerUp && l.offer.CompareAndSwap(w, w&^offerState) { // up -> none
		l.offered = zero // ours again: the receiver's CAS would have failed
		return false
	}
	for w&offerState != offerTaken {
		// The receiver is between its CAS and its store: a few steps.
		runtime.Gosched()
		w = l.offer.Load()
	}
	l.offered = zero               // after the receiver's read: its store of taken happens before our load
	l.offer.Store(w &^ offerState) // taken -> none
	return true
}

// HasOffer reports whether the lane's sender offers an item: the receiver
// takes it once the ring is empty. An offer of a closed lane does not
// count; its sender withdraws it and fails with ErrClosed. Receiver only.
func (l *Lane[T]) HasOffer() bool {
	return l.offer.Load()&offerState == offerUp && !l.closed.Load()
}

// TakeOffer takes the item a blocked sender offers, if the ring is empty
// (see Offer) and the lane is open, and wakes the sender. Receiver only.
func (l *Lane[T]) TakeOffer() (v T, ok bool) {
	w := l.offer.Load()
	if w&offerState != offerUp || l.closed.Load() || !l.Ring.Consumer().Empty() {
		return v, false
	}
	if !l.offer.CompareAndSwap(w, w&^offerState|offerTaking) { // acquire: offered as the sender wrote it
		return v, false // withdrawn meanwhile
	}
	v = l.offered
	if l.offeredMoved {
		l.handedMoved.Add(1) // before handed: see counters
	}
	l.handed.Add(1) // before the store: counted as sent and received together (see counters)
	if l.recvDone != nil {
		// Before the store, so that a TrySend that saw this take
		// (OfferSettled) and then loads RecvDone for its next item sees
		// this Add: moved after the store, it could land after that load
		// and end the next TrySend's wait at once, before any receiver
		// looked at its offer (see sender's rendezvous; the model's
		// rv-select-send-live-k2 holds that no such turn repeats).
		l.recvDone.Add(1)
	}
	l.offer.Store(w&^offerState | offerTaken) // release: our read of offered is done
	l.SendPark.Wake()
	return v, true
}

// paddedLane is a lane made by Clone: it gets cache lines of its own, so
// that the parking and counting of one producer do not invalidate the
// lines another producer's lane or the State are read from (fan-in).
type paddedLane[T any] struct {
	_ cpu.CacheLinePad
	l Lane[T]
	_ cpu.CacheLinePad
}

// Owners are the owners of a new channel's two endpoints. A Fresh owner
// was created by New for the endpoint alone; the endpoint retires it when
// it closes, so that owners do not outlive their channels.
type Owners struct {
	Sender, Receiver           *ownership.Owner
	SenderFresh, ReceiverFresh bool
}

// New returns the shared state of a channel with its first lane, and the
// owners of the two endpoints. It panics with a "channel:" message if
// cfg.Capacity < 1.
func New[T any](cfg Config) (st *State[T], first *Lane[T], owners Owners) {
	if cfg.Capacity < 0 {
		panic("channel: negative capacity")
	}
	st = &State[T]{
		RejectUnowned: cfg.RejectUnowned,
		Rendezvous:    cfg.Capacity == 0,
	}
	st.header, st.HasHeader = locatorFor[T]()
	first = &st.first
	// Capacity 0: a ring no item enters (see Rendezvous). lanes stays nil
	// while the first lane is the only one (see Lanes).
	first.Ring = ringbuffer.New[T](max(cfg.Capacity, 1))
	first.recvDone = st.rendezvousDone()
	st.firstLanes[0] = first
	owners = Owners{Sender: cfg.SenderOwner, Receiver: cfg.ReceiverOwner}
	if st.HasHeader {
		if owners.Sender == nil {
			owners.Sender, owners.SenderFresh = ownership.NewOwner(), true
		}
		if owners.Receiver == nil {
			owners.Receiver, owners.ReceiverFresh = ownership.NewOwner(), true
		}
	}
	return st, first, owners
}

// newLane makes the lane of a clone (see paddedLane), with a ring of the
// first lane's size.
func (st *State[T]) newLane() *Lane[T] {
	p := new(paddedLane[T])
	p.l.Ring = ringbuffer.New[T](st.first.Ring.Cap())
	p.l.recvDone = st.rendezvousDone()
	return &p.l
}

// rendezvousDone is what a lane's recvDone points to: RecvDone on a
// rendezvous channel, nil on a buffered one, whose sends never wait for
// a taker.
func (st *State[T]) rendezvousDone() *atomic.Uint64 {
	if st.Rendezvous {
		return &st.RecvDone
	}
	return nil
}

// AddLane adds a lane for a new sender (Sender.Clone) of the sender whose
// lane is from. It fails with ErrClosed if that sender has closed or the
// receiver has disconnected.
func (st *State[T]) AddLane(from *Lane[T]) (*Lane[T], error) {
	l := st.newLane()
	st.mu.Lock()
	defer st.mu.Unlock()
	if from.closed.Load() || st.ReceiverClosed() {
		return nil, ErrClosed
	}
	old := st.Lanes()
	lanes := make([]*Lane[T], len(old), len(old)+1)
	copy(lanes, old)
	lanes = append(lanes, l)
	if st.shared.Load() != nil {
		claimLane(l) // several receivers: the new lane's claim (receivers.go)
	}
	st.lanes.Store(&lanes) // release: the new lane is complete before the receiver can see it
	return l, nil
}

// RemoveLane drops a closed and drained lane from the receiver's scan and
// folds its counters into the channel's totals. Receiver only: it is the
// consumer, so a lane it saw drained stays drained.
func (st *State[T]) RemoveLane(l *Lane[T]) {
	st.mu.Lock()
	defer st.mu.Unlock()
	old := st.Lanes()
	i := slices.Index(old, l)
	if i < 0 {
		return
	}
	lanes := make([]*Lane[T], 0, len(old)-1)
	lanes = append(lanes, old[:i]...)
	lanes = append(lanes, old[i+1:]...)
	a := st.setAside()
	addLane(&a.retired, l.counters(st.HasHeader))
	a.retired.Lanes++
	st.lanes.Store(&lanes)
}

// Lanes returns the current lanes. The slice must not be modified.
//
// Until the first Clone or lane removal, lanes is nil and the lanes are
// the first lane alone, whose slice is built from firstLanes here: the
// State keeps no slice header of its own for it (24 bytes less for every
// channel made). A stored slice is never modified afterwards; a change
// stores a new one (release), so a reader's load (acquire) sees a
// complete slice with complete lanes. Receivers call this on every
// receive rather than cache the slice: one more load, from a line only
// clones write, and 32 bytes less in every Receiver.
func (st *State[T]) Lanes() []*Lane[T] {
	if p := st.lanes.Load(); p != nil {
		return *p
	}
	return st.firstLanes[:]
}

// Capacity returns the capacity of each lane: 0 for a rendezvous channel
// (whose rings have one slot that stays empty). It is not kept apart: the
// first lane's ring knows it.
func (st *State[T]) Capacity() int {
	if st.Rendezvous {
		return 0
	}
	return st.first.Ring.Cap()
}

// Header returns v's ownership header, or nil if v has none (a nil
// pointer, or a nil embedded pointer on the way to its header). Only valid
// when st.HasHeader is true.
func (st *State[T]) Header(v T) *ownership.Header { return st.header.Header(v) }

// CloseLane closes one sender's lane: any goroutine may call it. It reports
// whether this call closed it.
func (st *State[T]) CloseLane(l *Lane[T]) bool {
	st.mu.Lock()
	if l.closed.Load() {
		st.mu.Unlock()
		return false
	}
	l.closed.Store(true)
	l.Ring.Close() // no publish can land after this (see the invariants)
	st.mu.Unlock()
	st.RecvPark.Wake()
	l.SendPark.Wake() // a Send blocked on this full lane fails with ErrClosed
	return true
}

// disconnectLocked disconnects the receiving side (the close of the last
// open receiver, CloseOneReceiver): the caller holds mu and has checked
// that the receiver is not closed. Every lane is marked closed, so no send
// succeeds from then on; the values still buffered are cleared by
// DiscardQueued. It returns the lanes whose waiters wakeDisconnected must
// wake, once mu is released.
func (st *State[T]) disconnectLocked() []*Lane[T] {
	st.receiver.Store(recvClosing) // before the marks: see ReceiverClosing
	lanes := st.Lanes()
	for _, l := range lanes {
		l.Ring.Close()
	}
	st.receiver.Store(recvClosed) // after the marks: see the invariants
	if st.aside != nil && st.aside.cancelDisconnect != nil {
		st.aside.cancelDisconnect() // a receive waiting for a steal gives up
	}
	return lanes
}

// wakeDisconnected wakes whoever waits on a channel that has just
// disconnected: the receiver, and every lane's blocked sender (which then
// fails with ErrClosed).
func (st *State[T]) wakeDisconnected(lanes []*Lane[T]) {
	st.RecvPark.Wake()
	for _, l := range lanes {
		l.SendPark.Wake()
	}
}

// Disconnected returns a context that is done once the receiver has
// disconnected, for waits of the receiver's goroutine that the channel's
// Parker does not cover (a steal on the receive path).
func (st *State[T]) Disconnected() context.Context {
	st.mu.Lock()
	defer st.mu.Unlock()
	a := st.setAside()
	if a.disconnect == nil {
		a.disconnect, a.cancelDisconnect = context.WithCancel(context.Background())
		if st.ReceiverClosed() {
			a.cancelDisconnect()
		}
	}
	return a.disconnect
}

// DiscardQueued clears, in place, the values still buffered after the
// receiver disconnected, so that the rings keep nothing reachable; their
// slots stay taken (Consumer.ClearQueued). Receiver only, after
// ReceiverClosed reported true.
func (st *State[T]) DiscardQueued() {
	for _, l := range st.Lanes() {
		l.Ring.Consumer().ClearQueued()
	}
}

// SenderClosed reports whether the lane's sender has closed it (the
// ring's Closed also reports a receiver's disconnect).
func (l *Lane[T]) SenderClosed() bool { return l.closed.Load() }

// LanesClosed reports whether every lane's ring is marked closed: no push
// can succeed any more, in any lane. This is the moment the senders see
// (a send fails at its lane's mark), so a receiver that asks whether the
// channel is closed asks this. (It used to read a count of open senders
// that CloseLane decremented after the mark: a receive in between
// reported ErrEmpty after a send had failed with ErrClosed, which the
// linearizability test with a third goroutine closing found.)
//
// The lanes are loaded again after the marks. A lane is added only by an
// open sender's Clone, under st.mu and before that sender's mark
// (CloseLane takes st.mu too), so a receiver that saw the marks of every
// lane of a slice that lacks the new lane loads, afterwards, a different
// slice pointer: then it checks the new slice. A new slice may also come
// from a receiver removing a closed, drained lane; answering "open" then
// would report ErrEmpty after every sender had closed (the two-sender
// linearizability test found that). Once every lane is marked no lane can
// be added, so the loop ends after the removals that are under way. It
// stops at the first open lane, one load in the common case.
func (st *State[T]) LanesClosed() bool {
	p := st.lanes.Load()
	for {
		lanes := st.firstLanes[:]
		if p != nil {
			lanes = *p
		}
		for _, l := range lanes {
			if !l.Ring.Closed() {
				return false
			}
		}
		q := st.lanes.Load()
		if q == p {
			return true
		}
		p = q
	}
}

// ReceiverClosed reports whether the receiver has disconnected.
func (st *State[T]) ReceiverClosed() bool { return st.receiver.Load() == recvClosed }

// The values of State.receiver.
const (
	recvOpen uint32 = iota
	recvClosing
	recvClosed
)

// ReceiverClosing reports whether a disconnect has begun: disconnectLocked
// sets it, under mu, before it marks the lanes' rings, and ReceiverClosed
// after them. A send fails from the moment its lane is marked, so a
// receive that starts after some send has failed that way must report the
// channel closed too, not an empty channel or a buffered item (the
// disconnect linearizes at the marks): every receive checks this first,
// and once it is set waits for the disconnect to finish (AwaitClosed)
// before it looks at anything else. One load when it is not set.
func (st *State[T]) ReceiverClosing() bool { return st.receiver.Load() != recvOpen }

// AwaitClosed waits until a disconnect that ReceiverClosing reported is
// complete: both flags are set in one critical section of mu, so once
// the caller holds mu after seeing the first, the second is set. A few
// steps of the closer's (it marks one word per lane), never an unbounded
// wait.
func (st *State[T]) AwaitClosed() {
	if st.ReceiverClosed() {
		return // finished already: no lock to take
	}
	st.mu.Lock()
	//lint:ignore SA2001 an empty critical section is the point: it waits for the closer's
	st.mu.Unlock()
}

// Len returns the number of items buffered in all lanes: 0 once the
// receiver has disconnected, since what the rings still count then is
// discarded.
func (st *State[T]) Len() int {
	if st.ReceiverClosed() {
		return 0
	}
	n := 0
	for _, l := range st.Lanes() {
		n += l.Ring.Len()
	}
	return n
}

// Header is ownership.Header, named here so the endpoint packages need no
// second import for it.
type Header = ownership.Header
