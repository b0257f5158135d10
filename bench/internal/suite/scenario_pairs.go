package suite

import (
	"fmt"
	"strconv"
)

// pairsScenario: N independent producer/consumer pairs at once, N = 1, 2,
// 4, ... up to the number of CPUs; aggregate throughput.
func pairsScenario() Scenario {
	return Scenario{
		Name:     "pairs",
		Kind:     Channel,
		Title:    "N independent pairs, aggregate throughput",
		Unit:     "item",
		Baseline: "chan",
		Notes:    pairsNotes,
		Cases: func(env Env) []Case {
			var cases []Case
			for _, k := range pairCounts(env.NumCPU) {
				k := k
				cases = append(cases,
					Case{Scenario: "pairs", Impl: "handoff N=" + strconv.Itoa(k), Series: "handoff", Param: float64(k),
						MinItems: k, Run: func(t *Timer, n int) { runPipes(t, handoffPipe, k, n) }},
					Case{Scenario: "pairs", Impl: "chan N=" + strconv.Itoa(k), Series: "chan", Param: float64(k), Baseline: true,
						MinItems: k, Run: func(t *Timer, n int) { runPipes(t, chanPipe, k, n) }},
				)
			}
			return cases
		},
	}
}

// pairCounts is 1, 2, 4, ... up to cpus, plus cpus itself.
func pairCounts(cpus int) []int {
	var out []int
	for k := 1; k <= cpus; k *= 2 {
		out = append(out, k)
	}
	if out[len(out)-1] != cpus && cpus > 1 {
		out = append(out, cpus)
	}
	return out
}

// pairsNotes gives each series' scaling factor: aggregate items/s at N
// over items/s at N=1.
func pairsNotes(rows []Row) []string {
	one := map[string]float64{}
	for _, r := range rows {
		if r.Param == 1 {
			one[r.Series] = r.ItemsPerSec
		}
	}
	var notes []string
	for _, r := range rows {
		if r.Param > 1 && one[r.Series] > 0 {
			notes = append(notes, fmt.Sprintf("scaling %s N=%g: %.2f× the N=1 throughput (ideal %g×)",
				r.Series, r.Param, r.ItemsPerSec/one[r.Series], r.Param))
		}
	}
	return notes
}
