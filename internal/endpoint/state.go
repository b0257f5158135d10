package endpoint

import (
	"reflect"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/handoff-go/handoff/ownership"
	"github.com/handoff-go/handoff/ringbuffer"
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
// Invariants:
//   - Each sender has a lane of its own (a ring it alone produces into);
//     the receiver is the consumer of every lane. Lanes are only ever
//     added: lanes is replaced, under mu, by a longer copy (copy on
//     write), and the receiver reads it with one atomic load.
//   - openSenders counts the lanes whose sender has not closed. A lane is
//     added only by an open sender (Clone), so openSenders never rises
//     from 0: once the receiver reads 0, no lane and no item will ever be
//     added. Each sender decrements it after its last publish, and Go's
//     atomics are sequentially consistent, so a receiver that reads 0 and
//     then finds every lane empty has seen every item (nothing is lost).
//   - receiverClosed only goes from false to true. Once it is set the
//     receiver takes no more items for its user: whatever is buffered, or
//     pushed by a send that passed its closed check just before, is
//     discarded and counted (Snapshot.Discarded). Such a send is
//     linearized before the close, and the close empties the channel.
//     The close clears the discarded values but never frees their slots
//     (Ring.ClearQueued), so a send that found the channel full before the
//     close cannot find room after it.
type State[T any] struct {
	lanes atomic.Pointer[[]*Lane[T]]
	mu    sync.Mutex // serialises AddLane

	openSenders    atomic.Int64
	receiverClosed atomic.Bool
	// deliveredAtClose is how many items the receiver had taken when it
	// disconnected; written once, before receiverClosed is set.
	deliveredAtClose atomic.Uint64

	// RecvPark is where the receiver sleeps while every lane is empty;
	// every sender wakes it after a publish and on close.
	RecvPark Parker

	// Transfer is true when T carries an ownership header, decided once by
	// New: only then does a send rewrite ownership.
	Transfer      bool
	RejectUnowned bool
	capacity      int
	// headerOffset is where the ownership header sits inside the struct a
	// T points to, when OwnershipHeader returns the address of one of the
	// struct's own fields (as embedding ownership.Header does); then
	// Header needs no interface conversion. headerAtOffset is false when
	// the method returns some other address, and Header falls back to
	// calling it.
	headerOffset   uintptr
	headerAtOffset bool

	ReceiverStats Stats
}

// Lane is one sender's ring and the state that goes with it.
type Lane[T any] struct {
	Ring *ringbuffer.Ring[T]
	// SendPark is where the lane's sender sleeps on a full ring; the
	// receiver wakes it after taking items from the lane, and on close.
	SendPark Parker
	closed   atomic.Bool // the lane's sender closed
	Stats    Stats       // the lane's sender's counters
}

// Owners are the owners of a new channel's two endpoints. A Fresh owner
// was created by New for the endpoint alone; the endpoint closes it when
// it closes, so that owners do not outlive their channels (a live owner
// stays in the registry, and every Thaw waits for it).
type Owners struct {
	Sender, Receiver           *ownership.Owner
	SenderFresh, ReceiverFresh bool
}

// New returns the shared state of a channel with its first lane, and the
// owners of the two endpoints. It panics with a "channel:" message if
// cfg.Capacity < 1.
func New[T any](cfg Config) (st *State[T], first *Lane[T], owners Owners) {
	if cfg.Capacity < 1 {
		panic("channel: capacity must be at least 1 (there is no unbuffered form; use capacity 1)")
	}
	st = &State[T]{
		Transfer:      CarriesHeader[T](),
		RejectUnowned: cfg.RejectUnowned,
		capacity:      cfg.Capacity,
	}
	st.RecvPark.Init()
	if st.Transfer {
		st.headerOffset, st.headerAtOffset = headerOffsetOf[T]()
	}
	first = st.newLane()
	st.lanes.Store(&[]*Lane[T]{first})
	st.openSenders.Store(1)
	owners = Owners{Sender: cfg.SenderOwner, Receiver: cfg.ReceiverOwner}
	if st.Transfer {
		if owners.Sender == nil {
			owners.Sender, owners.SenderFresh = ownership.NewOwner(), true
		}
		if owners.Receiver == nil {
			owners.Receiver, owners.ReceiverFresh = ownership.NewOwner(), true
		}
	}
	return st, first, owners
}

func (st *State[T]) newLane() *Lane[T] {
	l := &Lane[T]{Ring: ringbuffer.New[T](st.capacity)}
	l.SendPark.Init()
	return l
}

// AddLane adds a lane for a new sender (Sender.Clone). from is the lane of
// the sender being cloned; it must be open, which keeps openSenders above
// zero for the whole call.
func (st *State[T]) AddLane(from *Lane[T]) (*Lane[T], error) {
	if from.closed.Load() || st.receiverClosed.Load() {
		return nil, ErrClosed
	}
	l := st.newLane()
	st.mu.Lock()
	old := *st.lanes.Load()
	lanes := make([]*Lane[T], len(old), len(old)+1)
	copy(lanes, old)
	lanes = append(lanes, l)
	st.openSenders.Add(1)
	st.lanes.Store(&lanes) // release: the new lane is complete before the receiver can see it
	st.mu.Unlock()
	return l, nil
}

// Lanes returns the current lanes. The slice must not be modified.
func (st *State[T]) Lanes() []*Lane[T] { return *st.lanes.Load() }

// Capacity returns the capacity of each lane.
func (st *State[T]) Capacity() int { return st.capacity }

// CarriesHeader reports whether values of T carry an ownership header: T is
// a pointer type that implements ownership.Object. Value types are never
// treated as owned, because copying a header would copy its ownership.
func CarriesHeader[T any]() bool {
	t := reflect.TypeFor[T]()
	return t.Kind() == reflect.Pointer && t.Implements(reflect.TypeFor[ownership.Object]())
}

// Header returns v's ownership header, or nil if v is a nil pointer. Only
// valid when st.Transfer is true (T is a pointer type).
func (st *State[T]) Header(v T) *ownership.Header {
	p := *(*unsafe.Pointer)(unsafe.Pointer(&v)) // T is a pointer type: v is one word
	if p == nil {
		return nil
	}
	if st.headerAtOffset {
		return (*ownership.Header)(unsafe.Add(p, st.headerOffset))
	}
	return any(v).(ownership.Object).OwnershipHeader()
}

// headerOffsetOf finds the offset of the header inside the struct a T
// points to, by calling OwnershipHeader once on a fresh zero value. It
// reports false if T does not point to a struct or the header the method
// returns is not inside it.
func headerOffsetOf[T any]() (uintptr, bool) {
	elem := reflect.TypeFor[T]().Elem()
	if elem.Kind() != reflect.Struct {
		return 0, false
	}
	p := reflect.New(elem)
	h := p.Interface().(ownership.Object).OwnershipHeader()
	base, addr := p.Pointer(), uintptr(unsafe.Pointer(h))
	if addr < base || addr+unsafe.Sizeof(ownership.Header{}) > base+elem.Size() {
		return 0, false
	}
	return addr - base, true
}

// CloseLane closes one sender's lane and wakes the receiver. It reports
// whether this call closed it.
func (st *State[T]) CloseLane(l *Lane[T]) bool {
	if l.closed.Swap(true) {
		return false
	}
	st.openSenders.Add(-1) // after the lane's last publish: see the invariants
	st.RecvPark.Wake()
	l.SendPark.Wake() // a Send blocked on this full lane fails with ErrClosed
	return true
}

// CloseReceiver marks the receiving side closed (disconnected), discards
// the buffered items (their values are cleared, so the rings keep nothing
// reachable) and wakes every sender waiting on a full lane. It reports whether this call closed it.
// Only the receiver's goroutine may call it: it is the rings' consumer.
func (st *State[T]) CloseReceiver() bool {
	if st.receiverClosed.Load() {
		return false
	}
	var delivered uint64
	for _, l := range st.Lanes() {
		delivered += l.Ring.Popped()
	}
	st.deliveredAtClose.Store(delivered)
	st.receiverClosed.Store(true) // release: deliveredAtClose is set for whoever sees true
	for _, l := range st.Lanes() {
		// Drop the discarded items' values, but keep their slots taken:
		// popping them would make room that a send which passed its closed
		// check just before the store above could fill, and a send that
		// found the channel full must not succeed after the close
		// (caught by the linearizability test).
		l.Ring.ClearQueued()
		l.SendPark.Wake()
	}
	return true
}

// LaneClosed reports whether the lane's sender has closed it.
func (l *Lane[T]) LaneClosed() bool { return l.closed.Load() }

// SendersClosed reports whether every sender has closed.
func (st *State[T]) SendersClosed() bool { return st.openSenders.Load() == 0 }

// ReceiverClosed reports whether the receiver has disconnected.
func (st *State[T]) ReceiverClosed() bool { return st.receiverClosed.Load() }

// Len returns the number of items buffered in all lanes: 0 once the
// receiver has disconnected, since what the rings still count then is
// discarded (see CloseReceiver).
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

// LanesPtr returns the current lanes slice pointer, for receivers that
// cache the slice and compare the pointer to notice added lanes.
func (st *State[T]) LanesPtr() *[]*Lane[T] { return st.lanes.Load() }
