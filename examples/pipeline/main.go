// Command pipeline is a parse -> transform -> sink pipeline over handoff
// channels, each stage a goroutine with an ownership.Owner of its own,
// passing owned *Record objects that the sink recycles to the parser over
// a free list:
//
//	parse --parsed--> transform --transformed--> sink
//	  ^                                            |
//	  +------------------- free -------------------+
//
// Every stage checks that it owns a record before touching it. -bug makes
// transform touch a record after sending it: the check turns that into a
// clear ownership.ErrNotOwner error (naming who owns the record) and the
// program exits 1, instead of a silent data race with the sink. At the end
// it prints every channel's counters and verifies the sink's totals
// against the same totals computed without the pipeline.
//
// Usage:
//
//	go run ./examples/pipeline [-records 1000000] [-pool 256] [-cap 64] [-bug]
//	go run ./examples/pipeline -smoke   # 10k records, what CI runs
package main

import (
	"errors"
	"flag"
	"fmt"
	"github.com/handoff-go/handoff"
	"io"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/examples/internal/cli"
	"github.com/handoff-go/handoff/ownership"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	records, pool, capacity int
	seed                    uint64
	bug                     bool
}

// result is what a run of the pipeline did.
type result struct {
	got     total
	elapsed time.Duration
	mallocs uint64 // heap allocations during the run, every goroutine
	chans   []named
}

type named struct {
	name  string
	stats handoff.Stats
}

// runPipeline runs the three stages over in until it is consumed, or
// until a stage fails; every goroutine has exited when it returns.
func runPipeline(in io.Reader, cfg config) (result, error) {
	var res result
	// Named owners: an ownership error says which stage asked and which
	// holds the record.
	parser := ownership.NewNamedOwner("parse")
	transformer := ownership.NewNamedOwner("transform")
	sinker := ownership.NewNamedOwner("sink")
	parsedTx, parsedRx := channel.Make[*Record](cfg.capacity,
		channel.WithSenderOwner(parser), channel.WithReceiverOwner(transformer))
	transformedTx, transformedRx := channel.Make[*Record](cfg.capacity,
		channel.WithSenderOwner(transformer), channel.WithReceiverOwner(sinker))
	freeTx, freeRx := channel.Make[*Record](cfg.pool, // room for every record
		channel.WithSenderOwner(sinker), channel.WithReceiverOwner(parser))

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	var wg sync.WaitGroup
	var parseErr, transformErr, sinkErr error
	wg.Add(3) // one per stage
	go func() { defer wg.Done(); parseErr = parse(in, parser, parsedTx, freeRx, cfg.pool) }()
	go func() { defer wg.Done(); transformErr = transform(transformer, parsedRx, transformedTx, cfg.bug) }()
	go func() { defer wg.Done(); sinkErr = sink(sinker, transformedRx, freeTx, &res.got) }()
	wg.Wait()
	res.elapsed = time.Since(start)
	runtime.ReadMemStats(&after)
	res.mallocs = after.Mallocs - before.Mallocs
	// Every stage has returned: the owners can retire.
	parser.Close()
	transformer.Close()
	sinker.Close()

	res.chans = []named{
		{"parsed", parsedRx.Stats()},
		{"transformed", transformedRx.Stats()},
		{"free", freeRx.Stats()},
	}
	// The first failure is the cause; the others stopped because of it.
	var uas *UseAfterSendError
	switch {
	case errors.As(transformErr, &uas):
		return res, transformErr
	case parseErr != nil && !errors.Is(parseErr, handoff.ErrClosed):
		return res, parseErr
	}
	return res, errors.Join(transformErr, sinkErr, parseErr)
}

// run is the whole program; it returns the exit code: 0 when the sink's
// totals match the expected ones, 1 on a failure (a mismatch, or the
// use-after-send that -bug provokes), 2 for bad flags.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("pipeline", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	fs.IntVar(&cfg.records, "records", 1_000_000, "input lines to push through the pipeline")
	fs.IntVar(&cfg.pool, "pool", 256, "records in circulation (the free list's capacity)")
	fs.IntVar(&cfg.capacity, "cap", 64, "capacity of the parsed and transformed channels")
	fs.Uint64Var(&cfg.seed, "seed", 1, "which generated input")
	fs.BoolVar(&cfg.bug, "bug", false, "make transform use a record after sending it (exits 1 with the ownership error)")
	smoke := fs.Bool("smoke", false, "tiny run for CI: -records 10000, unless set explicitly")
	cli.SetUsage(fs,
		"Push generated records through parse -> transform -> sink goroutines that hand\n"+
			"owned records over handoff channels; verify the totals, print channel stats.")
	if code, ok := cli.Parse(fs, args); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int { return cli.Usage(fs, format, a...) }
	if *smoke {
		set := cli.Set(fs)
		if !set["records"] {
			cfg.records = 10_000
		}
	}
	switch {
	case cfg.records < 0:
		return usageErr("-records must not be negative, got %d", cfg.records)
	case cfg.pool < 1:
		return usageErr("-pool must be at least 1, got %d", cfg.pool)
	case cfg.capacity < 1:
		return usageErr("-cap must be at least 1, got %d", cfg.capacity)
	}

	fmt.Fprintf(stdout, "pipeline: %d records, parse -> transform -> sink, %d records in circulation, channel capacity %d, GOMAXPROCS %d\n",
		cfg.records, cfg.pool, cfg.capacity, runtime.GOMAXPROCS(0))
	res, err := runPipeline(newInput(cfg.records, cfg.seed), cfg)
	printStats(stdout, res)
	if err != nil {
		fmt.Fprintln(stderr, "pipeline:", err)
		return 1
	}
	want := expect(cfg.records, cfg.seed)
	fmt.Fprintf(stdout, "\n%.3fs, %.2f M records/s, %d heap allocations during the run (%d records made once)\n",
		res.elapsed.Seconds(), float64(cfg.records)/1e6/res.elapsed.Seconds(), res.mallocs, min(cfg.pool, cfg.records))
	fmt.Fprintf(stdout, "sink:     %d records, amount %d, checksum %016x\n", res.got.Records, res.got.Sum, res.got.Checksum)
	fmt.Fprintf(stdout, "expected: %d records, amount %d, checksum %016x (computed without the pipeline)\n", want.Records, want.Sum, want.Checksum)
	if res.got != want {
		fmt.Fprintln(stdout, "MISMATCH")
		fmt.Fprintln(stderr, "pipeline: the sink's totals differ from the expected ones")
		return 1
	}
	fmt.Fprintln(stdout, "verified")
	return 0
}

func printStats(w io.Writer, res result) {
	fmt.Fprintf(w, "\n%-12s %9s %9s %12s %7s %10s %10s %10s %10s\n",
		"channel", "sent", "received", "transferred", "stolen", "send-waits", "send-parks", "recv-waits", "recv-parks")
	for _, c := range res.chans {
		s := c.stats
		fmt.Fprintf(w, "%-12s %9d %9d %12d %7d %10d %10d %10d %10d\n",
			c.name, s.Sent, s.Received, s.Transferred, s.Stolen, s.SendWaits, s.SendParks, s.RecvWaits, s.RecvParks)
	}
}
