package suite

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Progress hears about the run's steps; Run calls it from one goroutine.
type Progress interface {
	// Begin announces the number of steps (calibrations and samples).
	Begin(total int)
	// Step reports that one step of a case finished.
	Step(label string)
	// RepDone reports that repetition rep of reps measured every case.
	RepDone(rep, reps int)
	// CaseDone reports a finished case with its median (after the last
	// repetition: the cases are interleaved).
	CaseDone(r Row)
	// End closes the display.
	End()
}

// NoProgress ignores everything.
type NoProgress struct{}

func (NoProgress) Begin(int)        {}
func (NoProgress) Step(string)      {}
func (NoProgress) RepDone(int, int) {}
func (NoProgress) CaseDone(Row)     {}
func (NoProgress) End()             {}

// LineProgress prints a line per finished repetition, then one per case:
// for logs and CI, where stderr is not a terminal. Columns are padded by characters (runes), so
// labels such as "interval 10µs" keep the columns aligned, and the figure
// is right-aligned so that its digits line up.
type LineProgress struct {
	W     io.Writer
	total int
	done  int
	start time.Time
}

func (p *LineProgress) Begin(total int) { p.total, p.start = total, time.Now() }

func (p *LineProgress) Step(string) { p.done++ }

func (p *LineProgress) RepDone(rep, reps int) {
	fmt.Fprintf(p.W, "[%3d%% %6.1fs] repetition %d of %d: every case measured once\n",
		100*p.done/max(p.total, 1), time.Since(p.start).Seconds(), rep, reps)
}

func (p *LineProgress) CaseDone(r Row) {
	fmt.Fprintf(p.W, "[%3d%% %6.1fs] %s %s P=%-3d %s\n",
		100*p.done/max(p.total, 1), time.Since(p.start).Seconds(),
		pad(r.Scenario, 18), pad(r.Impl, 34), r.Procs, rowSummary(r))
}

func (p *LineProgress) End() {
	fmt.Fprintf(p.W, "done in %.1fs\n", time.Since(p.start).Seconds())
}

// BarProgress redraws one status line in place (for a terminal): a bar,
// the step count, the elapsed time, an estimate of the time left and the
// case being measured. End erases the line.
type BarProgress struct {
	W     io.Writer
	total int
	done  int
	start time.Time
	drawn time.Time // last redraw, to redraw at most 10 times a second
}

// barWidth is the number of cells of the bar.
const barWidth = 30

func (p *BarProgress) Begin(total int) {
	p.total, p.start = max(total, 1), time.Now()
	p.draw("starting", true)
}

func (p *BarProgress) Step(label string) {
	p.done++
	p.draw(label, p.done == p.total)
}

func (p *BarProgress) RepDone(int, int) {}

func (p *BarProgress) CaseDone(Row) {}

func (p *BarProgress) End() {
	fmt.Fprint(p.W, "\r\033[K") // carriage return, erase to the end of the line
}

func (p *BarProgress) draw(label string, force bool) {
	now := time.Now()
	if !force && now.Sub(p.drawn) < 100*time.Millisecond {
		return
	}
	p.drawn = now
	filled := barWidth * p.done / p.total
	elapsed := now.Sub(p.start)
	left := "?"
	if p.done > 0 {
		left = (elapsed * time.Duration(p.total-p.done) / time.Duration(p.done)).Round(time.Second).String()
	}
	fmt.Fprintf(p.W, "\r\033[K[%s%s] %d/%d %s, about %s left  %s",
		strings.Repeat("#", filled), strings.Repeat(".", barWidth-filled),
		p.done, p.total, elapsed.Round(time.Second), left, pad(label, 40))
}

// pad left-aligns s in a field of n characters (runes, not bytes: "µs"
// is one character wide on a terminal but two bytes), cutting it if it is
// longer.
func pad(s string, n int) string {
	c := utf8.RuneCountInString(s)
	if c > n {
		r := []rune(s)
		return string(r[:n])
	}
	return s + strings.Repeat(" ", n-c)
}

// rowSummary is a short human reading of a row, its figure right-aligned.
func rowSummary(r Row) string {
	if v, ok := r.Metrics[MetricCPUPercent]; ok {
		return fmt.Sprintf("%9.1f %% CPU", v)
	}
	return fmt.Sprintf("%9s ns/%-10s %5s allocs", FormatNS(r.NSPerItem), r.Unit, FormatAllocs(r.AllocsPerItem))
}
