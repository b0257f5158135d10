// Package receiver provides Receiver, the consuming endpoint of a handoff
// channel. Receivers are created by channel.Make; see package channel for
// the channel as a whole.
//
// A Receiver is used by one goroutine at a time (it is the single
// consumer of a wait-free ring). Recv has the shape of Go's
// `v, ok := <-ch`; All ranges over the channel until it is closed and
// drained. Objects that carry an ownership header arrive already owned by
// the receiver's owner: the sender rewrote their header before publishing
// them, so the receiver never steals. One exception is benign: if a thief
// made the receiver's owner bump its epoch between the sender's rewrite and
// the receive (possible only while the receiver is parked), the object
// arrives stale; rx.Owner().Claim takes it back with one CAS, as after any
// other bump.
package receiver
