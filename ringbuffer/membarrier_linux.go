package ringbuffer

import (
	"sync"

	"golang.org/x/sys/unix"
)

// membarrier(2) commands (linux/membarrier.h).
const (
	membarrierCmdQuery                    = 0
	membarrierCmdPrivateExpedited         = 1 << 3
	membarrierCmdRegisterPrivateExpedited = 1 << 4
)

var barrierOnce = sync.OnceValue(func() bool {
	mask, _, errno := unix.Syscall(unix.SYS_MEMBARRIER, membarrierCmdQuery, 0, 0)
	if errno != 0 || mask&membarrierCmdPrivateExpedited == 0 {
		return false
	}
	_, _, errno = unix.Syscall(unix.SYS_MEMBARRIER, membarrierCmdRegisterPrivateExpedited, 0, 0)
	return errno == 0
})

// barrierRegistered reports whether processBarrier can be used: the
// kernel offers MEMBARRIER_CMD_PRIVATE_EXPEDITED and registered this
// process for it (once, at the first call). A seccomp filter or a kernel
// older than 4.14 says no.
func barrierRegistered() bool { return barrierOnce() }

// processBarrier makes every thread of the process that is running execute
// a full memory barrier before it returns (the kernel interrupts their
// CPUs; a thread that is not running passes one when it is scheduled).
// Only after barrierRegistered reported true.
func processBarrier() {
	if _, _, errno := unix.Syscall(unix.SYS_MEMBARRIER, membarrierCmdPrivateExpedited, 0, 0); errno != 0 {
		// Registered, so the kernel has no reason to refuse; a ring whose
		// consumer already publishes with release stores cannot go back.
		panic("ringbuffer: membarrier: " + errno.Error())
	}
}
