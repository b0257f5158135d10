// Command treeserialize is the in-memory object graph case of
// docs/design.md: a large tree is loaded in memory and must be written out
// in a flat format. It serializes the tree twice and compares:
//
//   - 1 goroutine: walk, encode and write, all in one goroutine;
//   - W walkers + 1 writer: each walker owns some of the root's subtrees
//     and encodes them into frame buffers (*Chunk, owned objects) that it
//     hands to the writer goroutine over its own lane of one handoff
//     channel (Sender.Clone); the writer writes the frames as they come
//     and returns each buffer to its walker.
//
// The tree's nodes carry a region pointer (ownership.Region): the root has
// a region, each subtree under it another. The main goroutine's owner owns
// them all; a walker owns the regions of the subtrees it walks, handed to
// it with one Transfer per subtree (not per node) and handed back when it
// is done, and it checks every node it reads (Owner.Check through the
// node: two loads and a compare).
//
// Frames from different walkers interleave in the file; the format (see
// format.go) tags each frame with its stream, so the file still decodes.
// Every file is decoded back and its structural hash compared with the
// original tree's.
//
// Usage:
//
//	go run ./examples/treeserialize [-nodes 2000000] [-walkers N] [-seed 1]
//	go run ./examples/treeserialize -smoke   # 20k nodes, what CI runs
package main

import (
	"cmp"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"github.com/handoff-go/handoff/examples/internal/cli"
	"github.com/handoff-go/handoff/ownership"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	nodes, shards, walkers, chunk, pool, runs int
	seed                                      uint64
	dir                                       string
}

// timing is one serialization, verified.
type timing struct {
	elapsed time.Duration
	out     outcome
	hash    uint64 // structural hash of the decoded file
}

// report is what a run measured.
type report struct {
	built          time.Duration
	hash           uint64 // the original tree's
	single, multi  timing // medians
	singleOK, mult bool   // decoded to the same tree
	headroom       float64
}

// run is the whole program; it returns the exit code: 0 when both files
// decoded to the original tree, 1 on a failure, 2 for bad flags.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("treeserialize", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	fs.IntVar(&cfg.nodes, "nodes", 2_000_000, "nodes in the tree (at least 2)")
	fs.IntVar(&cfg.shards, "shards", 256, "subtrees under the root: the units the walkers share out")
	fs.IntVar(&cfg.walkers, "walkers", runtime.NumCPU(), "walker goroutines")
	fs.IntVar(&cfg.chunk, "chunk", 64<<10, fmt.Sprintf("bytes per frame buffer (at least %d)", minChunk))
	fs.IntVar(&cfg.pool, "pool", 4, "frame buffers per walker")
	fs.IntVar(&cfg.runs, "runs", 3, "runs of each way (interleaved); the table shows the median")
	fs.Uint64Var(&cfg.seed, "seed", 1, "shape of the tree")
	fs.StringVar(&cfg.dir, "dir", "", "directory for the output files (default: the system temp dir)")
	smoke := fs.Bool("smoke", false, "tiny run for CI: -nodes 20000 -runs 1, unless set explicitly")
	cli.SetUsage(fs,
		"Build a large tree in memory and serialize it to a file with one goroutine, then\n"+
			"with walker goroutines feeding a writer over handoff channels; verify both files.")
	if code, ok := cli.Parse(fs, args); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int { return cli.Usage(fs, format, a...) }
	if *smoke {
		set := cli.Set(fs)
		if !set["nodes"] {
			cfg.nodes = 20_000
		}
		if !set["runs"] {
			cfg.runs = 1
		}
	}
	switch {
	case cfg.nodes < 2 || cfg.nodes > 1<<28:
		return usageErr("-nodes must be in [2, %d], got %d", 1<<28, cfg.nodes)
	case cfg.shards < 1:
		return usageErr("-shards must be at least 1, got %d", cfg.shards)
	case cfg.walkers < 1 || cfg.walkers > 1024:
		return usageErr("-walkers must be in [1, 1024], got %d", cfg.walkers)
	case cfg.chunk < minChunk || cfg.chunk > 1<<30:
		return usageErr("-chunk must be in [%d, %d], got %d", minChunk, 1<<30, cfg.chunk)
	case cfg.pool < 1:
		return usageErr("-pool must be at least 1, got %d", cfg.pool)
	case cfg.runs < 1:
		return usageErr("-runs must be at least 1, got %d", cfg.runs)
	}
	rep, err := measure(cfg)
	printReport(stdout, cfg, rep)
	if err != nil {
		fmt.Fprintln(stderr, "treeserialize:", err)
		return 1
	}
	return 0
}

// tamper, when set (by a test), is called on each output file before it
// is decoded, to check that a corrupted file fails the run.
var tamper func(path string)

// measure builds the tree and runs both ways cfg.runs times, interleaved,
// verifying every file. A file that does not decode to the original tree
// is an error.
func measure(cfg config) (report, error) {
	var rep report
	start := time.Now()
	root := build(cfg.nodes, cfg.shards, cfg.seed)
	rep.built = time.Since(start)
	rep.hash = hashTree(root)
	// The loader: this goroutine's owner, which owns every region of the
	// tree (the root's and one per shard) between serializations.
	loader := ownership.NewOwner()
	defer loader.Close()
	if err := claimTree(loader, root); err != nil {
		return rep, err
	}
	// The walkers' share of the subtrees is planned once, from subtree
	// sizes a loader would know; planning is not part of the timing.
	plan := assign(root, cfg.walkers)
	rep.headroom = headroom(cfg.walkers, max(500_000, min(cfg.nodes*5, 10_000_000)))

	tmp, err := os.MkdirTemp(cfg.dir, "treeserialize-")
	if err != nil {
		return rep, err
	}
	defer os.RemoveAll(tmp)
	path := filepath.Join(tmp, "tree.bin")

	var singles, multis []timing
	for range cfg.runs {
		t, err := timed(root, path, func() (outcome, error) {
			return serializeSingle(loader, root, cfg.nodes, path, cfg.chunk)
		})
		if err != nil {
			return rep, fmt.Errorf("1 goroutine: %w", err)
		}
		singles = append(singles, t)
		rep.single, rep.singleOK = median(singles), true
		if t.hash != rep.hash {
			rep.single, rep.singleOK = t, false
			return rep, fmt.Errorf("1 goroutine: the file decodes to a tree with hash %016x, want %016x", t.hash, rep.hash)
		}

		t, err = timed(root, path, func() (outcome, error) {
			return serializeParallel(loader, root, cfg.nodes, path, plan, cfg.chunk, cfg.pool)
		})
		if err != nil {
			return rep, fmt.Errorf("%d walkers: %w", cfg.walkers, err)
		}
		multis = append(multis, t)
		rep.multi, rep.mult = median(multis), true
		if t.hash != rep.hash {
			rep.multi, rep.mult = t, false
			return rep, fmt.Errorf("%d walkers: the file decodes to a tree with hash %016x, want %016x", cfg.walkers, t.hash, rep.hash)
		}
	}
	return rep, nil
}

// timed runs one serialization and decodes its file back.
func timed(root *Node, path string, serialize func() (outcome, error)) (timing, error) {
	runtime.GC() // start each run from the same heap state
	start := time.Now()
	out, err := serialize()
	t := timing{elapsed: time.Since(start), out: out}
	if err != nil {
		return t, err
	}
	if tamper != nil {
		tamper(path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return t, err
	}
	back, err := decode(data)
	if err != nil {
		return t, err
	}
	t.hash = hashTree(back)
	return t, nil
}

func median(ts []timing) timing {
	s := slices.Clone(ts)
	slices.SortFunc(s, func(a, b timing) int { return cmp.Compare(a.elapsed, b.elapsed) })
	return s[len(s)/2]
}

func printReport(w io.Writer, cfg config, rep report) {
	fmt.Fprintf(w, "treeserialize: %d nodes under %d subtrees (seed %d), built in %.2fs, hash %016x; GOMAXPROCS %d, median of %d run(s)\n\n",
		cfg.nodes, min(cfg.shards, cfg.nodes-1), cfg.seed, rep.built.Seconds(), rep.hash, runtime.GOMAXPROCS(0), cfg.runs)
	fmt.Fprintf(w, "%-22s %8s %8s %11s  %s\n", "way", "time", "MB/s", "Mnodes/s", "decoded")
	line := func(name string, t timing, done, ok bool) {
		if !done {
			return
		}
		verdict := "MISMATCH"
		if ok {
			verdict = fmt.Sprintf("same tree (%d bytes)", t.out.bytes)
		}
		fmt.Fprintf(w, "%-22s %7.3fs %8.0f %11.2f  %s\n", name, t.elapsed.Seconds(),
			float64(t.out.bytes)/1e6/t.elapsed.Seconds(), float64(cfg.nodes)/1e6/t.elapsed.Seconds(), verdict)
	}
	line("1 goroutine", rep.single, rep.single.elapsed > 0, rep.singleOK)
	line(fmt.Sprintf("%d walkers + writer", cfg.walkers), rep.multi, rep.multi.elapsed > 0, rep.mult)
	if rep.singleOK && rep.mult {
		fmt.Fprintf(w, "\nspeedup: %.2fx; headroom: %d goroutines of pure arithmetic ran %.2fx as fast as one (the most a parallel version could gain here, now)\n",
			rep.single.elapsed.Seconds()/rep.multi.elapsed.Seconds(), cfg.walkers, rep.headroom)
	}
	if m := rep.multi.out; m.handed > 0 {
		fmt.Fprintf(w, "regions: %d shards handed to the walkers with %d Transfers in %v (%.4f ns per node; a header per node would take %d), and back\n",
			m.handed, m.handed, m.handOut, float64(m.handOut.Nanoseconds())/float64(cfg.nodes), cfg.nodes)
	}
	if len(rep.multi.out.chans) > 0 {
		d := rep.multi.out.chans[0]
		fmt.Fprintf(w, "data channel (%d lanes): sent %d, received %d, transferred %d; send waits %d, parks %d; receive waits %d, parks %d\n",
			d.Lanes, d.Sent, d.Received, d.Transferred, d.SendWaits, d.SendParks, d.RecvWaits, d.RecvParks)
		for i, f := range rep.multi.out.chans[1:] {
			fmt.Fprintf(w, "free list %d: sent %d, received %d, transferred %d; receive waits %d, parks %d\n",
				i, f.Sent, f.Received, f.Transferred, f.RecvWaits, f.RecvParks)
		}
	}
}
