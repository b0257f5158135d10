// Package ownership gives objects an owner and an epoch, so that the goroutine
// that owns an object touches it with no locks, a channel hands it over by
// rewriting its owner, and a goroutine that needs an object it does not own
// can steal it safely at the owner's next preemption point.
//
// # Owners and objects
//
// An Owner is the seed's "thread": it is used by one goroutine at a time, and
// has an id (unique among open owners; see "Owner ids" below) and an epoch.
// An object embeds a Header: one atomic word holding (owner id, owner epoch).
// An object is in one of five states:
//
//   - Free: zero word, or its owner is closed. Adopt or Claim takes it.
//   - Owned: the word names an owner at its current epoch. Only that owner may
//     touch the object's plain fields. Owner.Owns checks it with one atomic
//     load and a compare.
//   - Stale: the word names an owner at an epoch it has left (it passed a
//     preemption point with a steal pending). Nobody owns it; anyone, the old
//     owner included, takes it back with one CAS (Claim, or TryClaim, which
//     allocates nothing when it fails).
//   - Stealing: a thief has marked it and waits for the owner's next
//     preemption point. A second thief gets (false, nil) from TrySteal.
//   - Frozen: read-only for every owner (CanRead); Thaw makes it exclusive
//     again. StealShared freezes only an object another live owner held;
//     one nobody else can be reading (the caller's, free, a closed owner's)
//     it takes exclusively, so writing it needs no Thaw.
//
// # The contract
//
// A check holds until the next preemption point. If o.Owns(h) (or Check,
// Claim, TryClaim, Borrow, CanRead) succeeds, o may use the object until o's
// next preemption point. A steal completes only after the victim passed a
// preemption point, so between two preemption points an owner may update
// several objects and no thief observes half of the update (consistency
// across several objects). After a preemption point the owner must check
// again: its objects may have been stolen, or gone stale, in which case it
// re-claims them with Claim or TryClaim.
//
// # Several objects at once
//
// StealMany takes a set of objects with one handshake per victim: it marks
// every header in one global order (by address, so two callers with
// overlapping sets cannot deadlock), asks each victim for one preemption
// point, waits for all of them at once, then publishes every object, or, if
// ctx ends, rolls every one back (all or nothing). A loop of Steal calls
// waits for one preemption point per object instead, and a victim's update
// of several objects may be split between two thieves. With(ctx, o, hs, fn)
// is a critical section built on it: StealMany on entry, Preempt on exit;
// an inner With (given the context fn receives) steals the union of its
// headers and the enclosing ones and leaves the preemption point to the
// outermost.
//
// # Object graphs
//
// A Region is one Header for a graph of objects: each node embeds a
// *Region instead of a Header, so &n.Header is the region's, and moving,
// freezing, stealing or re-claiming the whole graph is one operation on one
// word, while o.Owns(&n.Header) still checks any node (one more load: the
// region pointer). A region is a header: the protocol, its states and its
// happens-before edges are those above, unchanged. A channel send of a node
// moves its whole region. Region's documentation gives the rules (a node
// belongs to the region its pointer names; its pointer is not rewritten
// while others may read the node) and the cost.
//
// # Preemption points
//
// These calls, made by o's goroutine, are o's preemption points; nothing
// else is:
//
//   - o.Preempt().
//   - o.Park(): the whole parked region, up to and including o.Unpark().
//   - o.Steal, o.TrySteal and o.Thaw; o.StealShared unless the object is
//     already frozen; o.StealMany unless o already owns every object; With's
//     entry (its StealMany) and the outermost With's exit (they park o while
//     they wait).
//   - o.Close().
//   - o.HandOver, only when it finds a steal of the object in progress
//     between its check and its Transfer (it then calls Preempt).
//   - In package channel, every call that may block (it parks the
//     endpoint's owner while it waits).
//
// Owns, Check, CanRead, Claim, TryClaim, Adopt, Release, Transfer, Recall,
// Freeze, the Cell methods, RequestRelease, Retire and the read-only
// accessors are not: they never wait and never answer a request. So a loop that makes only non-blocking
// calls (channel TrySend/TryRecv, Claim, ...) must call Preempt every so
// often, at a point where it holds no check result it still needs, or park
// around its blocking calls; otherwise every thief of its objects, every
// Thaw in the process and every Retire of its owner waits for it until their
// contexts end (Preempt with nothing asked is one atomic load).
//
// A goroutine that blocks should Park first and Unpark after: a parked owner
// is at a safepoint, a thief bumps its epoch on its behalf instead of waiting
// (cheap, like taking a free mutex), a Thaw does not wait for it, and a
// Retire closes it at once.
//
// # Closing owners
//
// Close, by o's goroutine, closes o at once: its objects become free, its id
// returns to the pool. Retire, from any goroutine, closes o at o's next
// preemption point: at once, on o's behalf, if o is parked; otherwise o's
// goroutine closes o at its next Preempt, Park or waiting call. Until then o
// is live and keeps its objects, so no other owner can take an object o's
// goroutine may still be writing. A closed owner owns, reads and takes
// nothing: its checks fail, and Claim, Adopt, Steal and Thaw by it fail with
// ErrOwnerClosed, so a goroutine that learns of the close late does no harm.
//
// An Owner that becomes unreachable is closed by the GC (runtime.AddCleanup;
// the registry holds it only through a weak pointer), so a forgotten Close
// leaks nothing and holds up no steal or thaw for longer than it takes the
// GC to find it. The rule that comes with it: keep an Owner reachable while
// you use objects it owns (if the last use of the Owner in a function comes
// before the last use of such an object, add runtime.KeepAlive(o) after
// it). Close explicitly when you can: it is immediate, and a Thaw or a
// steal waits for an unreachable owner until the next GC cycle.
//
// # Owner ids
//
// Ids are 32 bits, never 0, and recycled: an id returns to the pool when its
// owner is closed by Close, or when an owner closed by Retire (or by the GC)
// has been collected, and the next NewOwner may get it. A recycled id
// continues the epoch sequence of its previous life, so a header left behind
// by an earlier owner with the same id reads as free (or stale) to the new
// one, never as owned (ABA argument in ids.go). NewOwner panics only while
// 2^32-2 owners are open at once. Lookup(id) finds the owner that has the id
// now.
//
// # Thaw
//
// Thaw waits only for owners that may be reading the object: it marks the
// object (no new reader gets in), then asks each open, unparked owner for
// one preemption point, which that owner answers without bumping its epoch:
// no owner's objects go stale because of a Thaw. Parked and closed owners,
// and owners created after the mark, need no wait.
//
// # Happens-before
//
// At every instant at most one owner may write an object, and each new
// owner's first access happens-after the previous owner's last one. The Go
// memory model gives that only through these atomics:
//
//   - Steal: victim's last plain access -> victim's ctl CAS (the epoch bump at
//     Preempt or Park, the Park CAS itself, or a close) -> the thief's ctl load
//     or CAS that observes the new epoch, the parked bit or the closed bit ->
//     the thief's store of (thief, epoch) into the header -> the thief's first
//     plain access.
//   - Claim of a stale object: the claimer loads the named owner's ctl and sees
//     the epoch moved (pairs with the bump) before its CAS on the header.
//   - Transfer: the sender's plain writes -> its CAS of the header to
//     (receiver, epoch) -> the receiver's load that observes it (Owns).
//   - Release/Adopt and Close: the freeing CAS (or the closing CAS on ctl) ->
//     the claimer's load that observes it -> its CAS.
//   - Retire: o's goroutine's last access -> its Park CAS -> Retire's closing
//     CAS on o's behalf -> a claimer's load that sees closed; or o's last
//     access -> its own closing CAS at its next preemption point -> the same.
//     o's goroutine sees a close done on its behalf at Unpark, before it
//     touches anything again.
//   - Freeze/Thaw: the freezer's writes -> Freeze CAS -> readers' CanRead load;
//     readers' reads -> their next preemption point's CAS on their ctl (the
//     safepoint answer, a bump, Park, a close) -> the thawer's ctl
//     observation -> its store -> its writes.
//
// The protocol (Steal, Preempt, Park/Unpark, Freeze/Thaw, Retire, Close) is
// model-checked with SPIN in ownership/model, and StealMany (two objects,
// two thieves) in ownership/model/stealmany.pml.
//
// # Limits
//
// Epochs are 32 bits and skip three reserved values: a header left stale
// while its id's owners are bumped exactly 2^32-3 times in all would look
// owned again (ABA). A thaw scans the registry (its cost grows with the
// number of open owners, about 17 ns each, parked or not) and waits for
// every open, unparked owner's next preemption point.
package ownership
