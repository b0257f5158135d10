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
	_           cpu.CacheLinePad
	Waits       atomic.Uint64 // operations that found the ring full (sender) or every lane empty (receiver)
	Parks       atomic.Uint64 // times the endpoint's goroutine actually slept
	Stolen      atomic.Uint64 // sender only: objects taken on the fallback steal path
	Transferred atomic.Uint64 // sender only: objects whose ownership its sends moved
	_           cpu.CacheLinePad
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
//
// The loads are ordered so that the relations a reader expects hold in
// every snapshot, and each counter is monotone across snapshots:
// Received is read before Sent (an item is pushed before it is popped, so
// Received <= Sent), each Transferred is bumped by its sender after the
// push it counts and read before Sent (Transferred <= Sent), and the
// receiver's closed flag is read first and again last: a snapshot that
// straddles a receiver close is taken again, so Discarded never
// underflows and Received never counts the items the close drained.
func (st *State[T]) Snapshot() Snapshot {
	for {
		closed := st.ReceiverClosed() // acquire: deliveredAtClose is set if true
		var s Snapshot
		lanes := st.Lanes()
		s.Lanes = len(lanes)
		for _, l := range lanes {
			s.Received += l.Ring.Popped()
		}
		for _, l := range lanes {
			s.Transferred += l.Stats.Transferred.Load()
			s.Stolen += l.Stats.Stolen.Load()
			s.SendWaits += l.Stats.Waits.Load()
			s.SendParks += l.Stats.Parks.Load()
		}
		for _, l := range lanes {
			s.Sent += l.Ring.Pushed()
		}
		s.RecvWaits = st.ReceiverStats.Waits.Load()
		s.RecvParks = st.ReceiverStats.Parks.Load()
		if closed {
			// Every item delivered before the close was pushed before it,
			// so Sent (read after the flag) covers them.
			s.Received = st.deliveredAtClose.Load()
			s.Discarded = s.Sent - s.Received
			return s
		}
		if !st.ReceiverClosed() {
			return s
		}
		// The receiver closed while we read: Received may include items
		// the close drained. Read again, now as a closed channel.
	}
}
