package suite

import (
	"fmt"
	"runtime"
	"time"
)

// Run measures every case of the selected scenarios at every GOMAXPROCS
// value of cfg and returns the results, ratios filled in.
func Run(cfg Config, prog Progress) (*Results, error) {
	if prog == nil {
		prog = NoProgress{}
	}
	scenarios, err := SelectScenarios(cfg.Scenarios)
	if err != nil {
		return nil, err
	}
	res := &Results{
		Machine: thisMachine(),
		Date:    time.Now().UTC().Truncate(time.Second),
		Flags: Flags{Duration: cfg.Duration.String(), Reps: cfg.Reps, Scenarios: cfg.Scenarios,
			Procs: cfg.Procs, Smoke: cfg.Smoke},
	}
	type job struct {
		procs int
		sc    Scenario
		c     Case
	}
	var jobs []job
	for _, p := range cfg.Procs {
		env := Env{Procs: p, NumCPU: runtime.NumCPU(), Duration: cfg.Duration, Smoke: cfg.Smoke}
		for _, sc := range scenarios {
			for _, c := range sc.Cases(env) {
				jobs = append(jobs, job{p, sc, c})
			}
		}
	}
	steps := 0
	for _, j := range jobs {
		steps += 1 + repsFor(j.c, cfg)
	}
	prog.Begin(steps)
	defer prog.End()

	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	for _, j := range jobs {
		runtime.GOMAXPROCS(j.procs)
		row, err := runCase(j.c, j.sc, j.procs, cfg, prog)
		if err != nil {
			return nil, err
		}
		prog.CaseDone(row)
		res.Rows = append(res.Rows, row)
	}
	res.computeRatios()
	return res, nil
}

// runCase calibrates c and takes cfg.Reps samples.
func runCase(c Case, sc Scenario, procs int, cfg Config, prog Progress) (Row, error) {
	label := fmt.Sprintf("%s/%s", c.Scenario, c.Impl)
	n, err := calibrate(&c, cfg.Duration)
	if err != nil {
		return Row{}, err
	}
	prog.Step(label)
	series := c.Series
	if series == "" {
		series = c.Impl
	}
	row := Row{Scenario: c.Scenario, Impl: c.Impl, Series: series, Param: c.Param, Procs: procs,
		Unit: sc.Unit, Baseline: c.Baseline, Items: n}
	for range repsFor(c, cfg) {
		s, err := measure(&c, n)
		if err != nil {
			return Row{}, err
		}
		row.Samples = append(row.Samples, s)
		prog.Step(label)
	}
	row.summarize()
	return row, nil
}

// repsFor is the number of samples to take of c.
func repsFor(c Case, cfg Config) int {
	if c.OneSample {
		return 1
	}
	return cfg.Reps
}
