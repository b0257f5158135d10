package suite

import (
	"fmt"
	"runtime"
	"time"
)

// Run measures every case of the selected scenarios at every GOMAXPROCS
// value of cfg and returns the results, ratios filled in.
//
// The cases are interleaved: first every case is calibrated, then each of
// cfg.Reps repetitions measures every case once, so that the samples of
// two cases compared with each other are taken moments apart, and a
// disturbance of the machine (another process, a hypervisor's steal, a
// thermal change) that lasts a while falls on both rather than on all
// samples of one. Each repetition starts one case further down the list,
// so that no case always runs first, or right after the same other case.
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
			Procs: cfg.Procs, Smoke: cfg.Smoke, Interleaved: true},
	}
	res.Load.LoadAvgStart = loadAverage()
	type job struct {
		procs int
		sc    Scenario
		c     Case
		n     int // items per sample, from calibration
		row   Row
	}
	var jobs []job
	for _, p := range cfg.Procs {
		env := Env{Procs: p, NumCPU: runtime.NumCPU(), Duration: cfg.Duration, Smoke: cfg.Smoke}
		for _, sc := range scenarios {
			for _, c := range sc.Cases(env) {
				jobs = append(jobs, job{procs: p, sc: sc, c: c})
			}
		}
	}
	steps, reps := 0, 0
	for _, j := range jobs {
		steps += 1 + repsFor(j.c, cfg)
		reps = max(reps, repsFor(j.c, cfg))
	}
	prog.Begin(steps)
	defer prog.End()

	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	label := func(j *job) string { return fmt.Sprintf("%s/%s", j.c.Scenario, j.c.Impl) }

	// Pass 1: calibrate every case (its item count per sample).
	for i := range jobs {
		j := &jobs[i]
		runtime.GOMAXPROCS(j.procs)
		n, err := calibrate(&j.c, cfg.Duration)
		if err != nil {
			return nil, err
		}
		series := j.c.Series
		if series == "" {
			series = j.c.Impl
		}
		j.n = n
		j.row = Row{Scenario: j.c.Scenario, Impl: j.c.Impl, Series: series, Param: j.c.Param, Procs: j.procs,
			Unit: j.sc.Unit, Baseline: j.c.Baseline, Items: n}
		prog.Step(label(j))
	}

	// Pass 2: the repetitions, each measuring every case once.
	loadMeasured := true
	for rep := range reps {
		for k := range jobs {
			j := &jobs[(k+rep)%len(jobs)]
			if rep >= repsFor(j.c, cfg) {
				continue
			}
			runtime.GOMAXPROCS(j.procs)
			before := takeCPUSnapshot()
			s, err := measure(&j.c, j.n)
			if err != nil {
				return nil, err
			}
			share, ok := othersShare(before, takeCPUSnapshot(), runtime.NumCPU())
			s.OthersCPU = share
			loadMeasured = loadMeasured && ok
			j.row.Samples = append(j.row.Samples, s)
			prog.Step(label(j))
		}
		prog.RepDone(rep+1, reps)
	}
	for i := range jobs {
		jobs[i].row.summarize()
		prog.CaseDone(jobs[i].row)
		res.Rows = append(res.Rows, jobs[i].row)
	}
	res.Load.LoadAvgEnd = loadAverage()
	res.summarizeLoad(loadMeasured)
	res.computeRatios()
	return res, nil
}

// repsFor is the number of samples to take of c.
func repsFor(c Case, cfg Config) int {
	if c.OneSample {
		return 1
	}
	return cfg.Reps
}
