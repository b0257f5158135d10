package suite_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/handoff-go/handoff/bench/internal/suite"
	"github.com/stretchr/testify/assert"
)

func TestOthersShare(t *testing.T) {
	// 100ms on 2 CPUs: 200ms of CPU time. The machine was busy 150ms, 50
	// of them ours: others took 100ms, half the machine.
	share, ok := suite.OthersShare(100*time.Millisecond, 150*time.Millisecond, 50*time.Millisecond, 2)
	assert.True(t, ok)
	assert.InDelta(t, 0.5, share, 1e-9)
	// Tick rounding can make ours exceed the machine's: never below 0.
	share, _ = suite.OthersShare(100*time.Millisecond, 40*time.Millisecond, 45*time.Millisecond, 2)
	assert.Equal(t, 0.0, share)
	_, ok = suite.OthersShare(0, 0, 0, 2)
	assert.False(t, ok, "no time elapsed")
}

func TestMachineBusy(t *testing.T) {
	if runtime.GOOS != "linux" {
		_, ok := suite.MachineBusy()
		assert.False(t, ok)
		return
	}
	a, ok := suite.MachineBusy()
	assert.True(t, ok)
	assert.Greater(t, a, time.Duration(0))
}

func TestLoadHigh(t *testing.T) {
	assert.False(t, suite.Load{}.High(), "not measured: no warning")
	assert.False(t, suite.Load{Measured: true, MeanOthers: 0.05, MaxOthers: 0.3}.High())
	assert.True(t, suite.Load{Measured: true, MeanOthers: 0.15, MaxOthers: 0.3}.High())
	assert.True(t, suite.Load{Measured: true, MeanOthers: 0.05, MaxOthers: 0.6}.High())

	// The mean is weighted by sample length; a short sample's share is
	// too coarse to count as the worst.
	res := &suite.Results{Rows: []suite.Row{{Samples: []suite.Sample{
		{NS: int64(300 * time.Millisecond), OthersCPU: 0.1},
		{NS: int64(100 * time.Millisecond), OthersCPU: 0.5},
		{NS: int64(time.Millisecond), OthersCPU: 1},
	}}}}
	suite.SummarizeLoad(res, true)
	assert.InDelta(t, (0.1*300+0.5*100+1)/401, res.Load.MeanOthers, 1e-9)
	assert.Equal(t, 0.5, res.Load.MaxOthers)
}
