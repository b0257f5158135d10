package suite_test

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/handoff-go/handoff/bench/internal/suite"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormat(t *testing.T) {
	for _, c := range []struct {
		ns   float64
		want string
	}{{1.234, "1.23"}, {12.34, "12.3"}, {123.4, "123"}, {123456.7, "123457"}, {math.NaN(), "—"}} {
		assert.Equal(t, c.want, suite.FormatNS(c.ns), "FormatNS(%v)", c.ns)
	}
	for _, c := range []struct {
		r    float64
		want string
	}{{81.3e6, "81.3M"}, {1.234e9, "1.23G"}, {950e3, "950k"}, {12, "12.0"}, {0, "—"}} {
		assert.Equal(t, c.want, suite.FormatRate(c.r), "FormatRate(%v)", c.r)
	}
	assert.Equal(t, "0.00", suite.FormatAllocs(0.0001))
	assert.Equal(t, "1.50", suite.FormatAllocs(1.5))
	x := 3.104
	assert.Equal(t, "3.10×", suite.FormatRatio(&x))
	assert.Equal(t, "—", suite.FormatRatio(nil))
}

// synthetic builds a Results with a chan baseline and a handoff row, two
// interleaved samples each: the handoff row's are ns and 1.2 ns (ratios
// 4.2× and 3.8× against chan's 1.05 and 0.95 when chanNS is 4·handoffNS).
func synthetic(handoffNS, chanNS float64) *suite.Results {
	row := func(scenario, impl string, ns, f0, f1 float64, base bool) suite.Row {
		return suite.Row{Scenario: scenario, Impl: impl, Series: impl, Procs: 2, Unit: "item", Baseline: base,
			Items: 1000, Samples: []suite.Sample{{Items: 1000, NS: int64(ns * 1000 * f0)}, {Items: 1000, NS: int64(ns * 1000 * f1)}},
			NSPerItem: ns, ItemsPerSec: 1e9 / ns}
	}
	res := &suite.Results{
		Machine: suite.Machine{CPU: "Test CPU", CPUFamily: "family 26, model 2, stepping 1", Cores: 2, GoVersion: "go1.test", GOMAXPROCS: 2},
		Date:    time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC),
		Flags:   suite.Flags{Duration: "10ms", Reps: 2, Scenarios: []string{"spsc"}, Procs: []int{2}, Interleaved: true},
		Load:    suite.Load{Measured: true, MeanOthers: 0.05, MaxOthers: 0.08},
		Rows: []suite.Row{
			row("spsc", "handoff", handoffNS, 1, 1.2, false),
			row("spsc", "chan", chanNS, 1.05, 1.14, true),
		},
	}
	suite.ComputeRatios(res)
	return res
}

func TestWriteReport(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, suite.WriteReport(&b, synthetic(25, 100)))
	out := b.String()
	assert.Contains(t, out, "Test CPU (family 26, model 2, stepping 1), 2 cores, go1.test")
	assert.Contains(t, out, "| scenario | case | ns/item | spread | chan ns/item | chan spread | vs chan | vs chan spread |")
	assert.Contains(t, out, "| spsc | handoff | 25.0 | 25.0–30.0 | 100 | 105–114 | 4.00× | 3.80–4.20× |")
	assert.Contains(t, out, "| scenario | implementation | ns/item | spread | items/s | allocs/item | vs chan | vs chan spread |")
	assert.Contains(t, out, "| spsc | handoff | 25.0 | 25.0–30.0 | 40.0M | 0.00 | 4.00× | 3.80–4.20× |")
	assert.Contains(t, out, "| spsc | chan | 100 | 105–114 | 10.0M | 0.00 | 1.00× | 1.00–1.00× |")
	assert.Contains(t, out, "## Targets (Test CPU)")
	assert.Contains(t, out, "| 1 producer → 1 consumer, item by item | buffered chan | ≥ 3× (goal 4×) | 4.00× | 3.80× – 4.20× | met |")
	assert.Contains(t, out, "| fan-out 1 → 4 | buffered chan | ≥ 1.5× | — | — | not measured: scenario fanout not run |")
	assert.Contains(t, out, "Machine load: other processes used 5% of the machine's CPU time")
	assert.NotContains(t, out, "Warning")
	assert.NotContains(t, out, "| P |", "one GOMAXPROCS: no P column")
	assert.Less(t, strings.Index(out, "at a glance"), strings.Index(out, "every implementation"),
		"the comparison a user chooses by comes first")
	assert.Less(t, strings.Index(out, "## Targets"), strings.Index(out, "at a glance"), "the targets lead")
}

// TestWriteReportBusyMachine: a run during which other processes took
// much of the machine says so at the top.
func TestWriteReportBusyMachine(t *testing.T) {
	res := synthetic(25, 100)
	res.Load = suite.Load{Measured: true, MeanOthers: 0.35, MaxOthers: 0.8, LoadAvgStart: "6.50 6.10 4.65", LoadAvgEnd: "7.00 6.20 4.70"}
	var b bytes.Buffer
	require.NoError(t, suite.WriteReport(&b, res))
	out := b.String()
	assert.Contains(t, out, "**Warning: the machine was busy** — other processes used 35% of the machine's CPU time during the samples, 80% in the worst sample")
	assert.Contains(t, out, "Load average 6.50 6.10 4.65 at the start, 7.00 6.20 4.70 at the end.")
	assert.Less(t, strings.Index(out, "Warning"), strings.Index(out, "## Targets"), "before any figure")

	res.Load = suite.Load{}
	b.Reset()
	require.NoError(t, suite.WriteReport(&b, res))
	assert.Contains(t, b.String(), "Machine load: not measured")
}

// TestReportOrder: what a user chooses by comes first, the experiments
// last, whatever the order of the rows.
func TestReportOrder(t *testing.T) {
	res := synthetic(25, 100)
	exp := suite.Row{Scenario: "e1-tax", Impl: "ownership Owns", Procs: 2, Unit: "op", NSPerItem: 1,
		Samples: []suite.Sample{{Items: 1, NS: 1}}}
	res.Rows = append([]suite.Row{exp}, res.Rows...)
	var b bytes.Buffer
	require.NoError(t, suite.WriteReport(&b, res))
	out := b.String()
	glance, exps := strings.Index(out, "## handoff against chan, at a glance"), strings.Index(out, "## Experiments")
	require.GreaterOrEqual(t, glance, 0)
	require.GreaterOrEqual(t, exps, 0)
	assert.Less(t, glance, exps)
}

func TestWriteReportExperimentParagraph(t *testing.T) {
	res := &suite.Results{Flags: suite.Flags{Reps: 1}, Rows: []suite.Row{{
		Scenario: "e1-tax", Impl: "ownership Owns", Procs: 1, Unit: "op", NSPerItem: 1.5, ItemsPerSec: 1e9 / 1.5,
		Samples: []suite.Sample{{Items: 2, NS: 3}},
	}}}
	var b bytes.Buffer
	require.NoError(t, suite.WriteReport(&b, res))
	out := b.String()
	assert.Contains(t, out, "### E1: the tax of an owned access (e1-tax)")
	assert.Contains(t, out, "one atomic read and a branch", "the experiment's paragraph")
	assert.Contains(t, out, "| ownership Owns | 1.50 | — | 667M | 0.00 | — |")
}

func TestCompare(t *testing.T) {
	dir := t.TempDir()
	oldPath := filepath.Join(dir, "old.json")
	newPath := filepath.Join(dir, "new.json")
	old := synthetic(50, 100)
	cur := synthetic(25, 100)
	cur.Rows = append(cur.Rows, suite.Row{Scenario: "spsc", Impl: "mutex+cond", Procs: 2, NSPerItem: 200})
	require.NoError(t, old.Save(oldPath))
	require.NoError(t, cur.Save(newPath))

	o, err := suite.LoadResults(oldPath)
	require.NoError(t, err)
	n, err := suite.LoadResults(newPath)
	require.NoError(t, err)
	assert.Equal(t, old.Rows[0].NSPerItem, o.Rows[0].NSPerItem, "round trip through JSON")

	var b bytes.Buffer
	require.NoError(t, suite.WriteComparison(&b, o, n, "old.json"))
	out := b.String()
	assert.Contains(t, out, "| spsc | handoff | 2 | 50.0 | 25.0 | 2.00× |", "twice as fast now")
	assert.Contains(t, out, "| spsc | chan | 2 | 100 | 100 | 1.00× |")
	assert.Contains(t, out, "Not in old.json: spsc/mutex+cond")
}

func TestLoadResultsBad(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(p, []byte("{not json"), 0o644))
	_, err := suite.LoadResults(p)
	assert.ErrorContains(t, err, "bad.json")
	_, err = suite.LoadResults(filepath.Join(dir, "missing.json"))
	assert.Error(t, err)
}

func TestMultiProcsColumn(t *testing.T) {
	res := synthetic(25, 100)
	extra := res.Rows[0]
	extra.Procs = 1
	res.Rows = append(res.Rows, extra)
	var b bytes.Buffer
	require.NoError(t, suite.WriteReport(&b, res))
	assert.True(t, strings.Contains(b.String(), "| scenario | implementation | P | ns/item"))
}
