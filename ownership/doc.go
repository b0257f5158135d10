// Package ownership gives objects an owner and an epoch, so that the goroutine
// that owns an object touches it with no locks, a channel hands it over by
// rewriting its owner, and a goroutine that needs an object it does not own
// can steal it safely at the owner's next preemption point.
//
// # Owners and objects
//
// An Owner is the seed's "thread": it is used by one goroutine at a time, has
// a never-reused id and an epoch. An object embeds a Header: one atomic word
// holding (owner id, owner epoch). An object is in one of five states:
//
//   - Free: zero word, or its owner is closed. Adopt or Claim takes it.
//   - Owned: the word names an owner at its current epoch. Only that owner may
//     touch the object's plain fields. Owner.Owns checks it with one atomic
//     load and a compare.
//   - Stale: the word names an owner at an epoch it has left (it passed a
//     preemption point with a steal pending). Nobody owns it; anyone, the old
//     owner included, takes it back with one CAS (Claim).
//   - Stealing: a thief has marked it and waits for the owner's next
//     preemption point. A second thief gets (false, nil) from TrySteal.
//   - Frozen: read-only for every owner (CanRead); Thaw makes it exclusive
//     again.
//
// # The contract
//
// A check holds until the next preemption point. If o.Owns(h) (or Check,
// Borrow, CanRead) succeeds, o may use the object until o's next preemption
// point: Preempt, Park, a blocking channel operation, or a Steal, TrySteal,
// Thaw or StealShared call by o. A steal completes only after the victim
// passed a preemption point, so between two preemption points an owner may
// update several objects and no thief observes half of the update
// (consistency across several objects). After a preemption point the owner
// must check again: its objects may have been stolen, or gone stale, in which
// case it re-claims them with Claim.
//
// A goroutine that blocks should Park first and Unpark after: a parked owner
// is at a safepoint, and a thief bumps its epoch on its behalf instead of
// waiting (cheap, like taking a free mutex).
//
// # Happens-before
//
// At every instant at most one owner may write an object, and each new
// owner's first access happens-after the previous owner's last one. The Go
// memory model gives that only through these atomics:
//
//   - Steal: victim's last plain access -> victim's ctl CAS (the epoch bump at
//     Preempt or Park, the Park CAS itself, or Close) -> the thief's ctl load or
//     CAS that observes the new epoch, the parked bit or the closed bit -> the
//     thief's store of (thief, epoch) into the header -> the thief's first
//     plain access.
//   - Claim of a stale object: the claimer loads the named owner's ctl and sees
//     the epoch moved (pairs with the bump) before its CAS on the header.
//   - Transfer: the sender's plain writes -> its CAS of the header to
//     (receiver, epoch) -> the receiver's load that observes it (Owns).
//   - Release/Adopt and Close: the freeing CAS (or the closing CAS on ctl) ->
//     the claimer's load that observes it -> its CAS.
//   - Freeze/Thaw: the freezer's writes -> Freeze CAS -> readers' CanRead load;
//     readers' reads -> their next epoch bump -> the thawer's ctl
//     observation -> its store -> its writes.
//
// # Limits
//
// Epochs are 32 bits and skip three reserved values: a header left stale while
// its owner is bumped exactly 2^32-3 times would look owned again (ABA). Owner
// ids are never reused; NewOwner panics after 2^32-2 owners. Thaw asks every
// live owner for a bump, so every live owner's objects go stale: thawing is
// expensive by design.
package ownership
