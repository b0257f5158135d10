package suite

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// The charts follow three rules, so that a reader gets them at a glance:
//
//   - handoff is drawn in colour, its peers in greys: the eye finds the
//     subject first. A second handoff variant (transfer off, the steal
//     path) gets a second colour.
//   - Every figure is a median with a whisker from the fastest to the
//     slowest sample, so a difference smaller than the spread shows as one.
//   - Every text is measured with the font it is drawn with. Gonum lays
//     the chart out with Liberation Sans's metrics; the PNG is rasterized
//     with that font, and the SVG carries each glyph as an outline (see
//     glyphCanvas), not as text for the viewer to set in whatever font it
//     has. So nothing is clipped or runs under a bar on any machine.
//
// Linear axes start at zero. Batched and item-by-item figures are never
// in one chart: a batch moves 10-20x more items per second and would
// flatten the item-by-item differences.

// Chart colours.
var (
	colHandoff  = color.RGBA{R: 0, G: 114, B: 178, A: 255}  // blue: handoff
	colHandoff2 = color.RGBA{R: 86, G: 180, B: 233, A: 255} // light blue: a second handoff variant
	colAccent   = color.RGBA{R: 213, G: 94, B: 0, A: 255}   // vermilion: steal (E2)
	colWhisker  = color.Gray{Y: 40}
	colText     = color.Gray{Y: 20}
	peerGreys   = []color.Color{color.Gray{Y: 95}, color.Gray{Y: 140}, color.Gray{Y: 175}, color.Gray{Y: 200}}
	peerDashes  = [][]vg.Length{nil, {vg.Points(6), vg.Points(3)}, {vg.Points(2), vg.Points(2)}, {vg.Points(8), vg.Points(2), vg.Points(2), vg.Points(2)}}
)

// chartFont is the font of every text in the charts. Gonum registers the
// Liberation fonts (the TTF files are compiled in), so the metrics used
// for the layout are those of the glyphs drawn.
var chartFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Chart sizes.
const (
	chartWidth = 7 * vg.Inch
	pngDPI     = 144
)

// chart is one chart to write: a file name (without extension), the plot
// and its height.
type chart struct {
	name string
	p    *plot.Plot
	h    vg.Length
}

// WriteCharts writes the charts of res into dir, each as NAME.svg and
// NAME.png, and returns the SVG paths: throughput-SCENARIO for the bar
// scenarios (spsc, batch16/64/256, pingpong, ownership), throughput-fanin
// (item by item) and throughput-fanin-batch by number of producers,
// scaling (pairs by N), e2-transfer-steal and e3-resteal (log-log curves).
// With several GOMAXPROCS values each name gets a -pN suffix.
func WriteCharts(dir string, res *Results) ([]string, error) {
	multi := multiProcs(res)
	reps := res.Flags.Reps
	var files []string
	for _, g := range groups(res) {
		for _, rows := range byProcs(g.rows) {
			suffix := ""
			if multi {
				suffix = fmt.Sprintf("-p%d", rows[0].Procs)
			}
			var charts []chart
			switch {
			case g.sc.Name == "pairs":
				charts = append(charts, lineChart("scaling", "pairs: N independent producer → consumer pairs, aggregate throughput",
					"pairs (N)", "million items per second (higher is better)", reps, rows, false))
			case g.sc.Name == "fanin":
				var items, batch []Row
				for _, r := range rows {
					if strings.Contains(r.Impl, "batch") {
						batch = append(batch, r)
					} else {
						items = append(items, r)
					}
					if r.Baseline {
						batch = append(batch, r) // chan, item by item: the reference of both charts
					}
				}
				charts = append(charts,
					lineChart("throughput-fanin", "fanin: P producers → 1 consumer, item by item",
						"producers (P)", "million items per second (higher is better)", reps, items, false),
					lineChart("throughput-fanin-batch", "fanin: P producers → 1 consumer, handoff in batches of 64\n(chan has no batch form: item by item)",
						"producers (P)", "million items per second (higher is better)", reps, batch, false))
			case g.sc.Name == "e2-transfer-steal":
				// The smallest and largest round sizes: twelve curves
				// would hide each other; the report has every row.
				var ends []Row
				for _, r := range rows {
					if k := r.Metrics[MetricRound]; k == float64(e2Rounds[0]) || k == float64(e2Rounds[len(e2Rounds)-1]) {
						ends = append(ends, r)
					}
				}
				charts = append(charts, lineChart(g.sc.Name, fmt.Sprintf("E2: B's wait per object, by A's preemption interval (k=%d and k=%d)",
					e2Rounds[0], e2Rounds[len(e2Rounds)-1]),
					"A's preemption interval (µs, log scale)", "ns per object (log scale, lower is better)", reps, ends, true))
			case g.sc.Name == "e3-resteal":
				charts = append(charts, lineChart(g.sc.Name, "E3: re-claim cost per object after one epoch bump",
					"objects owned (N, log scale)", "ns per object (log scale, lower is better)", reps, rows, true))
			case g.sc.Kind == Channel:
				title := g.sc.Name + ": " + strings.ReplaceAll(g.sc.Title, "->", "→")
				if strings.HasPrefix(g.sc.Name, "batch") {
					title += "\n(chan has no batch form: item by item)"
				}
				charts = append(charts, barChart("throughput-"+g.sc.Name, title,
					"million "+g.sc.Unit+"s per second (higher is better)", reps, rows))
			}
			for _, c := range charts {
				if c.p == nil {
					continue
				}
				path := filepath.Join(dir, c.name+suffix)
				if err := saveChart(c.p, chartWidth, c.h, path); err != nil {
					return files, fmt.Errorf("chart %s: %w", c.name, err)
				}
				files = append(files, path+".svg")
			}
		}
	}
	return files, nil
}

// newPlot returns a plot whose every text is in chartFont.
func newPlot(title string) *plot.Plot {
	p := plot.New()
	set := func(s *text.Style, size vg.Length) {
		s.Font = font.From(chartFont, size)
		s.Color = colText
	}
	set(&p.Title.TextStyle, 12)
	set(&p.X.Label.TextStyle, 10)
	set(&p.Y.Label.TextStyle, 10)
	set(&p.X.Tick.Label, 9)
	set(&p.Y.Tick.Label, 9)
	set(&p.Legend.TextStyle, 9)
	p.Title.Text = title
	p.Title.Padding = vg.Points(8)
	return p
}

// spreadNote is the second line of every value axis label.
func spreadNote(reps int) string {
	if reps < 2 {
		return "one sample per figure: no spread"
	}
	return fmt.Sprintf("median of %d samples; whiskers: fastest to slowest", reps)
}

// millions converts a row's ns per item into million items per second:
// the median and the spread (the slowest sample gives the lowest rate).
func millions(r Row) (v, lo, hi float64) {
	v = r.ItemsPerSec / 1e6
	lo, hi = v, v
	if fast, slow := r.Spread(); fast > 0 && slow > 0 {
		lo, hi = 1e3/slow, 1e3/fast
	}
	return v, lo, hi
}

// barColors gives handoff rows the handoff colours and the others greys,
// in row order.
func barColors(rows []Row) []color.Color {
	out := make([]color.Color, len(rows))
	nh, np := 0, 0
	for i, r := range rows {
		if isHandoff(r) {
			out[i] = []color.Color{colHandoff, colHandoff2}[min(nh, 1)]
			nh++
		} else {
			out[i] = peerGreys[min(np, len(peerGreys)-1)]
			np++
		}
	}
	return out
}

// barChart draws one horizontal bar per row, top to bottom in row order,
// in million items per second, each with its whisker and its value
// written past the whisker's end.
func barChart(name, title, xLabel string, reps int, rows []Row) chart {
	p := newPlot(title)
	p.X.Label.Text = xLabel + "\n" + spreadNote(reps)
	n := len(rows)
	cols := barColors(rows)
	barW := vg.Points(18)
	labelSty := text.Style{Font: font.From(chartFont, 9), Color: colText, Handler: p.X.Tick.Label.Handler,
		XAlign: draw.XLeft, YAlign: draw.YCenter}
	var (
		names  = make([]string, n)
		lxy    plotter.XYs
		lab    []string
		exy    plotter.XYs
		errs   plotter.XErrors
		ends   []float64 // where each row's label starts, in data units
		labelW []vg.Length
	)
	for i, r := range rows {
		y := float64(n - 1 - i) // gonum counts nominal rows from the bottom
		v, lo, hi := millions(r)
		names[n-1-i] = r.Impl
		b, err := plotter.NewBarChart(plotter.Values{v}, barW)
		if err != nil {
			continue // NaN or infinite value: no bar
		}
		b.Horizontal, b.XMin, b.Color = true, y, cols[i]
		b.LineStyle.Width = 0
		p.Add(b)
		if hi > lo {
			exy = append(exy, plotter.XY{X: v, Y: y})
			errs = append(errs, struct{ Low, High float64 }{v - lo, hi - v})
		}
		s := formatMillions(v) + " M/s · " + FormatNS(r.NSPerItem) + " ns"
		lxy = append(lxy, plotter.XY{X: hi, Y: y})
		lab = append(lab, s)
		ends = append(ends, hi)
		labelW = append(labelW, labelSty.Width(s))
	}
	if len(exy) > 0 {
		e := &plotter.XErrorBars{XYs: exy, XErrors: errs, CapWidth: barW * 0.6}
		e.LineStyle = draw.LineStyle{Color: colWhisker, Width: vg.Points(1.2)}
		p.Add(e)
	}
	pad := vg.Points(5)
	if len(lxy) > 0 {
		styles := make([]text.Style, len(lab))
		for i := range styles {
			styles[i] = labelSty
		}
		p.Add(&plotter.Labels{XYs: lxy, Labels: lab, TextStyle: styles, Offset: vg.Point{X: pad}})
	}
	p.NominalY(names...)
	p.Y.Tick.Label.Font = font.From(chartFont, 10)
	p.X.Min = 0
	p.X.Tick.Marker = niceTicks{}
	h := vg.Length(n)*vg.Points(30) + vg.Points(110)
	p.X.Max = roomFor(p, chartWidth, h, ends, labelW, pad)
	p.Y.Padding = barW / 2
	return chart{name, p, h}
}

// formatMillions writes v with three significant digits, zeros kept.
func formatMillions(v float64) string {
	switch {
	case v < 10:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case v < 100:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// roomFor returns the smallest X.Max (axis from 0) that leaves each label
// of width labelW[i], starting pad past ends[i], inside the data area of
// p drawn at w×h. The data area's width depends on the tick labels, so
// it is measured with p's own layout, a few times until it settles.
func roomFor(p *plot.Plot, w, h vg.Length, ends []float64, labelW []vg.Length, pad vg.Length) float64 {
	top := 0.0
	for _, e := range ends {
		top = math.Max(top, e)
	}
	if !(top > 0) {
		return 1
	}
	xmax := top * 1.3
	for range 4 {
		p.X.Max = xmax
		c := vgimg.New(w, h)
		dc := p.DataCanvas(framed(c))
		width := dc.Max.X - dc.Min.X
		need := top * 1.05
		for i, e := range ends {
			free := width - labelW[i] - pad - vg.Points(4)
			if free <= 0 {
				continue
			}
			need = math.Max(need, e*float64(width/free))
		}
		if math.Abs(need-xmax) < 1e-9*top {
			break
		}
		xmax = need
	}
	return xmax
}

// seriesStyle picks the colour, dashes and glyph of a curve: the first
// handoff series (E2's transfer, E3's Claim) in the handoff colour, a
// second one in light blue, E2's steal in the accent, the peers in greys
// with dashes. own counts the handoff series already styled, peer the
// others.
func seriesStyle(series string, own, peer int) (c color.Color, dashes []vg.Length, g draw.GlyphDrawer, isOwn bool) {
	switch {
	case series == "steal":
		return colAccent, nil, draw.SquareGlyph{}, true
	case strings.HasPrefix(series, "handoff") || series == "transfer" || series == "Claim":
		return []color.Color{colHandoff, colHandoff2}[min(own, 1)], nil, draw.CircleGlyph{}, true
	}
	i := min(peer, len(peerGreys)-1)
	glyphs := []draw.GlyphDrawer{draw.TriangleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}, draw.CrossGlyph{}}
	return peerGreys[i], peerDashes[i], glyphs[i], false
}

// lineChart draws one curve per series against each row's Param, each
// point the median with a whisker over the spread. Linear charts plot
// million items per second from 0, with a tick at every parameter value;
// log charts plot ns per item. The legend sits in a band above the data.
func lineChart(name, title, xLabel, yLabel string, reps int, rows []Row, logXY bool) chart {
	p := newPlot(title)
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel + "\n" + spreadNote(reps)
	h := 4.6 * vg.Inch
	type series struct {
		pts  plotter.XYs
		errs plotter.YErrors
	}
	var order []string
	by := map[string]*series{}
	var params []float64
	lo, hi := math.Inf(1), math.Inf(-1)
	// A log chart plots log10 of the values on linear axes, with ticks
	// at the decades (decadeTicks): gonum's own log scale centres the
	// axis label on the linear mean of the range, which pushes it, and
	// the whole data area, off the chart.
	tr := func(x float64) float64 { return x }
	if logXY {
		tr = math.Log10
	}
	for _, r := range rows {
		var v, l, u float64
		if logXY {
			v = r.NSPerItem
			l, u = r.Spread()
			if len(r.Samples) < 2 || !(l > 0) {
				l, u = v, v
			}
		} else {
			v, l, u = millions(r)
		}
		if r.Param <= 0 || !(v > 0) || !(l > 0) {
			continue // a log axis cannot show it; nor can a chart by parameter
		}
		s, ok := by[r.Series]
		if !ok {
			s = &series{}
			by[r.Series] = s
			order = append(order, r.Series)
		}
		x, y := tr(r.Param), tr(v)
		s.pts = append(s.pts, plotter.XY{X: x, Y: y})
		s.errs = append(s.errs, struct{ Low, High float64 }{y - tr(l), tr(u) - y})
		lo, hi = math.Min(lo, tr(l)), math.Max(hi, tr(u))
		params = append(params, x)
	}
	if len(order) == 0 {
		return chart{name, nil, h}
	}
	own, peer := 0, 0
	for _, name := range order {
		s := by[name]
		col, dashes, glyph, isOwn := seriesStyle(name, own, peer)
		if isOwn {
			own++
		} else {
			peer++
		}
		l, err := plotter.NewLine(s.pts)
		if err != nil {
			continue
		}
		l.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(2), Dashes: dashes}
		if isOwn {
			l.LineStyle.Width = vg.Points(2.5)
		}
		sc, _ := plotter.NewScatter(s.pts)
		sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3), Shape: glyph}
		e := &plotter.YErrorBars{XYs: s.pts, YErrors: s.errs, CapWidth: vg.Points(6)}
		e.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(1.2)}
		p.Add(l, sc, e)
		p.Legend.Add(name, l, sc)
	}
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs = vg.Points(8)
	p.Legend.Padding = vg.Points(2)
	p.Legend.ThumbnailWidth = vg.Points(28)
	band := vg.Length(len(order))*(p.Legend.TextStyle.Height("Xg")+p.Legend.Padding) + vg.Points(10)
	xs := minMax(params)
	if logXY {
		p.X.Tick.Marker, p.Y.Tick.Marker = decadeTicks{}, decadeTicks{}
		p.X.Min, p.X.Max = xs[0]-0.2, xs[1]+0.2
		p.Y.Min, p.Y.Max = lo-0.2, hi+0.2
		// Keep the legend band free: the top of the data stays below it.
		p.Y.Max = p.Y.Min + (hi+0.08-p.Y.Min)/bandFrac(p, h, band)
	} else {
		p.X.Tick.Marker, p.Y.Tick.Marker = paramTicks(params), niceTicks{}
		p.X.Min, p.X.Max = 0, xs[1]+0.5
		p.Y.Min, p.Y.Max = 0, hi*1.05
		p.Y.Max = hi * 1.03 / bandFrac(p, h, band)
	}
	return chart{name, p, h}
}

// bandFrac is the fraction of p's data area height below a band of the
// given height at its top.
func bandFrac(p *plot.Plot, h, band vg.Length) float64 {
	c := vgimg.New(chartWidth, h)
	dc := p.DataCanvas(framed(c))
	height := dc.Max.Y - dc.Min.Y
	if height <= band {
		return 0.5
	}
	return float64((height - band) / height)
}

func minMax(xs []float64) [2]float64 {
	out := [2]float64{math.Inf(1), math.Inf(-1)}
	for _, x := range xs {
		out[0], out[1] = math.Min(out[0], x), math.Max(out[1], x)
	}
	return out
}

// niceTicks labels a linear axis at 4 to 10 round steps (1, 2 or 5
// times a power of ten) from its minimum, with a short tick between.
type niceTicks struct{}

func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return nil
	}
	step := math.Pow(10, math.Floor(math.Log10((hi-lo)/4)))
	for _, m := range []float64{1, 2, 5, 10} {
		if (hi-lo)/(step*m) <= 8 {
			step *= m
			break
		}
	}
	prec := max(0, -int(math.Floor(math.Log10(step))))
	var ticks []plot.Tick
	for i := math.Ceil(lo/step) * 2; i/2*step <= hi*(1+1e-9); i++ {
		v := i / 2 * step
		t := plot.Tick{Value: v}
		if int(i)%2 == 0 {
			t.Label = strconv.FormatFloat(v, 'f', prec, 64)
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// decadeTicks marks the decades of a log10 axis with their values (1,
// 10, 100, 1k, ... 1M) and the steps between them (2..9) with short
// unlabelled ticks.
type decadeTicks struct{}

func (decadeTicks) Ticks(lo, hi float64) []plot.Tick {
	// On a short axis (under two decades) the steps 2 and 5 get labels
	// too, so that every chart has a few labelled ticks.
	labelled := map[float64]bool{1: true}
	if hi-lo < 2 {
		labelled[2], labelled[5] = true, true
	}
	var ticks []plot.Tick
	for d := math.Floor(lo); d <= math.Ceil(hi); d++ {
		for k := 1.0; k < 10; k++ {
			v := d + math.Log10(k)
			if v < lo || v > hi {
				continue
			}
			t := plot.Tick{Value: v}
			if labelled[k] {
				t.Label = siLabel(k * math.Pow(10, d))
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// siLabel writes a round value with an SI suffix: 1, 200, 10k, 5M.
func siLabel(v float64) string {
	for _, u := range []struct {
		div    float64
		suffix string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if v >= u.div {
			return strconv.FormatFloat(v/u.div, 'f', -1, 64) + u.suffix
		}
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// paramTicks puts a labelled tick at every parameter value (1, 2, 4
// producers), and nowhere else: there is no 1.5 pair.
type paramTicks []float64

func (t paramTicks) Ticks(_, _ float64) []plot.Tick {
	seen := map[float64]bool{0: true}
	ticks := []plot.Tick{{Value: 0, Label: "0"}}
	for _, v := range t {
		if !seen[v] {
			seen[v] = true
			ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
		}
	}
	return ticks
}

// margin is the blank frame around every chart.
const margin = vg.Length(10)

// framed returns c's drawing area less the margin.
func framed(c vg.CanvasSizer) draw.Canvas {
	return draw.Crop(draw.New(c), margin, -margin, margin, -margin)
}

// saveChart writes p as path.svg and path.png.
func saveChart(p *plot.Plot, w, h vg.Length, path string) error {
	svg := vgsvg.New(w, h)
	p.Draw(framed(glyphCanvas{svg}))
	if err := writeTo(path+".svg", svg); err != nil {
		return err
	}
	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(pngDPI), vgimg.UseBackgroundColor(color.White))
	p.Draw(framed(img))
	return writeTo(path+".png", vgimg.PngCanvas{Canvas: img})
}

func writeTo(path string, c io.WriterTo) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := c.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
