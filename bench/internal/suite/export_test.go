package suite

import "time"

// ComputeRatios fills res's ratios as Run does, for tests that build
// Results by hand.
func ComputeRatios(res *Results) { res.computeRatios() }

// OthersShare exposes othersShare with snapshots built from plain numbers.
func OthersShare(wall, busy, self time.Duration, cpus int) (float64, bool) {
	t0 := time.Unix(0, 0)
	a := cpuSnapshot{at: t0, ok: true}
	b := cpuSnapshot{at: t0.Add(wall), busy: busy, self: self, ok: true}
	return othersShare(a, b, cpus)
}

// MachineBusy exposes machineBusy.
var MachineBusy = machineBusy

// SummarizeLoad fills res.Load from the samples as Run does.
func SummarizeLoad(res *Results, measured bool) { res.summarizeLoad(measured) }

// JudgeTarget runs t's judge.
func JudgeTarget(t Target, res *Results, procs int) (Judged, bool, string) {
	return t.judge(res, procs)
}

// BoostCases exposes boostCases, and BoostProbe the probe's build.
var (
	BoostCases = boostCases
	BoostProbe = boostProbe
)
