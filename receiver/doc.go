// Package receiver provides Receiver, the consuming endpoint of a handoff
// channel. Receivers are created by channel.Make; see package channel for
// the channel as a whole.
//
// A Receiver is used by one goroutine at a time (it is the single
// consumer of a wait-free ring). More consumers take Clones, one each: a
// pool of workers on one channel. Once a receiver has been cloned, the
// receivers of the channel claim each lane in turn under a lock among
// themselves (the senders never take it): each item goes to exactly one
// receiver, and each sender's items are popped in send order (see package
// channel, Many receivers, for the claim and its happens-before edges).
// Recv has the shape of Go's
// `v, ok := <-ch`; All ranges over the channel until it is closed and
// drained. Objects that carry an ownership header arrive already owned by
// the receiver's owner: the sender rewrote their header before publishing
// them, so the receiver never steals. If the receiver's owner passed a
// preemption point with a steal pending while an object waited in the
// buffer (its epoch moved on, so the object went stale), the receive takes
// it back with one CAS before it returns: every object a receive returns
// is owned by the receiver's owner, unless a thief that held a pointer to
// it marked or took it while it was buffered.
package receiver
