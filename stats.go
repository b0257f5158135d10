package handoff

// Stats is a reading of a channel's counters, returned by the Stats method
// of either endpoint (the whole channel's, whichever endpoint is asked).
// The counters are read without stopping traffic: each is exact at the
// moment it was read, but they are not read at one single instant. They
// cost nothing on the fast path: Sent and Received are the rings' own
// indices, and the others are counted only on paths that already wait,
// park or steal.
//
// Relations that hold in every reading: Received <= Sent; Transferred <=
// Sent; once the receiver has disconnected, Sent = Received + Discarded
// (and before, Discarded is 0).
type Stats struct {
	Sent     uint64 // items published by all senders
	Received uint64 // items returned by receives
	// Discarded counts items sent but never received because the receiver
	// disconnected (Receiver.Close) while they were buffered.
	Discarded uint64
	// Transferred counts objects whose ownership a send moved to the
	// receiver's owner (channels of owned objects only).
	Transferred uint64
	// Stolen counts objects a receive had to steal: objects sent by a
	// goroutine whose owner did not own them, taken from their holder at
	// its next preemption point.
	Stolen    uint64
	SendWaits uint64 // sends that found their lane full
	RecvWaits uint64 // receives that found every lane empty
	SendParks uint64 // times a sender slept
	RecvParks uint64 // times the receiver slept
	// Lanes counts the senders ever attached (the first one and every
	// Clone), closed ones included.
	Lanes int
	// LiveLanes counts the lanes the receiver scans now: closed and
	// drained lanes are dropped.
	LiveLanes int
}
