// Command downloadwriter is the large-download case of docs/design.md
// (downloading one huge object from cloud storage at full speed):
// one goroutine downloads the object into chunk buffers, another
// writes the chunks to a file, and the used buffers go back to the
// downloader. It runs the pipeline three ways and compares them:
//
//   - handoff: handoff channels; each *Chunk moves to the writer's owner
//     on Send and back on the return trip, so the side that does not own a
//     buffer cannot touch it by mistake (ownership.ErrNotOwner);
//   - chan: the same pipeline with plain Go channels;
//   - process: the writer in a child process, fed over a pipe, as
//     multiprocessing would do it (every byte copied through the kernel).
//
// The object comes from a loopback HTTP server (net/http/httptest) that
// generates deterministic data; every mode's file is read back and its
// SHA-256 compared with the generator's.
//
// Usage:
//
//	go run ./examples/downloadwriter [-size 256MiB] [-chunk 1MiB] [-pool 8] [-mode all|handoff|chan|process]
//	go run ./examples/downloadwriter -smoke   # 8 MiB, every mode: what CI runs
package main

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"

	"github.com/handoff-go/handoff/examples/internal/cli"
)

func main() {
	if path := os.Getenv(childEnv); path != "" {
		os.Exit(childMain(path)) // we are the writer child of -mode process
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

var modes = []string{"handoff", "chan", "process"}

// run is the whole program; it returns the exit code: 0 when every mode's
// file verified, 1 on a failure, 2 for bad flags.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("downloadwriter", flag.ContinueOnError)
	fs.SetOutput(stderr)
	size, chunk := byteSize(256<<20), byteSize(1<<20)
	fs.Var(&size, "size", "bytes to download (suffixes KiB, MiB, GiB)")
	fs.Var(&chunk, "chunk", "bytes per chunk buffer")
	pool := fs.Int("pool", 8, "chunk buffers in circulation (channel capacity)")
	mode := fs.String("mode", "all", "handoff, chan, process, or all (the three side by side)")
	seed := fs.Uint64("seed", 1, "which generated object to download")
	dir := fs.String("dir", "", "directory for the output file (default: the system temp dir)")
	runs := fs.Int("runs", 3, "runs of each mode (interleaved); the table shows the median")
	smoke := fs.Bool("smoke", false, "tiny run for CI: -size 8MiB -chunk 256KiB -mode all -runs 1, unless set explicitly")
	cli.SetUsage(fs,
		"Download a generated object over loopback HTTP into chunk buffers and write it\n"+
			"to a file from a second goroutine (or process); verify its SHA-256.")
	if code, ok := cli.Parse(fs, args); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int { return cli.Usage(fs, format, a...) }
	if *smoke {
		set := cli.Set(fs)
		if !set["size"] {
			size = 8 << 20
		}
		if !set["chunk"] {
			chunk = 256 << 10
		}
		if !set["mode"] {
			*mode = "all"
		}
		if !set["runs"] {
			*runs = 1
		}
	}
	if int64(chunk) > 1<<30 {
		return usageErr("-chunk %v is larger than 1GiB", &chunk)
	}
	if *runs < 1 {
		return usageErr("-runs must be at least 1, got %d", *runs)
	}
	if *pool < 1 {
		return usageErr("-pool must be at least 1, got %d", *pool)
	}
	run := modes
	if *mode != "all" {
		run = nil
		for _, m := range modes {
			if m == *mode {
				run = []string{m}
			}
		}
		if run == nil {
			return usageErr("unknown -mode %q (want handoff, chan, process or all)", *mode)
		}
	}
	cfg := config{size: int64(size), chunk: int(chunk), pool: *pool, seed: *seed}
	results, err := runModes(context.Background(), cfg, run, *runs, *dir, stderr)
	printTable(stdout, cfg, *runs, results)
	if err != nil {
		fmt.Fprintln(stderr, "downloadwriter:", err)
		return 1
	}
	return 0
}

// tamper, when set (by a test), is called on each output file before it
// is verified, to check that a corrupted file fails the run.
var tamper func(path string)

// runModes runs each mode runs times, interleaved (handoff, chan, process,
// handoff, ...) so that a noisy neighbour hurts every mode alike, against
// one server, and verifies every file. It returns, per mode, the run with
// the median time, and the first error; a verification failure is an
// error.
func runModes(ctx context.Context, cfg config, names []string, runs int, dir string, stderr io.Writer) ([]result, error) {
	want := expectedSum(cfg.size, cfg.seed)
	srv := newServer(cfg.size, cfg.seed)
	defer srv.Close()
	tmp, err := os.MkdirTemp(dir, "downloadwriter-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	all := make([][]result, len(names))
	medians := func() []result {
		var out []result
		for _, rs := range all {
			if len(rs) > 0 {
				sorted := slices.Clone(rs)
				slices.SortFunc(sorted, func(a, b result) int { return cmp.Compare(a.elapsed, b.elapsed) })
				out = append(out, sorted[len(sorted)/2])
			}
		}
		return out
	}
	for range runs {
		for i, name := range names {
			res, err := runOne(ctx, name, srv.URL, filepath.Join(tmp, name+".bin"), cfg, stderr)
			if err != nil {
				return medians(), fmt.Errorf("%s: %w", name, err)
			}
			res.ok = res.sum == want && res.bytes == cfg.size
			if !res.ok {
				all[i] = []result{res} // show the failing run
				return medians(), fmt.Errorf("%s: the file has %d bytes, sha256 %x; the generator sent %d bytes, sha256 %x",
					name, res.bytes, res.sum, cfg.size, want)
			}
			all[i] = append(all[i], res)
		}
	}
	return medians(), nil
}

// runOne runs one mode once and reads its file back for the SHA-256.
func runOne(ctx context.Context, name, url, path string, cfg config, stderr io.Writer) (result, error) {
	var res result
	var err error
	switch name {
	case "handoff":
		res, err = runHandoff(ctx, url, path, cfg)
	case "chan":
		res, err = runChan(ctx, url, path, cfg)
	case "process":
		res, err = runProcess(ctx, url, path, cfg, stderr)
	default:
		panic("downloadwriter: unknown mode " + name)
	}
	defer os.Remove(path) // keep the disk footprint at one file
	if err != nil {
		return res, err
	}
	if tamper != nil {
		tamper(path)
	}
	res.sum, err = fileSum(path)
	return res, err
}

func fileSum(path string) ([32]byte, error) {
	var sum [32]byte
	f, err := os.Open(path)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return sum, err
	}
	h.Sum(sum[:0])
	return sum, nil
}

func printTable(w io.Writer, cfg config, runs int, results []result) {
	size, chunk := byteSize(cfg.size), byteSize(cfg.chunk)
	fmt.Fprintf(w, "downloadwriter: %v over loopback HTTP, %v chunks, pool of %d, GOMAXPROCS %d, median of %d run(s)\n\n",
		&size, &chunk, cfg.pool, runtime.GOMAXPROCS(0), runs)
	fmt.Fprintf(w, "%-8s %8s %6s  %-38s %s\n", "mode", "time", "MB/s", "steady-state allocations", "sha256")
	for _, r := range results {
		verdict := "MISMATCH"
		if r.ok {
			verdict = "ok " + hex.EncodeToString(r.sum[:4]) + "..."
		}
		fmt.Fprintf(w, "%-8s %7.3fs %6.0f  %-38v %s\n", r.mode, r.elapsed.Seconds(), r.mbps(), r.steady, verdict)
	}
}
