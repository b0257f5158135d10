//go:build !linux

package suite

import "time"

// machineBusy is not available outside Linux: the load is not measured.
func machineBusy() (time.Duration, bool) { return 0, false }

func loadAverage() string { return "" }
