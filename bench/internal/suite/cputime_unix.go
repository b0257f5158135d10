//go:build unix

package suite

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user + system) the process has used,
// with that of the child processes it has waited for (the C++ peer of
// peer_boost.go), so that a peer's sample does not read as other load.
func processCPU() (time.Duration, bool) {
	var self, children syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &self) != nil ||
		syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children) != nil {
		return 0, false
	}
	return time.Duration(self.Utime.Nano() + self.Stime.Nano() +
		children.Utime.Nano() + children.Stime.Nano()), true
}
