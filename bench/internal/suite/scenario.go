package suite

import (
	"fmt"
	"path"
	"strings"
	"time"
)

// Kind says how a scenario is reported.
type Kind int

const (
	// Channel scenarios go in the main table, with a ratio to buffered chan.
	Channel Kind = iota
	// Idle scenarios report the CPU burned by a blocked receiver.
	Idle
	// Experiment scenarios get their own table and paragraph.
	Experiment
)

// Env is what a scenario may adapt its cases to.
type Env struct {
	Procs    int           // GOMAXPROCS for this pass
	NumCPU   int           // runtime.NumCPU()
	Duration time.Duration // target length of one sample
	Smoke    bool          // tiny run for CI: keep fixed-length waits short
}

// idleWindow is how long idlecpu keeps its receiver blocked.
func (e Env) idleWindow() time.Duration {
	if e.Smoke {
		return 20 * time.Millisecond
	}
	return min(max(7*e.Duration, 20*time.Millisecond), time.Second)
}

// Case is one row: one implementation (or parameter value) of a scenario.
type Case struct {
	Scenario string
	Impl     string  // row label
	Series   string  // chart series (defaults to Impl)
	Param    float64 // chart x value (pairs N, E2 interval in µs, E3 N); 0 if none
	Baseline bool    // the row the scenario's ratios are taken against
	// MinItems is the smallest item count worth a sample (a whole round);
	// FixedItems, when set, skips calibration (idlecpu).
	MinItems, FixedItems int
	// OneSample takes a single sample whatever -reps says (idlecpu, whose
	// sample is a fixed wait, not a speed).
	OneSample bool
	// Run moves exactly n items, timing the moving part with t.
	Run func(t *Timer, n int)
}

// Scenario is a named group of cases.
type Scenario struct {
	Name     string
	Kind     Kind
	Title    string // heading in the report
	Unit     string // what one "item" is: item, round trip, op, object, read
	Baseline string // label of the baseline row ("chan", "sync.Mutex", ...)
	About    string // paragraph printed with the results
	// Notes derives extra report lines from the rows of one pass (pairs'
	// scaling factors, ownership's on/off overhead); may be nil.
	Notes func(rows []Row) []string
	Cases func(env Env) []Case
}

// Scenarios lists every scenario in report order. To add one, write its
// constructor in scenario_NAME.go and list it here.
func Scenarios() []Scenario {
	return []Scenario{
		spscScenario(),
		batchScenario(16),
		batchScenario(64),
		batchScenario(256),
		pingPongScenario(),
		pingPong0Scenario(),
		selectSendScenario(),
		pairsScenario(),
		faninScenario(),
		fanoutScenario(),
		mpmcScenario(),
		sieveScenario(),
		stagesScenario(),
		makeScenario(),
		ownershipScenario(),
		idleCPUScenario(),
		taxScenario(),
		transferStealScenario(),
		restealScenario(),
		readOnlyScenario(),
		thawScenario(),
		stealManyScenario(),
		regionScenario(),
	}
}

// ScenarioNames returns the names of Scenarios, in order.
func ScenarioNames() []string {
	var names []string
	for _, s := range Scenarios() {
		names = append(names, s.Name)
	}
	return names
}

// Groups name sets of scenarios for -scenarios: what a user choosing a
// channel compares (throughput, latency and idle cost against chan and the
// peers), and the cost experiments of the ownership protocol.
var Groups = map[string]Kind{
	"channels":    Channel, // and Idle
	"experiments": Experiment,
}

// inGroup reports whether sc belongs to the named group.
func inGroup(group string, sc Scenario) bool {
	k, ok := Groups[group]
	if !ok {
		return false
	}
	if k == Channel {
		return sc.Kind == Channel || sc.Kind == Idle
	}
	return sc.Kind == k
}

// scenarioHelp lists the groups and their scenarios for -h.
func scenarioHelp() string {
	var b strings.Builder
	for _, g := range []string{"channels", "experiments"} {
		var names []string
		for _, sc := range Scenarios() {
			if inGroup(g, sc) {
				names = append(names, sc.Name)
			}
		}
		fmt.Fprintf(&b, "%s: %s\n", g, strings.Join(names, ", "))
	}
	b.WriteString("* runs both groups, channels first")
	return b.String()
}

// SelectScenarios returns the scenarios matching any of the patterns
// (exact names, path.Match globs such as "batch*" or "e?-*", or a group
// of Groups), in report order. Each pattern must match at least one
// scenario.
func SelectScenarios(patterns []string) ([]Scenario, error) {
	all := Scenarios()
	picked := make([]bool, len(all))
	for _, p := range patterns {
		p = strings.TrimSpace(p)
		if p == "" {
			return nil, fmt.Errorf("empty scenario pattern")
		}
		hit := false
		for i, s := range all {
			ok, err := path.Match(p, s.Name)
			if err != nil {
				return nil, fmt.Errorf("bad scenario pattern %q: %w", p, err)
			}
			if ok || inGroup(p, s) {
				picked[i], hit = true, true
			}
		}
		if !hit {
			return nil, fmt.Errorf("no scenario matches %q (groups: channels, experiments; scenarios: %s)",
				p, strings.Join(ScenarioNames(), ", "))
		}
	}
	var out []Scenario
	for i, s := range all {
		if picked[i] {
			out = append(out, s)
		}
	}
	return out, nil
}
