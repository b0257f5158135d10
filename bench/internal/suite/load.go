package suite

import (
	"fmt"
	"math"
	"time"
)

// The load check: how much CPU time other processes took while the
// samples ran. The figures of a sample are only as good as the machine was
// quiet: on the 2-core development VM, other people's test runs share the
// cores, and a case that needs both cores loses whatever they take.
//
// What is measured: around every sample, the machine's busy CPU time (user,
// nice, system, irq, softirq and steal from /proc/stat, all CPUs) and this
// process's own CPU time (getrusage). Busy time that was not ours, divided
// by the sample's wall time times the number of CPUs, is the share of the
// machine that others used during the sample. Steal counts as busy: it is
// time the hypervisor gave our virtual CPUs to someone else. The load
// average is recorded too, at the start and the end of the run, but not
// used to judge: it is a minute-long decaying average that counts the
// benchmark's own goroutines.
//
// Outside Linux there is no /proc/stat: the run reports the load as not
// measured and never warns.

// Warning thresholds: others' share over all the samples, or their share
// during any one sample of at least loadMinSample (/proc/stat counts in
// 10ms ticks, so a shorter sample's share is too coarse to judge alone).
const (
	loadWarnMean   = 0.10
	loadWarnSample = 0.50
	loadMinSample  = 50 * time.Millisecond
)

// cpuSnapshot is the machine's and this process's CPU time at one moment.
type cpuSnapshot struct {
	at   time.Time
	busy time.Duration // all CPUs, every process
	self time.Duration // this process
	ok   bool
}

func takeCPUSnapshot() cpuSnapshot {
	busy, ok1 := machineBusy()
	self, ok2 := processCPU()
	return cpuSnapshot{at: time.Now(), busy: busy, self: self, ok: ok1 && ok2}
}

// othersShare is the share of the machine (0 to 1) that other processes
// used between a and b; ok is false when it could not be measured.
func othersShare(a, b cpuSnapshot, cpus int) (float64, bool) {
	wall := b.at.Sub(a.at)
	if !a.ok || !b.ok || wall <= 0 || cpus < 1 {
		return 0, false
	}
	others := (b.busy - a.busy) - (b.self - a.self)
	share := float64(others) / (float64(wall) * float64(cpus))
	// /proc/stat counts in ticks (10ms) and getrusage in nanoseconds: a
	// quiet machine can read slightly below zero.
	return math.Min(math.Max(share, 0), 1), true
}

// Load is what the run measured of the machine's other work.
type Load struct {
	// Measured: every sample has its OthersCPU figure.
	Measured bool `json:"measured"`
	// MeanOthers and MaxOthers: the share of the machine other processes
	// used, over all the samples (weighted by their length) and in the
	// worst sample of at least loadMinSample (0 to 1).
	MeanOthers float64 `json:"mean_others_cpu"`
	MaxOthers  float64 `json:"max_others_cpu"`
	// LoadAvgStart and LoadAvgEnd: /proc/loadavg's three averages.
	LoadAvgStart string `json:"loadavg_start,omitempty"`
	LoadAvgEnd   string `json:"loadavg_end,omitempty"`
}

// High reports whether the load was high enough to distrust the figures.
func (l Load) High() bool {
	return l.Measured && (l.MeanOthers > loadWarnMean || l.MaxOthers > loadWarnSample)
}

// summarizeLoad fills res.Load from the samples' OthersCPU figures.
func (res *Results) summarizeLoad(measured bool) {
	l := &res.Load
	l.Measured = measured
	if !measured {
		return
	}
	sum, weight := 0.0, 0.0
	for _, r := range res.Rows {
		for _, s := range r.Samples {
			sum += s.OthersCPU * float64(s.NS)
			weight += float64(s.NS)
			if time.Duration(s.NS) >= loadMinSample {
				l.MaxOthers = math.Max(l.MaxOthers, s.OthersCPU)
			}
		}
	}
	if weight > 0 {
		l.MeanOthers = sum / weight
	}
}

// loadLine is the report's sentence on the load; a warning when High.
func (l Load) loadLine() string {
	if !l.Measured {
		return "Machine load: not measured (no /proc/stat)."
	}
	avg := ""
	if l.LoadAvgStart != "" {
		avg = fmt.Sprintf(" Load average %s at the start, %s at the end.", l.LoadAvgStart, l.LoadAvgEnd)
	}
	s := fmt.Sprintf("other processes used %.0f%% of the machine's CPU time during the samples, "+
		"%.0f%% in the worst sample of %v or more.%s", 100*l.MeanOthers, 100*l.MaxOthers, loadMinSample, avg)
	if l.High() {
		return fmt.Sprintf("**Warning: the machine was busy** — %s The figures are disturbed: read the "+
			"spreads, and measure again on a quiet machine before trusting a small difference "+
			"(warning above %.0f%% over the samples or %.0f%% in one).",
			s, 100*loadWarnMean, 100*loadWarnSample)
	}
	return "Machine load: " + s
}
