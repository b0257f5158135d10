package suite_test

import (
	"testing"

	"github.com/handoff-go/handoff/bench/internal/suite"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBoostPeer builds the C++ peer and takes one sample of each batch
// size: the sample's time is the probe's own, and positive. Without g++
// and boost's headers there is nothing to run (CI installs both).
func TestBoostPeer(t *testing.T) {
	if _, err := suite.BoostProbe(); err != nil {
		t.Skip("the C++ peer cannot be built here:", err)
	}
	cases := suite.BoostCases("batch64", 1, 32)
	require.Len(t, cases, 2)
	assert.Equal(t, "boost spsc_queue", cases[0].Impl)
	assert.Equal(t, "boost spsc_queue batch 32", cases[1].Impl)
	for _, c := range cases {
		var tm suite.Timer
		c.Run(&tm, 10_000)
		assert.Positive(t, tm.Elapsed(), c.Impl)
	}
}
