package suite

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Config is what the command line asks for.
type Config struct {
	Duration  time.Duration // target length of one sample
	Reps      int           // samples per case; the report shows the median
	Scenarios []string      // names or globs
	Procs     []int         // GOMAXPROCS values, each a full pass
	Out       string        // output folder
	Smoke     bool          // tiny durations, every scenario (CI)
	Compare   string        // previous results.json to compare against
	From      string        // saved results.json to report again, measuring nothing
}

// Smoke-mode settings.
const (
	smokeDuration = time.Millisecond
	smokeReps     = 1
)

// DefaultConfig is the configuration of a bare run: the channels group
// (handoff beside chan and its peers), about a minute on 2 cores (76 s on
// the AMD EPYC VM, a third of it the sieve and stages cases, whose samples
// are one whole sieve or pipeline however short -duration is). The experiments
// group takes about as long again: -scenarios '*' runs both.
func DefaultConfig() Config {
	return Config{
		Duration:  100 * time.Millisecond,
		Reps:      5,
		Scenarios: []string{"channels"},
		Procs:     []int{runtime.GOMAXPROCS(0)},
		Out:       "bench-out",
	}
}

// ErrUsage wraps every flag error: the command prints usage and exits 2.
var ErrUsage = errors.New("usage")

// usageText is the head of the command's usage message, in the form every
// command of this repository uses ("usage: NAME [flags]", what it does,
// "flags:").
const usageText = `usage: handoffbench [flags]

Measures handoff channels side by side with a buffered chan, xsync's queues,
a mutex+cond queue and, where g++ and boost's headers are installed, C++
boost::lockfree::spsc_queue (the channels group, the default), and the cost
experiments of the ownership protocol (the experiments group: -scenarios
experiments, or '*' for both). The Markdown report goes to stdout;
results.json, report.md and the charts (SVG and PNG) to -out.

flags:
`

// ParseFlags parses the command line (without the program name). Usage and
// errors go to stderr, as "handoffbench: message" followed by the usage.
// -h gives flag.ErrHelp; any bad input an error wrapping ErrUsage.
func ParseFlags(args []string, stderr io.Writer) (Config, error) {
	cfg := DefaultConfig()
	fs := flag.NewFlagSet("handoffbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.DurationVar(&cfg.Duration, "duration", cfg.Duration, "target `length` of one sample")
	fs.IntVar(&cfg.Reps, "reps", cfg.Reps, "samples per case; the report shows the median and the spread")
	scen := fs.String("scenarios", strings.Join(cfg.Scenarios, ","), "comma-separated scenario `names`, globs or groups:\n"+scenarioHelp())
	procs := fs.String("procs", strconv.Itoa(runtime.GOMAXPROCS(0)), "comma-separated GOMAXPROCS `values`, one full pass each")
	fs.StringVar(&cfg.Out, "out", cfg.Out, "output `folder` for results.json, report.md and the charts")
	fs.BoolVar(&cfg.Smoke, "smoke", false, fmt.Sprintf("smoke test for CI: every scenario, -duration %v, -reps %d", smokeDuration, smokeReps))
	fs.StringVar(&cfg.Compare, "compare", "", "a previous `results.json`: print ratios between it and this run")
	fs.StringVar(&cfg.From, "from", "", "a saved `results.json`: write its report and charts again, measuring nothing")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageText)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, err
		}
		return cfg, fmt.Errorf("%w: %v", ErrUsage, err) // the flag package printed it
	}
	fail := func(format string, a ...any) (Config, error) {
		msg := fmt.Sprintf(format, a...)
		fmt.Fprintf(stderr, "handoffbench: %s\n", msg)
		fs.Usage()
		return cfg, fmt.Errorf("%w: %s", ErrUsage, msg)
	}
	if fs.NArg() > 0 {
		return fail("unexpected arguments %q", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if cfg.From != "" {
		for _, f := range []string{"duration", "reps", "scenarios", "procs", "smoke"} {
			if set[f] {
				return fail("-from reports a saved run; -%s would not apply", f)
			}
		}
	}
	if cfg.Smoke {
		if set["duration"] || set["reps"] {
			return fail("-smoke sets -duration and -reps itself")
		}
		cfg.Duration, cfg.Reps = smokeDuration, smokeReps
		if !set["scenarios"] {
			*scen = "*" // every scenario, unless told otherwise
		}
	}
	if cfg.Duration <= 0 {
		return fail("-duration must be positive, got %v", cfg.Duration)
	}
	if cfg.Reps < 1 || cfg.Reps > 1000 {
		return fail("-reps must be between 1 and 1000, got %d", cfg.Reps)
	}
	if cfg.Out == "" {
		return fail("-out must not be empty")
	}
	cfg.Scenarios = splitList(*scen)
	if len(cfg.Scenarios) == 0 {
		return fail("-scenarios: empty list")
	}
	if _, err := SelectScenarios(cfg.Scenarios); err != nil {
		return fail("-scenarios: %v", err)
	}
	cfg.Procs = nil
	for _, p := range splitList(*procs) {
		v, err := strconv.Atoi(p)
		if err != nil || v < 1 || v > 4096 {
			return fail("-procs: %q is not a GOMAXPROCS value (1..4096)", p)
		}
		cfg.Procs = append(cfg.Procs, v)
	}
	if len(cfg.Procs) == 0 {
		return fail("-procs: empty list")
	}
	return cfg, nil
}

// splitList splits a comma-separated list, dropping spaces around items;
// empty items are kept (and rejected by the callers).
func splitList(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}
