package endpoint

import (
	"sync/atomic"

	"golang.org/x/sys/cpu"
)

// Stats counts the slow-path events of one endpoint (a lane's sender, or
// the receiver). Each endpoint writes only its own Stats, and only on paths
// that already wait, park or steal, so the counters cost nothing on the
// fast path. Items sent and received are not counted here at all: they are
// the rings' own indices (Ring.Pushed, Ring.Popped).
type Stats struct {
	// Padding: counters of different endpoints must not share a line.
	_       cpu.CacheLinePad
	Waits   atomic.Uint64 // operations that found the ring full (sender) or every lane empty (receiver)
	Parks   atomic.Uint64 // times the endpoint's goroutine actually slept
	Stolen  atomic.Uint64 // sender only: objects taken on the fallback steal path
	NilSent atomic.Uint64 // sender only: nil pointers sent on an ownership channel (nothing to transfer)
	_       cpu.CacheLinePad
}

// Snapshot is a point-in-time reading of a channel's counters. Taken while
// traffic flows, each counter is exact at the moment it was read, but the
// counters are not read at one single instant.
type Snapshot struct {
	Sent        uint64 // items published by all senders
	Received    uint64 // items the receiver delivered to its user
	Discarded   uint64 // items sent but dropped because the receiver disconnected
	Transferred uint64 // objects whose ownership a send moved to the receiver's owner
	Stolen      uint64 // objects a sender stole first (the fallback path)
	SendWaits   uint64 // sends that found their lane full
	RecvWaits   uint64 // receives that found every lane empty
	SendParks   uint64 // times a sender slept
	RecvParks   uint64 // times the receiver slept
	Lanes       int    // senders ever attached (lanes)
}

// Snapshot reads the channel's counters without stopping traffic.
func (st *State[T]) Snapshot() Snapshot {
	var s Snapshot
	var nils uint64
	lanes := st.Lanes()
	s.Lanes = len(lanes)
	for _, l := range lanes {
		// NilSent is counted after the push it describes, and loaded here
		// before Pushed, so nils never exceeds Sent.
		nils += l.Stats.NilSent.Load()
		s.Sent += l.Ring.Pushed()
		s.Received += l.Ring.Popped()
		s.Stolen += l.Stats.Stolen.Load()
		s.SendWaits += l.Stats.Waits.Load()
		s.SendParks += l.Stats.Parks.Load()
	}
	if st.Transfer {
		s.Transferred = s.Sent - nils
	}
	if st.ReceiverClosed() { // acquire: deliveredAtClose is set
		s.Received = st.deliveredAtClose.Load()
		s.Discarded = s.Sent - s.Received
	}
	s.RecvWaits = st.ReceiverStats.Waits.Load()
	s.RecvParks = st.ReceiverStats.Parks.Load()
	return s
}
