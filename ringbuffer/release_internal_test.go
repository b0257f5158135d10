package ringbuffer

import (
	"sync/atomic"
	"testing"
)

// TestStoreReleaseWritesOneWord: storeRelease writes all 64 bits of the
// word it is given and nothing beside it (the assembly's offsets and
// operand sizes).
func TestStoreReleaseWritesOneWord(t *testing.T) {
	var words [3]uint64
	for _, v := range []uint64{0, 1, 1<<63 | 0x0123_4567_89ab_cdef, ^uint64(0)} {
		words[0], words[2] = 0x5555_5555_5555_5555, 0xaaaa_aaaa_aaaa_aaaa
		storeRelease(&words[1], v)
		if got := atomic.LoadUint64(&words[1]); got != v {
			t.Fatalf("storeRelease(%#x): the word reads %#x", v, got)
		}
		if words[0] != 0x5555_5555_5555_5555 || words[2] != 0xaaaa_aaaa_aaaa_aaaa {
			t.Fatalf("storeRelease(%#x) touched its neighbours: %#x %#x", v, words[0], words[2])
		}
	}
}

// TestPublishHeadIsHead: publishHead writes the word head.Load reads, under
// both publishes.
func TestPublishHeadIsHead(t *testing.T) {
	for _, release := range []bool{false, true} {
		r := New[int](4)
		r.release = release
		r.publishHead(countMask)
		if got := r.head.Load(); got != countMask {
			t.Fatalf("release=%v: head.Load() = %#x after publishHead(%#x)", release, got, countMask)
		}
	}
}

// TestReleasePublishOption: the option is off by default; with it, the
// ring uses the release publish unless that would need a process barrier
// the system refuses (reported, not failed: a sandbox may forbid
// membarrier).
func TestReleasePublishOption(t *testing.T) {
	if New[int](1).release {
		t.Fatal("the release publish is on without WithReleasePublish")
	}
	r := New[int](1, WithReleasePublish())
	switch {
	case !releaseNeedsBarrier && !r.release:
		t.Fatal("WithReleasePublish ignored where it needs no barrier")
	case releaseNeedsBarrier && r.release != barrierRegistered():
		t.Fatalf("release=%v, barrier registered=%v", r.release, barrierRegistered())
	}
	t.Logf("release publish: %v (needs a process barrier here: %v)", r.release, releaseNeedsBarrier)
}
