// Package channel makes handoff channels: a Sender and a Receiver over a
// wait-free single-producer single-consumer ring (one more ring per extra
// producer, see Sender.Clone; more consumers take Receiver.Clone), with
// Go-channel semantics and ownership transfer. A Selector waits on several
// receives and sends at once, like a Go select (On, SendTo).
//
//	tx, rx := channel.Make[*Buf](64)       // like make(chan *Buf, 64)
//	go func() { tx.Send(b); tx.Close() }() // like ch <- b; close(ch)
//	for b := range rx.All() { ... }        // like for b := range ch
//
// # Ownership
//
// When the element type is a pointer to a struct that embeds
// ownership.Header, every endpoint belongs to an ownership.Owner (given
// with WithSenderOwner / WithReceiverOwner, or a fresh one per side), and
// Send rewrites the object's header from the sender's owner to the
// receiver's owner with one CAS before the item is published. The
// receiver finds the object already its own; the sender's later checks on
// it fail with ownership.ErrNotOwner, so a use-after-send is a clear error
// instead of a data race. Types without a header are copied, as a Go
// channel copies them, at no extra cost: the choice is made once, by Make.
//
// An object the sender's owner does not own takes the fallback path: free
// or stale objects are claimed with one CAS and transferred; an object
// another live owner holds is sent as it is, its holder is asked to give
// it up at its next preemption point, and the receive takes it (one CAS
// once the holder has passed that point, else a steal that waits for it,
// bounded by the receive's context). So a send never waits for another
// goroutine, and the plain forwarding stage works with default owners:
//
//	for v := range rx1.All() { tx2.Send(v) } // the stage's next receive releases v
//
// Every object a receive returns is owned by the receiver's owner. A
// receive whose context ends before its steal completes keeps the item,
// and the next receive returns it first: nothing is lost, order is kept.
// With RejectUnowned, such a send fails instead. A goroutine that hands
// on objects it received and then stops receiving passes a preemption
// point of its receiving owner after its last send (rx.Owner().Preempt(),
// or closing that owner), or the downstream receive waits for it.
//
// Ownership moves at Send, not at Recv: an object waiting in the buffer
// already belongs to the receiving side. So a stale pointer kept by a
// stage of a recycling loop is caught until the object comes back to
// that stage's owner through the loop, not forever: the check guards the
// hand-over, it does not track pointers.
//
// Owners that Make creates are retired by the endpoint's Close (at the
// endpoint goroutine's next preemption point; see Sender.Close), and by
// the garbage collector once nothing can reach them. Owners you pass in are
// yours to close, after the last goroutine that could send objects to them
// is done (a send to a closed owner fails with ownership.ErrOwnerClosed, or
// handoff.ErrClosed if its receiver disconnected).
//
// The errors (handoff.ErrClosed, ErrFull, ErrEmpty) and the Stats counters
// are declared in package handoff, the module's root.
//
// # Lifecycle
//
// A channel is open until every sender has closed (Sender.Close); the
// receiver then receives what is still buffered and, once it is drained,
// reports the channel closed (Recv's ok is false, ErrClosed). The receiver
// may also close (Receiver.Close): a disconnect, after which every send
// fails with ErrClosed and what was buffered is discarded.
//
// Either Close may be called from any goroutine, also while other
// goroutines send or receive: a send racing a close either completes
// before it, and its item is received, or fails with ErrClosed having
// enqueued nothing and moved no ownership. Nothing accepted is lost, and
// every goroutine blocked on the channel wakes when a close concerns it.
// A sender that closes leaves the receiver's scan once its lane is
// drained, so a long-lived channel with a Clone and a Close per request
// keeps only its live lanes.
//
// # Several senders
//
// Each Sender.Clone has a lane of its own, a ring that only it fills, so
// producers never contend. A receiver takes up to 32 items in a row from
// the lane it found one in, then looks at the lanes after it, in order:
// while a lane holds items, each other lane delivers at most 32 items
// before it does (a RecvBatch sweeps the lanes once, in the same order,
// so there each other lane delivers at most len(dst) items). No sender
// starves. The runs are
// what makes fan-in fast: a receiver that moved to the next lane after
// every item would pull every lane's lines across the cores on nearly
// every item (fan-in from 4 producers on 2 cores took twice as long).
//
// Each receive behaves as if it happened at one instant of its call, as
// with a Go channel, with one difference: a batch takes each lane's items
// at an instant of its own (one index publish per lane), so the items a
// batch got from two lanes need not have been buffered together. ErrEmpty
// means that at one instant during the call every lane was empty and some
// sender open; ErrClosed, that every sender had closed and nothing was
// left. The linearizability tests check these promises against a model of
// one FIFO queue per sender, with one and with two receivers.
//
// # Many receivers
//
// Receiver.Clone gives another goroutine a receiver of its own on the
// same channel, for a pool of workers reading one jobs channel. Every item
// goes to exactly one receiver; the items of one sender are received in
// send order by the receivers taken together; the channel is disconnected
// once every receiver has closed (senders then fail with ErrClosed),
// while a receiver that closes before the others only stops receiving.
//
// How an item is claimed by one receiver: a channel starts with one
// receiver, the single consumer of every lane, which takes no lock. The
// first Clone, made by the goroutine that holds that receiver, switches
// the channel for good: from then on every receiver locks a lane's
// claim (a mutex per lane, among the receivers; the senders never take
// it) around each pop, batch pop and emptiness check of that lane, and
// reads a slot only while it holds the claim, so no receiver reads a slot
// its producer may refill. A receiver that finds a lane's claim taken
// tries the next lane first, so the receivers of a channel with several
// senders mostly work on different lanes (each serves them as a single
// receiver does: see Several senders). The edges, per lane: the
// producer's slot write and its tail CAS (release) come before the
// popping receiver's tail load (acquire); one receiver's Unlock comes
// before the next one's Lock, which hands on the ring's consumer-side
// fields; a receiver's slot zeroing and head store (release) come before
// the producer's head load (acquire). A batch takes one lock per lane, so
// RecvBatch amortises it. The switch is safe because it is
// made in Clone, by the only goroutine that consumes until then, before
// the clone exists for anyone else (handing it to another goroutine needs
// a happens-before edge, which comes after the switch). A channel that is
// never cloned pays one predictable branch per receive.
//
// Waiting: senders wake one parking spot; among several receivers, the
// one that waits there holds a door (a one-slot semaphore) and the others
// wait for the door, re-checking once they get it, so a send wakes one
// receiver and no wake-up is lost.
//
// Ownership: from the first Clone on, a send hands an object to the
// channel's transit owner, which no goroutine uses (it is parked for
// good), and the receiver that pops it takes it with one CAS
// (ownership.Owner.Recall from the transit owner), with no steal and no
// wait: every object a receive returns is owned by that receiver's owner,
// and the sender's checks fail from the moment Send returns. Edges: the
// sender's writes, its Transfer CAS (release), the publish, the pop, the
// taking CAS (acquire). Objects sent before the first Clone were handed
// to the first receiver's owner; a clone that gets one takes it on the
// fallback path, at the first receiver's next preemption point (clone the
// receivers before sending, as a worker pool does, to avoid that wait: a
// first receiver whose goroutine has returned never passes that point).
// A receive that may not wait for that steal (TryRecv, TryRecvBatch, a
// Selector's poll), or whose context ends first, does not keep such an
// item: it goes to a pool the receivers share, which every receive of
// every receiver tries before the lanes (a receive that may not wait
// passes over what it cannot own yet; one that may wait waits there to
// own the oldest). So a receiver that closes while others are open takes
// nothing with it. The one exception to send order is here: a receive
// that may not wait can return an item that its sender sent after one
// still waiting in the pool; receives that wait keep the order. An item in that pool is still in the channel: the
// receives report the channel closed only once the pool is empty too,
// and a disconnect discards it with the buffered items.
// A receive that races with a Close of its own receiver from another
// goroutine, which retires the receiver's owner, returns its item with the
// object free, as every object of that owner then is.
//
// A Select with a receive case on a receiver that has clones takes that
// channel's door before it sleeps there, as any waiting receiver does, and
// passes it on when it wakes; while it waits for a door it stays announced
// on its other cases, so a case that becomes ready meanwhile wakes it.
//
// # Unbuffered channels
//
// Make(0) is a rendezvous, as make(chan T) is. No item enters a ring: a
// send puts its item up as an offer on its lane (the slot a blocked send
// of a buffered channel offers from), wakes the receiver and sleeps; the
// receive that finds the offer takes it with one CAS (acquire: the item
// as the sender wrote it) and wakes the sender, whose Withdraw (one CAS
// against the receiver's) tells it that the item went. So Send returns
// only after a receive has taken its item; a send that fails (context,
// close) withdraws it and gives back the ownership it moved (or leaves the
// object free, if a Close of its sender from another goroutine retired the
// sender's owner meanwhile). TrySend offers only to a receiver that is
// asleep in a receive, and waits (yielding) until that receiver has taken
// it or has ended its wait another way (a Select that chose another case,
// a context); TryRecv takes only an item a sender offers. A Selector's
// send case is TrySend, so a receiver that comes to wait wakes the senders
// asleep in a Select, which then look again. The SPIN model of these steps
// is internal/endpoint/model/rendezvous.pml.
//
// # Preemption points
//
// The blocking operations of an endpoint that has an owner (Send,
// SendBatch, Recv, RecvBatch and their Context forms) are preemption points
// of that owner: a steal or Thaw waiting for it proceeds, and the objects
// it owned may go stale (see package ownership). A batch receive passes
// none after it owns its first item: it ends before an item it would have
// to steal, which the next receive returns first. While an operation
// blocks, and while a Select sleeps, the owners are parked, so a thief
// does not wait for them at all. The non-blocking forms (TrySend, TryRecv,
// TrySelect) are not preemption points, as a non-blocking channel
// operation does not yield in Go: a goroutine that loops on them, or does
// other work for a long time between operations, calls Owner.Preempt now
// and then, or thieves and Thaw wait for it until their contexts end.
//
// # Where it differs from chan
//
//   - On an unbuffered channel (capacity 0), TrySend succeeds only if a
//     receiver is blocked in a receive and takes the item at once (the
//     sender yields for the few scheduling rounds that takes), and a
//     Select's send case is seen by a receiver that comes to wait later
//     only once the Select looks again (the receiver wakes it).
//   - Each endpoint is used by one goroutine at a time (caught under
//     -race); more producers take Clones of the Sender, and more
//     consumers Clones of the Receiver, one each. Close may come from any
//     goroutine.
//   - Send on a closed channel, and closing twice, return ErrClosed
//     instead of panicking.
//   - The receivers can close too (disconnect, once every receiver has
//     closed, as when crossbeam's last receiver is dropped): later sends
//     fail with ErrClosed, and what was still buffered is discarded and
//     counted in Stats().Discarded.
//   - Several producers each get a lane of their own (Sender.Clone)
//     instead of sharing one queue, served in runs of up to 32 items
//     (see Several senders), not in the order the items were sent
//     across senders.
//   - A send or receive that can complete without waiting does so even if
//     its context is already done (as a select with a ready case may).
//   - A Selector is built once and reused (no allocation per Select), and
//     chooses among ready cases round robin rather than at random: each
//     case that stays ready is chosen at least once in len(cases) Selects.
//   - RecvBatch may return fewer items than were buffered by the time it
//     returns (always at least one, the oldest, in order).
//   - Blocked operations may yield once (only while yields are cheap) and
//     then park; they never spin. A blocked send offers its item, and a
//     receive that empties the buffer takes it, as a chan receive takes a
//     blocked sender's item.
package channel
