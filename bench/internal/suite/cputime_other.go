//go:build !unix

package suite

import "time"

// processCPU is not available here: idlecpu reports no CPU figure.
func processCPU() (time.Duration, bool) { return 0, false }
