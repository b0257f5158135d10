package suite

import (
	"testing"
	"time"
)

// TestCalibrateBoundsUntimedWork: a case that times almost nothing but
// does untimed work per item (as E3 does) is not grown to maxItems; its
// runs stop growing near maxWallFactor times the duration.
func TestCalibrateBoundsUntimedWork(t *testing.T) {
	var sinkX uint64
	c := Case{Scenario: "test", Impl: "untimed", MinItems: 1, Run: func(tm *Timer, n int) {
		tm.Start()
		tm.Stop() // a timed part of about nothing
		x := uint64(n)
		for range n { // untimed work, about a nanosecond per item
			x = x*6364136223846793005 + 1442695040888963407
		}
		sinkX += x
	}}
	n, err := calibrate(&c, time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if n >= maxItems/10 {
		t.Fatalf("calibrate chose %d items for a case whose time is all untimed: the wall-time bound did not hold", n)
	}
	_ = sinkX
}
