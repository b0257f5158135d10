package ownership

import (
	"fmt"
	"sync/atomic"
)

// Header is the ownership word of an object: high 32 bits the owner id, low
// 32 bits the owner's epoch. Embed it in any struct; the zero value is free.
//
// Words:
//
//	(0, 0)                     free
//	(0, frozenEpoch)           frozen: read-only for every owner
//	(id, stealingEpoch)        steal (or thaw) in progress by owner id; only
//	                           that owner moves the word out of this state
//	(id, e)                    owned by id if e is id's current epoch and id
//	                           is not closed; otherwise stale (claimable),
//	                           or free if the life of id that wrote it is
//	                           closed (ids are recycled: ids.go)
//
// A Header must not be copied after first use.
type Header struct {
	word atomic.Uint64 // atomic.Uint64 carries a noCopy: go vet flags copies
}

// Object is anything that carries a Header. A struct that embeds Header
// implements it through the promoted OwnershipHeader method.
type Object interface {
	OwnershipHeader() *Header
}

// OwnershipHeader returns h; it makes every struct that embeds a Header an
// Object.
func (h *Header) OwnershipHeader() *Header { return h }

const (
	frozenEpoch   uint32 = 1
	stealingEpoch uint32 = 0xFFFFFFFF
	firstEpoch    uint32 = 2

	freeWord   uint64 = 0
	frozenWord uint64 = uint64(frozenEpoch)
	// noneWord is a value no header ever holds (id 0 is never a thief); a
	// closed owner's cur is set to it so that Owns reports false. No path
	// stores it into a header: every taking call checks for it first.
	noneWord uint64 = uint64(stealingEpoch)
)

func pack(id, epoch uint32) uint64  { return uint64(id)<<32 | uint64(epoch) }
func wordID(w uint64) uint32        { return uint32(w >> 32) }
func wordEpoch(w uint64) uint32     { return uint32(w) }
func stealingWord(id uint32) uint64 { return pack(id, stealingEpoch) }
func isStealingWord(w uint64) bool  { return wordEpoch(w) == stealingEpoch && wordID(w) != 0 }
func isOwnedShape(w uint64) bool    { return wordID(w) != 0 && wordEpoch(w) != stealingEpoch }
func reservedEpoch(e uint32) bool   { return e == 0 || e == frozenEpoch || e == stealingEpoch }

// nextEpoch returns the epoch after e, skipping the reserved values. After
// 2^32-3 bumps an id's epoch comes back to a value it had before: a header
// left stale for exactly that many bumps would look owned again (ABA). A
// recycled id continues its previous life's sequence (ids.go), so this
// counts the bumps of every owner that had the id since the header was
// written. At one bump per microsecond that takes more than an hour of an
// object lying untouched while its id's owners are stolen from continuously;
// the package accepts that limit rather than widen the word.
func nextEpoch(e uint32) uint32 {
	e++
	for reservedEpoch(e) {
		e++
	}
	return e
}

// Kind is the kind of state a header is in.
type Kind uint8

const (
	Free     Kind = iota // zero word, or its owner is closed (the life of its id that wrote it)
	Owned                // owned by Owner at its current Epoch
	Stale                // names Owner at an Epoch it has since left: claimable
	Stealing             // a steal or thaw by Owner is in progress
	Frozen               // read-only for every owner
)

func (k Kind) String() string {
	switch k {
	case Free:
		return "free"
	case Owned:
		return "owned"
	case Stale:
		return "stale"
	case Stealing:
		return "stealing"
	case Frozen:
		return "frozen"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// State is a snapshot of a header, for errors and debugging. It may be out of
// date as soon as it is returned.
type State struct {
	Kind      Kind
	Owner     uint32 // owner id named by the word (Owned, Stale, Stealing; Free if its owner closed)
	Epoch     uint32 // epoch named by the word (Owned, Stale)
	OwnerName string // that owner's name (NewNamedOwner), if it is live and has one
}

func (s State) String() string {
	switch s.Kind {
	case Free:
		if s.Owner != 0 {
			return fmt.Sprintf("free (owner %d closed)", s.Owner)
		}
		return "free"
	case Owned:
		return fmt.Sprintf("owned by owner %s (epoch %d)", label(s.Owner, s.OwnerName), s.Epoch)
	case Stale:
		return fmt.Sprintf("stale (owner %s left epoch %d)", label(s.Owner, s.OwnerName), s.Epoch)
	case Stealing:
		return fmt.Sprintf("being stolen by owner %s", label(s.Owner, s.OwnerName))
	case Frozen:
		return "frozen"
	}
	return s.Kind.String()
}

// State returns a snapshot of h's state. It consults the owner registry to
// tell owned from stale and closed.
func (h *Header) State() State {
	return stateOf(h.word.Load())
}

func stateOf(w uint64) State {
	switch {
	case w == freeWord:
		return State{Kind: Free}
	case w == frozenWord:
		return State{Kind: Frozen}
	case isStealingWord(w):
		st := State{Kind: Stealing, Owner: wordID(w)}
		if c := lookupCore(st.Owner); c != nil {
			st.OwnerName = c.name
		}
		return st
	case wordID(w) == 0:
		// (0, e) for any other e never occurs; report it raw.
		return State{Kind: Free, Epoch: wordEpoch(w)}
	}
	id, e := wordID(w), wordEpoch(w)
	o := lookupCore(id)
	if o == nil {
		return State{Kind: Free, Owner: id, Epoch: e}
	}
	c := o.ctl.Load()
	switch {
	case c&closedBit != 0, !o.inLife(e, ctlEpoch(c)):
		return State{Kind: Free, Owner: id, Epoch: e}
	case ctlEpoch(c) != e:
		return State{Kind: Stale, Owner: id, Epoch: e, OwnerName: o.name}
	}
	return State{Kind: Owned, Owner: id, Epoch: e, OwnerName: o.name}
}

// label formats an owner for messages: its id, and its name if it has one.
func label(id uint32, name string) string {
	if name == "" {
		return fmt.Sprint(id)
	}
	return fmt.Sprintf("%d (%q)", id, name)
}
