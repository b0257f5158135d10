package suite

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// FormatNS formats a time in ns with about three significant digits.
func FormatNS(ns float64) string {
	switch {
	case math.IsNaN(ns) || ns < 0:
		return "—"
	case ns < 10:
		return strconv.FormatFloat(ns, 'f', 2, 64)
	case ns < 100:
		return strconv.FormatFloat(ns, 'f', 1, 64)
	default:
		return strconv.FormatFloat(ns, 'f', 0, 64)
	}
}

// FormatRate formats a rate per second with an SI suffix: 81.3M, 950k.
func FormatRate(perSec float64) string {
	if math.IsNaN(perSec) || perSec <= 0 {
		return "—"
	}
	units := []struct {
		div    float64
		suffix string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1, ""}}
	for _, u := range units {
		if perSec >= u.div {
			v := perSec / u.div
			switch {
			case v < 10:
				return strconv.FormatFloat(v, 'f', 2, 64) + u.suffix
			case v < 100:
				return strconv.FormatFloat(v, 'f', 1, 64) + u.suffix
			default:
				return strconv.FormatFloat(v, 'f', 0, 64) + u.suffix
			}
		}
	}
	return strconv.FormatFloat(perSec, 'f', 2, 64)
}

// FormatAllocs formats allocations per item with two decimals.
func FormatAllocs(a float64) string {
	if math.IsNaN(a) {
		return "—"
	}
	return strconv.FormatFloat(a, 'f', 2, 64)
}

// FormatRatio formats a ratio as "3.10×"; "—" when there is none.
func FormatRatio(r *float64) string {
	if r == nil || math.IsNaN(*r) {
		return "—"
	}
	return strconv.FormatFloat(*r, 'f', 2, 64) + "×"
}

// reportGroup is one scenario's rows, with its definition.
type reportGroup struct {
	sc   Scenario
	rows []Row
}

// groups orders res's rows by scenario, in Scenarios order; scenarios
// unknown to this build (an older results.json) come last as channel
// scenarios.
func groups(res *Results) []reportGroup {
	by := map[string][]Row{}
	for _, r := range res.Rows {
		by[r.Scenario] = append(by[r.Scenario], r)
	}
	var out []reportGroup
	for _, sc := range Scenarios() {
		if rows, ok := by[sc.Name]; ok {
			out = append(out, reportGroup{sc, rows})
			delete(by, sc.Name)
		}
	}
	for _, name := range res.ScenariosIn() {
		if rows, ok := by[name]; ok {
			out = append(out, reportGroup{Scenario{Name: name, Kind: Channel, Title: name, Unit: rows[0].Unit}, rows})
		}
	}
	return out
}

// multiProcs reports whether res has rows at more than one GOMAXPROCS.
func multiProcs(res *Results) bool {
	for _, r := range res.Rows {
		if r.Procs != res.Rows[0].Procs {
			return true
		}
	}
	return false
}

// table writes a Markdown table.
func table(w io.Writer, header []string, right []bool, rows [][]string) {
	fmt.Fprintf(w, "| %s |\n", strings.Join(header, " | "))
	seps := make([]string, len(header))
	for i := range seps {
		seps[i] = "---"
		if right[i] {
			seps[i] = "---:"
		}
	}
	fmt.Fprintf(w, "|%s|\n", strings.Join(seps, "|"))
	for _, r := range rows {
		fmt.Fprintf(w, "| %s |\n", strings.Join(r, " | "))
	}
}

// FormatSpread formats the fastest and slowest sample of r as "lo–hi"
// ns per item; "—" with fewer than two samples.
func FormatSpread(r Row) string {
	if len(r.Samples) < 2 {
		return "—"
	}
	lo, hi := r.Spread()
	return FormatNS(lo) + "–" + FormatNS(hi)
}

// FormatRatioSpread formats the lowest and highest per-repetition ratio of
// r as "1.90–2.40×"; "—" when there is no range.
func FormatRatioSpread(r Row) string {
	if r.RatioLo == nil || r.RatioHi == nil {
		return "—"
	}
	return strconv.FormatFloat(*r.RatioLo, 'f', 2, 64) + "–" + strconv.FormatFloat(*r.RatioHi, 'f', 2, 64) + "×"
}

// isHandoff reports whether a row measures handoff itself (not a peer).
func isHandoff(r Row) bool { return strings.HasPrefix(r.Impl, "handoff") }

// WriteReport writes the Markdown report of res: first what a user
// choosing a channel compares (handoff against chan at a glance, every
// implementation, the idle cost), then the experiments on the ownership
// protocol.
func WriteReport(w io.Writer, res *Results) error {
	var b bytes.Buffer
	m := res.Machine
	fmt.Fprintf(&b, "# handoff benchmark report\n\n")
	cpu := m.CPU
	if m.CPUFamily != "" {
		cpu += " (" + m.CPUFamily + ")"
	}
	fmt.Fprintf(&b, "%s, %d cores, %s %s/%s, %s. Flags: -duration %s -reps %d -scenarios %s -procs %s",
		cpu, m.Cores, m.GoVersion, m.OS, m.Arch, res.Date.Format("2006-01-02 15:04 UTC"),
		res.Flags.Duration, res.Flags.Reps, strings.Join(res.Flags.Scenarios, ","), joinInts(res.Flags.Procs))
	if res.Flags.Smoke {
		b.WriteString(" (smoke: the numbers mean nothing)")
	}
	b.WriteString(".\n\n")
	b.WriteString(res.Load.loadLine() + "\n\n")
	fmt.Fprintf(&b, "Every figure is the median of %d samples; each sample of a case moves the same number of "+
		"items, calibrated so that one sample lasts about -duration. \"spread\" is the fastest and the "+
		"slowest sample. ", res.Flags.Reps)
	if res.Flags.Interleaved {
		b.WriteString("The cases are interleaved: each repetition measures every case once, so the samples " +
			"compared with each other were taken moments apart. A ratio is the median of the " +
			"per-repetition ratios (the baseline's time over the row's: above 1, the row is faster), " +
			"and its spread the lowest and highest of them.\n")
	} else {
		b.WriteString("Ratios are the baseline's time over the row's (above 1: the row is faster); " +
			"this run took all samples of a case back to back.\n")
	}

	multi := multiProcs(res)
	gs := groups(res)
	writeTargets(&b, res, multi)
	writeGlance(&b, gs, multi)
	writeChannels(&b, gs, multi)
	writeIdle(&b, gs, multi)
	writeExperiments(&b, gs, multi)
	_, err := w.Write(b.Bytes())
	return err
}

// writeTargets writes the design's targets, each with what this run
// measured of it and whether it met it.
func writeTargets(b *bytes.Buffer, res *Results, multi bool) {
	procs := res.Flags.Procs
	if len(procs) == 0 { // an older results.json
		procs = []int{res.Machine.GOMAXPROCS}
	}
	var rows [][]string
	for _, p := range procs {
		for _, t := range Targets() {
			row := []string{t.What, t.Peer, t.Goal}
			if multi {
				row = append(row, strconv.Itoa(p))
			}
			j, ok, why := t.judge(res, p)
			if !ok {
				row = append(row, "—", "—", "not measured: "+why)
			} else {
				spread := "—"
				if !math.IsNaN(j.Lo) {
					spread = j.Format(j.Lo) + " – " + j.Format(j.Hi)
				}
				row = append(row, j.Format(j.Median), spread, j.Status())
			}
			rows = append(rows, row)
		}
	}
	fmt.Fprintf(b, "\n## Targets (%s)\n\n", res.Machine.CPU)
	b.WriteString("The design's performance targets, judged by this run's medians on this CPU; the spread is the " +
		"lowest and highest per-repetition value, and \"borderline\" means it straddles the target " +
		"(one repetition alone would have judged otherwise). A ratio measured on one CPU is not a fact " +
		"about another.\n\n")
	header := []string{"target", "against", "goal"}
	if multi {
		header = append(header, "P")
	}
	header = append(header, "measured", "spread", "status")
	right := rightCols(len(header), len(header)-3)
	right[len(right)-1] = false
	table(b, header, right, rows)
}

// writeGlance writes one line per handoff row of the channel scenarios,
// beside the chan row it is compared with.
func writeGlance(b *bytes.Buffer, gs []reportGroup, multi bool) {
	var rows [][]string
	for _, g := range gs {
		if g.sc.Kind != Channel {
			continue
		}
		base := map[[2]float64]Row{}
		for _, r := range g.rows {
			if r.Baseline {
				base[[2]float64{float64(r.Procs), r.Param}] = r
			}
		}
		for _, r := range g.rows {
			if !isHandoff(r) {
				continue
			}
			row := []string{g.sc.Name, r.Impl}
			if multi {
				row = append(row, strconv.Itoa(r.Procs))
			}
			row = append(row, FormatNS(r.NSPerItem), FormatSpread(r))
			if c, ok := base[[2]float64{float64(r.Procs), r.Param}]; ok {
				row = append(row, FormatNS(c.NSPerItem), FormatSpread(c), FormatRatio(r.Ratio), FormatRatioSpread(r))
			} else {
				row = append(row, "—", "—", "—", "—")
			}
			rows = append(rows, row)
		}
	}
	if len(rows) == 0 {
		return
	}
	b.WriteString("\n## handoff against chan, at a glance\n\n")
	b.WriteString("Time per item (per round trip for pingpong, per buffer round for ownership, aggregate " +
		"over all pairs for pairs), handoff's and a buffered chan's in the same run; " +
		"\"vs chan\" above 1 means handoff is faster.\n\n")
	header := []string{"scenario", "case"}
	if multi {
		header = append(header, "P")
	}
	header = append(header, "ns/item", "spread", "chan ns/item", "chan spread", "vs chan", "vs chan spread")
	table(b, header, rightCols(len(header), 2), rows)
}

// writeChannels writes every implementation of the channel scenarios and
// the scenarios' notes.
func writeChannels(b *bytes.Buffer, gs []reportGroup, multi bool) {
	var rows [][]string
	var notes []string
	for _, g := range gs {
		if g.sc.Kind != Channel {
			continue
		}
		for _, r := range g.rows {
			row := []string{g.sc.Name, r.Impl}
			if multi {
				row = append(row, strconv.Itoa(r.Procs))
			}
			row = append(row, FormatNS(r.NSPerItem), FormatSpread(r), FormatRate(r.ItemsPerSec),
				FormatAllocs(r.AllocsPerItem), FormatRatio(r.Ratio), FormatRatioSpread(r))
			rows = append(rows, row)
		}
		if g.sc.Notes != nil {
			for _, procRows := range byProcs(g.rows) {
				for _, n := range g.sc.Notes(procRows) {
					if multi {
						n = fmt.Sprintf("%s (P=%d)", n, procRows[0].Procs)
					}
					notes = append(notes, fmt.Sprintf("- %s: %s", g.sc.Name, n))
				}
			}
		}
	}
	if len(rows) == 0 {
		return
	}
	b.WriteString("\n## Channels: every implementation\n\n")
	b.WriteString("The peers: a buffered chan, xsync's SPSCQueueOf and MPMCQueueOf (they cannot block, so " +
		"their waiters spin with runtime.Gosched), and a sync.Mutex+sync.Cond bounded queue. " +
		"\"vs chan\" is chan's time over the row's, at the same N for pairs and P for fanin.\n\n")
	header := []string{"scenario", "implementation"}
	if multi {
		header = append(header, "P")
	}
	header = append(header, "ns/item", "spread", "items/s", "allocs/item", "vs chan", "vs chan spread")
	table(b, header, rightCols(len(header), 2), rows)
	if len(notes) > 0 {
		b.WriteString("\n" + strings.Join(notes, "\n") + "\n")
	}
}

// writeIdle writes the idle-cost scenarios.
func writeIdle(b *bytes.Buffer, gs []reportGroup, multi bool) {
	for _, g := range gs {
		if g.sc.Kind != Idle {
			continue
		}
		fmt.Fprintf(b, "\n## %s (%s)\n\n%s\n\n", g.sc.Title, g.sc.Name, g.sc.About)
		header := []string{"implementation"}
		if multi {
			header = append(header, "P")
		}
		header = append(header, "CPU %", "window")
		var rows [][]string
		for _, r := range g.rows {
			row := []string{r.Impl}
			if multi {
				row = append(row, strconv.Itoa(r.Procs))
			}
			cpu := "n/a"
			if v, ok := r.Metrics[MetricCPUPercent]; ok {
				cpu = strconv.FormatFloat(v, 'f', 1, 64)
			}
			row = append(row, cpu, FormatNS(r.NSPerItem/1e6)+" ms")
			rows = append(rows, row)
		}
		table(b, header, rightCols(len(header), 1), rows)
		if g.sc.Notes != nil {
			var notes []string
			for _, procRows := range byProcs(g.rows) {
				for _, n := range g.sc.Notes(procRows) {
					if multi {
						n = fmt.Sprintf("%s (P=%d)", n, procRows[0].Procs)
					}
					notes = append(notes, "- "+n)
				}
			}
			if len(notes) > 0 {
				b.WriteString("\n" + strings.Join(notes, "\n") + "\n")
			}
		}
	}
}

// writeExperiments writes the experiments, each with its paragraph.
func writeExperiments(b *bytes.Buffer, gs []reportGroup, multi bool) {
	first := true
	for _, g := range gs {
		if g.sc.Kind != Experiment {
			continue
		}
		if first {
			b.WriteString("\n## Experiments: what the ownership protocol costs\n\n")
			b.WriteString("E1-E4 measure the protocol itself rather than a channel: the check on every " +
				"access, transfer against steal, the re-claims a steal causes, and read-mostly data. " +
				"docs/design.md explains the protocol. -scenarios channels leaves them out; " +
				"-scenarios experiments runs only them.\n")
			first = false
		}
		fmt.Fprintf(b, "\n### %s (%s)\n\n%s\n\n", g.sc.Title, g.sc.Name, g.sc.About)
		u := g.sc.Unit
		header := []string{"case"}
		if multi {
			header = append(header, "P")
		}
		header = append(header, "ns/"+u, "spread", u+"s/s", "allocs/"+u)
		if g.sc.Baseline != "" {
			header = append(header, "vs "+g.sc.Baseline, "spread")
		}
		var rows [][]string
		for _, r := range g.rows {
			row := []string{r.Impl}
			if multi {
				row = append(row, strconv.Itoa(r.Procs))
			}
			row = append(row, FormatNS(r.NSPerItem), FormatSpread(r), FormatRate(r.ItemsPerSec), FormatAllocs(r.AllocsPerItem))
			if g.sc.Baseline != "" {
				row = append(row, FormatRatio(r.Ratio), FormatRatioSpread(r))
			}
			rows = append(rows, row)
		}
		table(b, header, rightCols(len(header), 1), rows)
		if g.sc.Notes != nil {
			var notes []string
			for _, procRows := range byProcs(g.rows) {
				for _, n := range g.sc.Notes(procRows) {
					if multi {
						n = fmt.Sprintf("%s (P=%d)", n, procRows[0].Procs)
					}
					notes = append(notes, "- "+n)
				}
			}
			if len(notes) > 0 {
				b.WriteString("\n" + strings.Join(notes, "\n") + "\n")
			}
		}
	}
}

// WriteComparison writes a table of this run against an older one: for
// every row present in both, old ns / new ns (above 1: faster now).
func WriteComparison(w io.Writer, old, cur *Results, oldName string) error {
	var b bytes.Buffer
	type key struct {
		scenario, impl string
		procs          int
	}
	prev := map[key]Row{}
	for _, r := range old.Rows {
		prev[key{r.Scenario, r.Impl, r.Procs}] = r
	}
	fmt.Fprintf(&b, "\n## Compared with %s (%s)\n\n", oldName, old.Date.Format("2006-01-02 15:04 UTC"))
	b.WriteString("\"new vs old\" is the old time over the new (above 1: faster now).\n\n")
	var rows [][]string
	var missing []string
	for _, r := range cur.Rows {
		o, ok := prev[key{r.Scenario, r.Impl, r.Procs}]
		if !ok {
			missing = append(missing, r.Scenario+"/"+r.Impl)
			continue
		}
		x := Ratio(o.NSPerItem, r.NSPerItem)
		rows = append(rows, []string{r.Scenario, r.Impl, strconv.Itoa(r.Procs),
			FormatNS(o.NSPerItem), FormatNS(r.NSPerItem), FormatRatio(&x)})
	}
	table(&b, []string{"scenario", "implementation", "P", "old ns/item", "new ns/item", "new vs old"},
		rightCols(6, 2), rows)
	if len(missing) > 0 {
		fmt.Fprintf(&b, "\nNot in %s: %s\n", oldName, strings.Join(missing, ", "))
	}
	_, err := w.Write(b.Bytes())
	return err
}

// byProcs splits rows by GOMAXPROCS, in first-seen order.
func byProcs(rows []Row) [][]Row {
	var order []int
	by := map[int][]Row{}
	for _, r := range rows {
		if _, ok := by[r.Procs]; !ok {
			order = append(order, r.Procs)
		}
		by[r.Procs] = append(by[r.Procs], r)
	}
	var out [][]Row
	for _, p := range order {
		out = append(out, by[p])
	}
	return out
}

func rightCols(n, fromCol int) []bool {
	r := make([]bool, n)
	for i := fromCol; i < n; i++ {
		r[i] = true
	}
	return r
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(slices.Clip(s), ",")
}
