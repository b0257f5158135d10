package suite_test

import (
	"math"
	"testing"
	"time"

	"github.com/handoff-go/handoff/bench/internal/suite"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder is a Progress that keeps the label of every step.
type recorder struct {
	suite.NoProgress
	steps []string
	reps  []int
}

func (r *recorder) Step(label string)  { r.steps = append(r.steps, label) }
func (r *recorder) RepDone(rep, _ int) { r.reps = append(r.reps, rep) }

// TestRunInterleaves: every case is calibrated first; then each
// repetition measures every case once, starting one case further down the
// list each time.
func TestRunInterleaves(t *testing.T) {
	cfg := suite.DefaultConfig()
	cfg.Duration, cfg.Reps, cfg.Scenarios = time.Millisecond, 3, []string{"e1-tax"}
	var rec recorder
	res, err := suite.Run(cfg, &rec)
	require.NoError(t, err)
	require.True(t, res.Flags.Interleaved)
	cases := []string{"e1-tax/ownership Owns", "e1-tax/ownership Preempt (none pending)", "e1-tax/atomic.AddInt64",
		"e1-tax/sync.Mutex Lock+Unlock", "e1-tax/sync.RWMutex RLock+RUnlock"}
	n := len(cases)
	require.Len(t, rec.steps, n+3*n)
	assert.Equal(t, cases, rec.steps[:n], "calibration first, in order")
	for rep := range 3 {
		got := rec.steps[n+rep*n : n+(rep+1)*n]
		for k := range n {
			assert.Equal(t, cases[(k+rep)%n], got[k], "repetition %d, position %d", rep, k)
		}
	}
	assert.Equal(t, []int{1, 2, 3}, rec.reps)
	for _, r := range res.Rows {
		assert.Len(t, r.Samples, 3, r.Impl)
		require.NotNil(t, r.Ratio, r.Impl)
		require.NotNil(t, r.RatioLo, r.Impl)
		assert.LessOrEqual(t, *r.RatioLo, *r.Ratio, r.Impl)
		assert.LessOrEqual(t, *r.Ratio, *r.RatioHi, r.Impl)
	}
	assert.NotEmpty(t, res.Load.LoadAvgStart, "Linux: /proc/loadavg")
	assert.True(t, res.Load.Measured, "Linux: /proc/stat and getrusage")
}

func TestRatioOfPairsRepetitions(t *testing.T) {
	row := func(ns ...float64) suite.Row {
		r := suite.Row{}
		for _, x := range ns {
			r.Samples = append(r.Samples, suite.Sample{Items: 10, NS: int64(10 * x)})
		}
		r.NSPerItem = suite.Median(ns)
		return r
	}
	// Repetition 2 was slow for both: paired, it cancels out.
	base, impl := row(100, 110, 300), row(25, 27.5, 75)
	st := suite.RatioOf(base, impl)
	assert.InDelta(t, 4, st.Median, 1e-9)
	assert.InDelta(t, 4, st.Lo, 1e-9)
	assert.InDelta(t, 4, st.Hi, 1e-9)
	inv := st.Inverse()
	assert.InDelta(t, 0.25, inv.Median, 1e-9)

	// One pair: a ratio, no range.
	st = suite.RatioOf(row(100), row(50))
	assert.Equal(t, 2.0, st.Median)
	assert.True(t, math.IsNaN(st.Lo) && math.IsNaN(st.Hi))

	// No samples (a hand-made row): the medians' ratio.
	st = suite.RatioOf(suite.Row{NSPerItem: 90}, suite.Row{NSPerItem: 30})
	assert.Equal(t, 3.0, st.Median)
	assert.True(t, math.IsNaN(st.Lo))

	// Unequal counts (idlecpu's single sample): pairs as far as both go.
	assert.Equal(t, []float64{2, 2}, suite.PairedRatios(row(20, 40, 60), row(10, 20)))
}
