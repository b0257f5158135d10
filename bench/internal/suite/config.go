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
}

// Smoke-mode settings.
const (
	smokeDuration = time.Millisecond
	smokeReps     = 1
)

// DefaultConfig is the configuration of a bare run: about a minute on 2
// cores.
func DefaultConfig() Config {
	return Config{
		Duration:  150 * time.Millisecond,
		Reps:      5,
		Scenarios: []string{"*"},
		Procs:     []int{runtime.GOMAXPROCS(0)},
		Out:       "bench-out",
	}
}

// ErrUsage wraps every flag error: the command prints usage and exits 2.
var ErrUsage = errors.New("bench: usage")

// ParseFlags parses the command line (without the program name). Usage and
// errors go to stderr. -h gives flag.ErrHelp; any bad input an error
// wrapping ErrUsage.
func ParseFlags(args []string, stderr io.Writer) (Config, error) {
	cfg := DefaultConfig()
	fs := flag.NewFlagSet("handoffbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.DurationVar(&cfg.Duration, "duration", cfg.Duration, "target `length` of one sample")
	fs.IntVar(&cfg.Reps, "reps", cfg.Reps, "samples per case; the report shows the median")
	scen := fs.String("scenarios", "*", "comma-separated scenario names or globs ("+strings.Join(ScenarioNames(), ", ")+")")
	procs := fs.String("procs", strconv.Itoa(runtime.GOMAXPROCS(0)), "comma-separated GOMAXPROCS values, one full pass each")
	fs.StringVar(&cfg.Out, "out", cfg.Out, "output `folder` for results.json, report.md and the SVG charts")
	fs.BoolVar(&cfg.Smoke, "smoke", false, fmt.Sprintf("smoke test for CI: every scenario, -duration %v, -reps %d", smokeDuration, smokeReps))
	fs.StringVar(&cfg.Compare, "compare", "", "previous results.json: print ratios between it and this run")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: handoffbench [flags]\n\n"+
			"Runs handoff side by side with chan, xsync and a mutex+cond queue, plus the\n"+
			"seed's cost experiments, and prints a Markdown report on stdout.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, err
		}
		return cfg, fmt.Errorf("%w: %v", ErrUsage, err)
	}
	fail := func(format string, a ...any) (Config, error) {
		err := fmt.Errorf("%w: "+format, append([]any{ErrUsage}, a...)...)
		fmt.Fprintln(stderr, err)
		fs.Usage()
		return cfg, err
	}
	if fs.NArg() > 0 {
		return fail("unexpected arguments %q", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if cfg.Smoke {
		if set["duration"] || set["reps"] {
			return fail("-smoke sets -duration and -reps itself")
		}
		cfg.Duration, cfg.Reps = smokeDuration, smokeReps
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
