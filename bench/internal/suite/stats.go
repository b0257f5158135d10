package suite

import (
	"math"
	"slices"
)

// Median returns the median of xs (the mean of the two middle values for
// an even count); NaN for an empty slice. xs is not modified.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// Ratio is the time ratio base/impl: how many times faster impl is than
// the baseline (above 1: faster). It is NaN unless both are positive.
func Ratio(baseNS, implNS float64) float64 {
	if !(baseNS > 0) || !(implNS > 0) {
		return math.NaN()
	}
	return baseNS / implNS
}
