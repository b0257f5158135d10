package suite_test

import (
	"math"
	"testing"

	"github.com/handoff-go/handoff/bench/internal/suite"
	"github.com/stretchr/testify/assert"
)

func TestMedian(t *testing.T) {
	assert.True(t, math.IsNaN(suite.Median(nil)))
	assert.Equal(t, 7.0, suite.Median([]float64{7}))
	assert.Equal(t, 2.0, suite.Median([]float64{3, 1, 2}))
	assert.Equal(t, 2.5, suite.Median([]float64{4, 1, 3, 2}))
	assert.Equal(t, 5.0, suite.Median([]float64{100, 5, 1, 5, 6}), "an outlier does not move it")
	xs := []float64{3, 1, 2}
	suite.Median(xs)
	assert.Equal(t, []float64{3, 1, 2}, xs, "input untouched")
}

func TestRatio(t *testing.T) {
	assert.Equal(t, 3.0, suite.Ratio(300, 100), "impl 3x faster than the baseline")
	assert.Equal(t, 0.5, suite.Ratio(100, 200))
	assert.True(t, math.IsNaN(suite.Ratio(0, 100)))
	assert.True(t, math.IsNaN(suite.Ratio(100, 0)))
	assert.True(t, math.IsNaN(suite.Ratio(math.NaN(), 1)))
}
