package ownership

// Test hooks: read-only views of an owner's control word.

// PendingOf returns the number of steal requests o has not answered yet.
func PendingOf(o *Owner) uint64 { return ctlPending(o.ctl.Load()) }

// ParkedOf reports whether o's parked bit is set.
func ParkedOf(o *Owner) bool { return o.ctl.Load()&parkedBit != 0 }
