package bench_test

import (
	"math"
	"testing"

	"github.com/handoff-go/handoff/bench"
	"github.com/stretchr/testify/assert"
)

func TestMedian(t *testing.T) {
	assert.True(t, math.IsNaN(bench.Median(nil)))
	assert.Equal(t, 7.0, bench.Median([]float64{7}))
	assert.Equal(t, 2.0, bench.Median([]float64{3, 1, 2}))
	assert.Equal(t, 2.5, bench.Median([]float64{4, 1, 3, 2}))
	assert.Equal(t, 5.0, bench.Median([]float64{100, 5, 1, 5, 6}), "an outlier does not move it")
	xs := []float64{3, 1, 2}
	bench.Median(xs)
	assert.Equal(t, []float64{3, 1, 2}, xs, "input untouched")
}

func TestRatio(t *testing.T) {
	assert.Equal(t, 3.0, bench.Ratio(300, 100), "impl 3x faster than the baseline")
	assert.Equal(t, 0.5, bench.Ratio(100, 200))
	assert.True(t, math.IsNaN(bench.Ratio(0, 100)))
	assert.True(t, math.IsNaN(bench.Ratio(100, 0)))
	assert.True(t, math.IsNaN(bench.Ratio(math.NaN(), 1)))
}
