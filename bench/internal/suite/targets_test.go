package suite_test

import (
	"math"
	"testing"

	"github.com/handoff-go/handoff/bench/internal/suite"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJudgedStatus(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		j    suite.Judged
		want string
	}{
		{suite.Judged{Median: 3.2, Lo: 3.1, Hi: 3.5, Limit: 3, HigherIsBetter: true}, "met"},
		{suite.Judged{Median: 3.2, Lo: 2.8, Hi: 3.5, Limit: 3, HigherIsBetter: true}, "met (borderline)"},
		{suite.Judged{Median: 2.9, Lo: 2.8, Hi: 3.5, Limit: 3, HigherIsBetter: true}, "missed (borderline)"},
		{suite.Judged{Median: 2.0, Lo: 1.8, Hi: 2.5, Limit: 3, HigherIsBetter: true}, "missed"},
		{suite.Judged{Median: 1.2, Lo: nan, Hi: nan, Limit: 1.3}, "met"},
		{suite.Judged{Median: 1.4, Lo: 1.35, Hi: 1.5, Limit: 1.3}, "missed"},
		{suite.Judged{Median: 1.29, Lo: 1.2, Hi: 1.31, Limit: 1.3}, "met (borderline)"},
		{suite.Judged{Median: 4, Lo: 3.9, Hi: 4.1, Limit: 4.3, Band: 7}, "met"},
		{suite.Judged{Median: 5, Lo: 4.9, Hi: 5.1, Limit: 4.3, Band: 7}, "within the reference's range"},
		{suite.Judged{Median: 8, Lo: 7.9, Hi: 8.1, Limit: 4.3, Band: 7}, "missed"},
	} {
		assert.Equal(t, c.want, c.j.Status(), "%+v", c.j)
	}
}

// TestTargetsFromRows judges the design's targets from a hand-made run:
// spsc, ownership on/off and allocations are there, the rest is not.
func TestTargetsFromRows(t *testing.T) {
	res := synthetic(25, 100) // spsc: handoff 4.0× chan (3.8–4.2)
	mk := func(impl string, ns ...float64) suite.Row {
		r := suite.Row{Scenario: "ownership", Impl: impl, Procs: 2}
		for _, x := range ns {
			r.Samples = append(r.Samples, suite.Sample{Items: 1, NS: int64(x)})
		}
		r.NSPerItem = suite.Median(ns)
		return r
	}
	res.Rows = append(res.Rows, mk("handoff transfer=on", 120, 150), mk("handoff transfer=off", 100, 100))
	got := map[string]string{}
	for _, tg := range suite.Targets() {
		j, ok, why := suite.JudgeTarget(tg, res, 2)
		if !ok {
			got[tg.What] = "not measured: " + why
			continue
		}
		got[tg.What] = j.Format(j.Median) + " " + j.Status()
	}
	assert.Equal(t, "4.00× met", got["1 producer → 1 consumer, item by item"])
	assert.Equal(t, "1.35× missed (borderline)", got["same, with ownership transfer on"], "on/off: 1.2 and 1.5")
	assert.Equal(t, "0.00 met", got["allocations per item (streaming: spsc, batches, pingpong, pingpong0, selectsend, pairs, fanin, fanout, mpmc, ownership)"])
	assert.Equal(t, "not measured: scenario sieve not run", got["prime sieve, capacity 16"])
	assert.Equal(t, "not measured: scenario batch64 not run", got["same, SendBatch/RecvBatch of 64"])
	assert.Equal(t, "not measured: scenario batch64 not run", got["same, batches of 64, per item"])
	assert.Equal(t, "not measured: needs 4 cores or more", got["N independent pairs on N×2 cores"])
	assert.Equal(t, "not measured: scenario fanout not run", got["fan-out 1 → 4"])
	assert.Equal(t, "not measured: scenario mpmc not run", got["MPMC 4 → 4, item by item"])
	assert.Equal(t, "not measured: scenario pingpong not run", got["ping-pong round trip"])
	require.Len(t, got, len(suite.Targets()), "every target judged or explained")
}

// TestTargetsAtPassProcs: the waiting-heavy scenarios label their rows with
// the GOMAXPROCS they ran at; the targets judge the pass's own.
func TestTargetsAtPassProcs(t *testing.T) {
	row := func(impl string, base bool, param float64, ns ...float64) suite.Row {
		return pairedRow("sieve", impl, base, param, 0, ns...)
	}
	res := &suite.Results{Rows: []suite.Row{
		row("handoff cap 16 GOMAXPROCS=1", false, 161, 900, 900),
		row("chan cap 16 GOMAXPROCS=1", true, 161, 1000, 1000),
		row("handoff cap 16 GOMAXPROCS=2", false, 162, 600, 700),
		row("chan cap 16 GOMAXPROCS=2", true, 162, 1000, 1000),
	}}
	for _, tg := range suite.Targets() {
		if tg.What != "prime sieve, capacity 16" {
			continue
		}
		j, ok, _ := suite.JudgeTarget(tg, res, 2)
		require.True(t, ok)
		assert.Equal(t, "0.65× met", j.Format(j.Median)+" "+j.Status(), "GOMAXPROCS=2's rows, not 1's")
		return
	}
	t.Fatal("no sieve target")
}

// TestMakeTargets: the make scenario is judged on its time and on its
// bytes per channel, both against make(chan int, 1) at the pass's
// GOMAXPROCS.
func TestMakeTargets(t *testing.T) {
	row := func(impl string, base bool, procs int, ns float64, bytes uint64) suite.Row {
		return pairedRow("make", impl, base, float64(procs), bytes, ns, ns, ns)
	}
	res := &suite.Results{Rows: []suite.Row{
		row("handoff GOMAXPROCS=1", false, 1, 900, 968),
		row("chan GOMAXPROCS=1", true, 1, 100, 128),
		row("handoff GOMAXPROCS=2", false, 2, 500, 648),
		row("chan GOMAXPROCS=2", true, 2, 150, 128),
	}}
	got := map[string]string{}
	for _, tg := range suite.Targets() {
		if j, ok, _ := suite.JudgeTarget(tg, res, 2); ok {
			got[tg.What] = j.Format(j.Median) + " " + j.Status()
		}
	}
	assert.Equal(t, "3.33× met", got["making a small channel: Make[int](1), one send, one receive"], "500 ns against 150 at GOMAXPROCS 2")
	assert.Equal(t, "5.06× missed", got["same, bytes per channel"], "648 B against 128")
	assert.InDelta(t, 648, suite.BytesPerItem(res.Rows[2]), 1e-9)
}

// pairedRow is a row of a pass at GOMAXPROCS 2 keyed to its baseline by
// param: one sample of one item per time in ns, each allocating bytes.
func pairedRow(scenario, impl string, base bool, param float64, bytes uint64, ns ...float64) suite.Row {
	r := suite.Row{Scenario: scenario, Impl: impl, Procs: 2, Baseline: base, Param: param}
	for _, x := range ns {
		r.Samples = append(r.Samples, suite.Sample{Items: 1, NS: int64(x), Bytes: bytes})
	}
	r.NSPerItem = suite.Median(ns)
	return r
}

// TestBoostTargetFromTheSameRun: with boost's batches of 32 measured in the
// run, the batch target is handoff's time over boost's, repetition by
// repetition; without them, on a CPU other than the kept figure's, it is
// not judged, and the report says why.
func TestBoostTargetFromTheSameRun(t *testing.T) {
	const what = "same, batches of 64, per item"
	judge := func(res *suite.Results) string {
		for _, tg := range suite.Targets() {
			if tg.What != what {
				continue
			}
			j, ok, why := suite.JudgeTarget(tg, res, 2)
			if !ok {
				return "not measured: " + why
			}
			return j.Format(j.Median) + " " + j.Status()
		}
		t.Fatalf("no target %q", what)
		return ""
	}
	handoff := pairedRow("batch64", "handoff batch 64", false, 0, 0, 2, 3, 4)
	res := &suite.Results{Machine: suite.Machine{CPU: "Some Other CPU"}, Rows: []suite.Row{
		handoff,
		pairedRow("batch64", "boost spsc_queue batch 32", false, 0, 0, 5, 4, 3),
	}}
	assert.Equal(t, "0.75× met (borderline)", judge(res), "ratios 0.4, 0.75, 1.33")

	res.Rows[1] = pairedRow("batch64", "boost spsc_queue batch 32", false, 0, 0, 4, 6, 8)
	assert.Equal(t, "0.50× met", judge(res), "ratios 0.5, 0.5, 0.5")

	res.Rows = res.Rows[:1]
	assert.Contains(t, judge(res), "not measured: boost not in this run")
	assert.Contains(t, judge(res), "its kept figure is from AMD EPYC")
}
