package suite

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Output file names inside -out.
const (
	ResultsFile = "results.json"
	ReportFile  = "report.md"
)

// Main is the whole handoffbench command: it parses args (without the
// program name), runs the suite (or loads the run named by -from), writes results.json, report.md and the
// charts into -out, prints the report (and the -compare table) on stdout
// and progress on stderr. It returns the exit code: 0 on success (and for
// -h), 2 for bad flags, 1 when the run fails.
func Main(args []string, stdout, stderr io.Writer) int {
	cfg, err := ParseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	var old *Results
	if cfg.Compare != "" {
		if old, err = LoadResults(cfg.Compare); err != nil {
			fmt.Fprintf(stderr, "handoffbench: -compare: %v\n", err)
			return 2
		}
	}
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		fmt.Fprintf(stderr, "handoffbench: %v\n", err)
		return 1
	}
	var res *Results
	if cfg.From != "" {
		res, err = LoadResults(cfg.From)
	} else {
		res, err = Run(cfg, progressFor(stderr))
	}
	if err != nil {
		fmt.Fprintf(stderr, "handoffbench: %v\n", err)
		return 1
	}
	var report bytes.Buffer
	if err := WriteReport(&report, res); err != nil {
		fmt.Fprintf(stderr, "handoffbench: %v\n", err)
		return 1
	}
	if old != nil {
		if err := WriteComparison(&report, old, res, cfg.Compare); err != nil {
			fmt.Fprintf(stderr, "handoffbench: %v\n", err)
			return 1
		}
	}
	if err := res.Save(filepath.Join(cfg.Out, ResultsFile)); err != nil {
		fmt.Fprintf(stderr, "handoffbench: %v\n", err)
		return 1
	}
	if err := os.WriteFile(filepath.Join(cfg.Out, ReportFile), report.Bytes(), 0o644); err != nil {
		fmt.Fprintf(stderr, "handoffbench: %v\n", err)
		return 1
	}
	charts, err := WriteCharts(cfg.Out, res)
	if err != nil {
		fmt.Fprintf(stderr, "handoffbench: %v\n", err)
		return 1
	}
	if _, err := stdout.Write(report.Bytes()); err != nil {
		return 1
	}
	fmt.Fprintf(stderr, "wrote %s, %s and %d charts (SVG and PNG) to %s\n", ResultsFile, ReportFile, len(charts), cfg.Out)
	return 0
}

// progressFor draws a bar when w is a terminal, else prints a line per
// case (CI logs, redirects).
func progressFor(w io.Writer) Progress {
	if f, ok := w.(*os.File); ok && isTerminal(f) {
		return &BarProgress{W: w}
	}
	return &LineProgress{W: w}
}

// isTerminal reports whether f is a character device (a terminal; also
// /dev/null, where a redrawn line costs nothing).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
