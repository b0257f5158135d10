package endpoint

import (
	"runtime"

	"github.com/handoff-go/handoff"
	"sync/atomic"
)

// WaitStats counts one endpoint's waits: the part of its counters that
// the channel's wait loop (Await) writes, for a lane's sender and for the
// receiver alike. Each endpoint writes only its own counters, and only on
// paths that already wait, park or steal, so the counters cost nothing on
// the fast path. Items sent and received are not counted at all: they are
// the rings' own indices (Ring.Pushed, Ring.Popped).
type WaitStats struct {
	Waits atomic.Uint64 // operations that found the ring full (sender) or every lane empty (receiver)
	Parks atomic.Uint64 // times the endpoint's goroutine actually slept
}

// SendStats are a lane's sender's counters. Each side has only the
// counters it writes (they were one type, 48 bytes on both sides, before:
// every byte of the State counts against a small channel's cost to make).
type SendStats struct {
	WaitStats
	// Untransferred counts the items a sender pushed on a channel of owned
	// objects without moving ownership: nil pointers, and objects owned by
	// another live owner, which travel as they are. nilSeq brackets every
	// such send (odd while one is in progress), so that Snapshot can read
	// the lane's pushes and untransferred items as one consistent pair;
	// sends of owned objects touch neither, so counting transfers costs
	// the fast path nothing.
	Untransferred atomic.Uint64
	nilSeq        atomic.Uint64
}

// ReceiverStats are the receiver's counters (of all receivers, with
// several).
type ReceiverStats struct {
	WaitStats
	Stolen atomic.Uint64 // objects a receive had to steal (the fallback path)
	// Undelivered counts the items the receiver popped but has not
	// returned: held back because their steal did not complete before the
	// receive had to return (the next receive returns them), or dropped
	// with them at a disconnect.
	Undelivered atomic.Int64
}

// Snapshot is the reading Stats returns: handoff.Stats.
type Snapshot = handoff.Stats

// BeginUntransferred and EndUntransferred bracket a send that pushes nils nil pointers
// (see Untransferred). Sender only.
func (s *SendStats) BeginUntransferred() { s.nilSeq.Add(1) }

// EndUntransferred closes the bracket opened by BeginUntransferred, after the push.
func (s *SendStats) EndUntransferred(nils uint64) {
	s.Untransferred.Add(nils)
	s.nilSeq.Add(1)
}

// pushesAndNils reads a lane's push count and nil count as of one instant
// between the lane's nil sends (a seqlock read: retried while a nil send
// is in progress or happened meanwhile).
func (l *Lane[T]) pushesAndNils() (pushed, nils uint64) {
	for {
		seq := l.Stats.nilSeq.Load()
		if seq&1 == 0 {
			pushed, nils = l.Ring.Pushed(), l.Stats.Untransferred.Load()
			if l.Stats.nilSeq.Load() == seq {
				return pushed, nils
			}
		}
		runtime.Gosched() // a nil send is between its push and its count: a few steps
	}
}

// counters reads one lane's part of a Snapshot: its items sent, received
// and transferred, and its sender's slow-path counters.
func (l *Lane[T]) counters(transfer bool) Snapshot {
	var s Snapshot
	handedMoved := l.handedMoved.Load()   // before handed: handedMoved <= handed, so Transferred <= Sent
	handed := l.handed.Load()             // items taken from offers: sent and received, never in the ring
	s.Received = l.Ring.Popped() + handed // read before the pushes: Received <= Sent
	s.SendWaits = l.Stats.Waits.Load()
	s.SendParks = l.Stats.Parks.Load()
	pushed, nils := l.pushesAndNils()
	s.Sent = pushed + handed
	if transfer {
		s.Transferred = pushed - nils + handedMoved
	}
	return s
}

// addLane adds the per-lane counters of o to s.
func addLane(s *Snapshot, o Snapshot) {
	s.Sent += o.Sent
	s.Received += o.Received
	s.Transferred += o.Transferred
	s.Stolen += o.Stolen
	s.SendWaits += o.SendWaits
	s.SendParks += o.SendParks
}

// Snapshot reads the channel's counters without stopping traffic.
//
// It holds mu, so that no lane is removed (and folded into retired) while
// it reads: every lane is counted once. The loads are ordered so that the
// relations a reader expects hold in every snapshot, and each counter is
// monotone across snapshots: each lane's Received is read before its Sent
// (an item is pushed before it is popped, so Received <= Sent); each
// lane's pushes and nils are read as a consistent pair, so Transferred
// (pushes minus nils) is exact at that instant and never exceeds Sent.
// Once the receiver has disconnected, whatever was sent and not received
// is counted as Discarded.
func (st *State[T]) Snapshot() Snapshot {
	st.mu.Lock()
	defer st.mu.Unlock()
	closed := st.ReceiverClosed()                              // read first: items received later were taken before the close
	undelivered := uint64(st.ReceiverStats.Undelivered.Load()) // before the pops: they include every such item
	var s Snapshot
	if st.aside != nil {
		s = st.aside.retired
	}
	lanes := st.Lanes()
	s.Lanes += len(lanes)
	s.LiveLanes = len(lanes)
	for _, l := range lanes {
		addLane(&s, l.counters(st.HasHeader))
	}
	s.RecvWaits = st.ReceiverStats.Waits.Load()
	s.RecvParks = st.ReceiverStats.Parks.Load()
	s.Stolen = st.ReceiverStats.Stolen.Load()
	s.Received -= undelivered // popped but not returned
	if closed {
		s.Discarded = s.Sent - s.Received
	}
	return s
}
