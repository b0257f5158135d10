// Package receiver provides Receiver, the consuming endpoint of a handoff
// channel. Receivers are created by channel.Make; see package channel for
// the channel as a whole.
//
// A Receiver is used by one goroutine at a time (it is the single
// consumer of a wait-free ring). Recv has the shape of Go's
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
