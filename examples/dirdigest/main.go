// Command dirdigest is the bounded-parallelism example of the Go blog
// post "Go Concurrency Patterns: Pipelines and cancellation": the MD5 of
// every regular file under a directory, computed by a fixed number of
// digester goroutines. A walker feeds paths to the digesters over one
// channel (a worker pool: each path goes to one digester), their results
// are fanned back in to a collector, and the first error cancels the
// walk and the digesters.
//
// It runs the program twice, on handoff channels (digestHandoff: the
// digesters are Receiver clones of one paths channel and Sender clones of
// one results channel, and the results are owned objects recycled over a
// free list) and on plain Go channels (digestChan, the blog's code), and
// checks that both give the same digests.
//
// Usage:
//
//	go run ./examples/dirdigest [-dir DIR] [-files 2000] [-size 65536] [-digesters 20] [-reps 3] [-fail SUFFIX]
//	go run ./examples/dirdigest -smoke   # 300 small generated files, and the error path (CI)
//
// Without -dir it digests a tree it generates in a temporary directory
// (-files files of up to -size bytes) and removes it afterwards.
package main

import (
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/handoff-go/handoff/examples/internal/cli"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	dir              string
	files, size      int
	digesters, reps  int
	fail             string
	seed             uint64
	smoke            bool
	scratch          string // where a generated tree goes ("": os.TempDir)
	skipFailureCheck bool
}

// mode is one implementation of the program.
type mode struct {
	name string
	run  func(ctx context.Context, root string, n int, fail string) (map[string]Sum, int64, error)
}

var modes = []mode{{"handoff", digestHandoff}, {"chan", digestChan}}

// outcome is one mode's best run.
type outcome struct {
	sums  map[string]Sum
	bytes int64
	best  time.Duration
	err   error
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dirdigest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	fs.StringVar(&cfg.dir, "dir", "", "directory to digest (default: a generated tree)")
	fs.IntVar(&cfg.files, "files", 2000, "files in the generated tree")
	fs.IntVar(&cfg.size, "size", 64<<10, "largest file in the generated tree, in bytes")
	fs.IntVar(&cfg.digesters, "digesters", 20, "digester goroutines (the blog's numDigesters)")
	fs.IntVar(&cfg.reps, "reps", 3, "runs per mode; the fastest is reported")
	fs.StringVar(&cfg.fail, "fail", "", "make the digest of files whose path ends with this fail (shows the cancellation)")
	fs.Uint64Var(&cfg.seed, "seed", 1, "which generated tree")
	fs.BoolVar(&cfg.smoke, "smoke", false, "tiny run for CI: -files 300 -size 8192 -reps 1, plus a run with an injected failure")
	cli.SetUsage(fs,
		"Digest every file under a directory with a bounded pool of digester goroutines\n"+
			"(the Go blog's pipelines-and-cancellation example), on handoff channels and on\n"+
			"plain chan; check that both agree.")
	if code, ok := cli.Parse(fs, args); !ok {
		return code
	}
	if cfg.smoke {
		set := cli.Set(fs)
		if !set["files"] {
			cfg.files = 300
		}
		if !set["size"] {
			cfg.size = 8 << 10
		}
		if !set["reps"] {
			cfg.reps = 1
		}
	}
	switch {
	case cfg.files < 0:
		return cli.Usage(fs, "-files must not be negative, got %d", cfg.files)
	case cfg.size < 0:
		return cli.Usage(fs, "-size must not be negative, got %d", cfg.size)
	case cfg.digesters < 1:
		return cli.Usage(fs, "-digesters must be at least 1, got %d", cfg.digesters)
	case cfg.reps < 1:
		return cli.Usage(fs, "-reps must be at least 1, got %d", cfg.reps)
	}
	if err := digestAll(cfg, stdout); err != nil {
		fmt.Fprintln(stderr, "dirdigest:", err)
		return 1
	}
	return 0
}

// digestAll generates the tree if needed, runs every mode, compares them,
// and with -smoke also checks the error path.
func digestAll(cfg config, w io.Writer) error {
	root := cfg.dir
	if root == "" {
		tmp, err := os.MkdirTemp(cfg.scratch, "dirdigest-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		n, err := makeTree(tmp, cfg.files, cfg.size, cfg.seed)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "generated %d files, %.1f MB, under %s\n", cfg.files, float64(n)/1e6, tmp)
		root = tmp
	}
	fmt.Fprintf(w, "dirdigest: %d digesters, GOMAXPROCS %d, best of %d\n", cfg.digesters, runtime.GOMAXPROCS(0), cfg.reps)
	ctx := context.Background()
	out := make([]outcome, len(modes))
	for rep := range cfg.reps {
		for i, m := range modes { // interleaved, so that both see the same page cache and load
			t0 := time.Now()
			sums, n, err := m.run(ctx, root, cfg.digesters, cfg.fail)
			el := time.Since(t0)
			if rep == 0 || el < out[i].best {
				out[i].best = el
			}
			out[i].sums, out[i].bytes, out[i].err = sums, n, err
		}
	}
	for i, m := range modes {
		o := out[i]
		if o.err != nil {
			fmt.Fprintf(w, "%-8s error: %v\n", m.name, o.err)
			continue
		}
		fmt.Fprintf(w, "%-8s %6d files %9.1f MB %10.2f ms %8.1f MB/s %8.1f µs/file  %s\n", m.name, len(o.sums),
			float64(o.bytes)/1e6, ms(o.best), float64(o.bytes)/1e6/o.best.Seconds(),
			float64(o.best.Microseconds())/float64(max(len(o.sums), 1)), fingerprint(root, o.sums))
	}
	if err := agree(out); err != nil {
		fmt.Fprintln(w, "MISMATCH")
		return err
	}
	if out[0].err != nil {
		return out[0].err // both failed alike (-fail): the error is the program's
	}
	fmt.Fprintf(w, "verified: handoff and chan agree on %d files\n", len(out[0].sums))
	if cfg.smoke && !cfg.skipFailureCheck && len(out[0].sums) > 0 {
		return checkFailure(ctx, root, cfg.digesters, w)
	}
	return nil
}

// agree reports whether every mode gave the same digests, or failed.
func agree(out []outcome) error {
	ref := out[len(out)-1] // chan
	for i, o := range out[:len(out)-1] {
		if (o.err != nil) != (ref.err != nil) {
			return fmt.Errorf("%s: error %v, chan: error %v", modes[i].name, o.err, ref.err)
		}
		if o.err != nil {
			continue
		}
		if len(o.sums) != len(ref.sums) || o.bytes != ref.bytes {
			return fmt.Errorf("%s: %d files, %d bytes; chan: %d files, %d bytes", modes[i].name, len(o.sums), o.bytes, len(ref.sums), ref.bytes)
		}
		for p, s := range ref.sums {
			if o.sums[p] != s {
				return fmt.Errorf("%s: %s: digest %x, chan: %x", modes[i].name, p, o.sums[p], s)
			}
		}
	}
	return nil
}

// checkFailure makes one file's digest fail and checks that both modes
// report that error (and return: the test's leak check sees every
// goroutine gone).
func checkFailure(ctx context.Context, root string, n int, w io.Writer) error {
	fail := "f00007.bin"
	for _, m := range modes {
		_, _, err := m.run(ctx, root, n, fail)
		if err == nil || !strings.Contains(err.Error(), "injected failure") {
			return fmt.Errorf("%s with a failing file: got error %v, want the injected failure", m.name, err)
		}
	}
	fmt.Fprintf(w, "cancellation: both modes stop at the first error (a failing %s)\n", fail)
	return nil
}

// fingerprint is a short digest of the whole result: SHA-256 over the
// sorted (path relative to root, MD5) pairs.
func fingerprint(root string, sums map[string]Sum) string {
	paths := make([]string, 0, len(sums))
	for p := range sums {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	h := sha256.New()
	for _, p := range paths {
		s := sums[p]
		h.Write([]byte(strings.TrimPrefix(p, root)))
		h.Write(s[:])
	}
	return fmt.Sprintf("%x...", h.Sum(nil)[:4])
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1e3 }
