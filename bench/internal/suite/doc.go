// Package suite is the comparison command behind bench/cmd/handoffbench
// (the README's first quick-start command). It is internal to the bench
// module: the library's users import none of it, and none of its
// dependencies (gonum's plotting stack) reach their builds.
//
// It runs handoff channels side by side with their peers — a buffered
// chan, xsync's SPSC and MPMC queues (waiting by runtime.Gosched spin, the
// only wait they offer), and a sync.Mutex+sync.Cond bounded queue
// (CondQueue) — then four experiments on the cost of the ownership
// protocol itself (E1-E4), and writes a Markdown report, results.json and
// the charts.
//
// # Timing
//
// The harness uses its own timing loop, not testing.Benchmark: every case
// is a function Run(t *Timer, n int) that moves exactly n items (ops,
// objects, reads) and brackets the part to time with t.Start and t.Stop, so
// setup (making channels, starting goroutines, adopting objects) stays out
// of the sample. Every case is first calibrated: it is run with a growing
// n until one run lasts at least a quarter of -duration, and n is then
// fixed so that a sample lasts about -duration. Then come -reps
// repetitions, each of which measures every case once (the cases are
// interleaved, each repetition starting one case further down the list),
// so that two cases compared with each other are sampled moments apart
// and a disturbance that lasts a while hits both, not all samples of one.
// Every sample of a case moves the same n items; the report shows the
// median and the spread (fastest and slowest sample), and every ratio is
// the median of the per-repetition ratios with their lowest and highest.
// A fixed item count per sample keeps samples comparable with each other
// and with a previous run (-compare), which testing.Benchmark's own
// auto-scaling does not.
//
// # Trust
//
// Around every sample the command reads how much CPU time other processes
// took (/proc/stat against getrusage, see load.go), and the report opens
// with a warning when they took more than 10% of the machine over the
// samples, or more than half of it during one. It then judges the
// project's performance targets (targets.go, their home in the
// repository) against this run: met, missed, or borderline when the
// spread straddles the target, and names the CPU they were judged on.
//
// Allocations are counted with runtime.ReadMemStats (Mallocs) from the
// first Start to the end of the run, so allocs/item is exact for cases
// whose teardown does not allocate; the handoff loops must read 0.00.
// Timed loops never box values in interfaces: each implementation's loop
// is written out with its concrete types.
//
// # Scenarios
//
// The channels group (ns per item, ratio to buffered chan = chan ns / impl
// ns, so above 1 means faster than chan): spsc, batch16, batch64,
// batch256, pingpong, pairs, fanin, ownership; idlecpu reports the process
// CPU time (getrusage) burned while one receiver is blocked for about a
// second. The experiments group: e1-tax, e2-transfer-steal, e3-resteal,
// e4-readonly; each prints a paragraph that says what its numbers mean.
//
// # The report
//
// The report opens with the machine, the load and the targets, then what a
// user choosing a channel compares: handoff against chan at a glance, then
// every implementation, then the idle cost. The experiments come last.
// Every figure is a median with its spread, every ratio too.
//
// # The command
//
//	usage: handoffbench [-duration 100ms] [-reps 5] [-scenarios channels|experiments|'*'|'spsc,batch*']
//	    [-procs 1,2] [-out bench-out] [-smoke] [-compare old/results.json] [-from results.json]
//
// It prints the Markdown report on stdout, progress on stderr (a redrawn
// line on a terminal, a line per case otherwise), and writes results.json
// (machine, flags, every sample), report.md and the charts, each as SVG
// and PNG (see WriteCharts), into -out. -from writes the report and the
// charts of a saved results.json again, measuring nothing. Bad flags print
// "handoffbench: what is wrong", the usage, and exit 2. The defaults (the
// channels group) take about a minute on 2 cores (76 s on the AMD EPYC VM),
// '*' about three; -smoke (CI, every scenario) a few seconds plus the
// build.
// bench/check-output.sh OUTDIR (or go run ./bench/cmd/benchcheck OUTDIR)
// validates an output folder.
//
// To add a scenario, write scenario_NAME.go with a constructor returning a
// Scenario and add it to the list in Scenarios (scenario.go).
package suite
