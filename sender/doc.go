// Package sender provides Sender, the producing endpoint of a handoff
// channel. Senders are created by channel.Make; see package channel for
// the channel as a whole.
//
// A Sender is used by one goroutine at a time (it is the single producer
// of a wait-free ring, its lane). Handing it to another goroutine needs a
// happens-before edge of the caller's own, as with any plain value;
// concurrent use is caught under the race detector with a clear panic.
// Another producer takes a Clone, which has a lane of its own. Close may
// be called from any goroutine: a Send blocked on the full lane then
// fails with handoff.ErrClosed.
//
// When the element type carries an ownership header (a pointer to a struct
// embedding ownership.Header), a successful send rewrites the object's
// owner from the sender's owner to the receiver's owner before the item is
// published: after Send returns nil, the sender's ownership checks on the
// object fail with ownership.ErrNotOwner. On every error nothing is
// enqueued and ownership stays where it was.
package sender
