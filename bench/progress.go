package bench

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Progress hears about the run's steps; Run calls it from one goroutine.
type Progress interface {
	// Begin announces the number of steps (calibrations and samples).
	Begin(total int)
	// Step reports that one step of a case finished.
	Step(label string)
	// CaseDone reports a finished case with its median.
	CaseDone(r Row)
	// End closes the display.
	End()
}

// NoProgress ignores everything.
type NoProgress struct{}

func (NoProgress) Begin(int)    {}
func (NoProgress) Step(string)  {}
func (NoProgress) CaseDone(Row) {}
func (NoProgress) End()         {}

// LineProgress prints one line per finished case: for logs and CI, where
// stderr is not a terminal.
type LineProgress struct {
	W     io.Writer
	total int
	done  int
	start time.Time
}

func (p *LineProgress) Begin(total int) { p.total, p.start = total, time.Now() }

func (p *LineProgress) Step(string) { p.done++ }

func (p *LineProgress) CaseDone(r Row) {
	fmt.Fprintf(p.W, "[%3d%% %5.1fs] %-18s %-36s P=%d  %s\n",
		100*p.done/max(p.total, 1), time.Since(p.start).Seconds(), r.Scenario, r.Impl, r.Procs, rowSummary(r))
}

func (p *LineProgress) End() {
	fmt.Fprintf(p.W, "done in %.1fs\n", time.Since(p.start).Seconds())
}

// BarProgress draws a progress bar (for a terminal).
type BarProgress struct {
	W   io.Writer
	bar *progressbar.ProgressBar
}

func (p *BarProgress) Begin(total int) {
	p.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(p.W),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetDescription("starting"),
	)
}

func (p *BarProgress) Step(label string) {
	p.bar.Describe(fmt.Sprintf("%-40.40s", label))
	_ = p.bar.Add(1)
}

func (p *BarProgress) CaseDone(Row) {}

func (p *BarProgress) End() {
	_ = p.bar.Finish()
	fmt.Fprintln(p.W)
}

// rowSummary is a short human reading of a row.
func rowSummary(r Row) string {
	if v, ok := r.Metrics[MetricCPUPercent]; ok {
		return fmt.Sprintf("%.1f%% CPU", v)
	}
	return fmt.Sprintf("%s ns/%s  %s allocs", FormatNS(r.NSPerItem), r.Unit, FormatAllocs(r.AllocsPerItem))
}
