package suite

import (
	"fmt"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// WriteCharts writes the SVG charts of res into dir and returns their
// paths: throughput-SCENARIO.svg per channel scenario (bars, items/s),
// scaling.svg (pairs), e2-transfer-steal.svg and e3-resteal.svg (curves).
// With several GOMAXPROCS values each name gets a -pN suffix.
func WriteCharts(dir string, res *Results) ([]string, error) {
	multi := multiProcs(res)
	var files []string
	for _, g := range groups(res) {
		for _, rows := range byProcs(g.rows) {
			suffix := ""
			if multi {
				suffix = fmt.Sprintf("-p%d", rows[0].Procs)
			}
			var (
				p    *plot.Plot
				name string
				w, h = 7 * vg.Inch, 4 * vg.Inch
				err  error
			)
			switch {
			case g.sc.Name == "pairs":
				name = "scaling"
				p, err = curveChart("pairs: aggregate throughput by number of pairs",
					"pairs (N)", "million items/s", false, rows, func(r Row) float64 { return r.ItemsPerSec / 1e6 })
			case g.sc.Name == "e2-transfer-steal":
				name = g.sc.Name
				p, err = curveChart("E2: ns per object moved, by A's preemption interval",
					"preemption interval (µs)", "ns per object", true, rows, func(r Row) float64 { return r.NSPerItem })
			case g.sc.Name == "e3-resteal":
				name = g.sc.Name
				p, err = curveChart("E3: re-claim cost per object after one bump",
					"objects owned (N)", "ns per object", true, rows, func(r Row) float64 { return r.NSPerItem })
			case g.sc.Kind == Channel:
				name = "throughput-" + g.sc.Name
				p = barChart(g.sc, rows)
				h = vg.Length(len(rows))*0.45*vg.Inch + 1.2*vg.Inch
			default:
				continue
			}
			if err != nil {
				return files, fmt.Errorf("bench: chart %s: %w", name, err)
			}
			path := filepath.Join(dir, name+suffix+".svg")
			if err := p.Save(w, h, path); err != nil {
				return files, fmt.Errorf("bench: chart %s: %w", name, err)
			}
			files = append(files, path)
		}
	}
	return files, nil
}

// barChart plots million items/s per implementation, one horizontal bar
// each.
func barChart(sc Scenario, rows []Row) *plot.Plot {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s: %s", sc.Name, sc.Title)
	p.X.Label.Text = "million " + sc.Unit + "s/s (higher is better)"
	vals := make(plotter.Values, len(rows))
	labels := make([]string, len(rows))
	for i, r := range rows {
		vals[i] = r.ItemsPerSec / 1e6
		labels[i] = r.Impl
	}
	bars, err := plotter.NewBarChart(vals, 0.3*vg.Inch)
	if err == nil {
		bars.Horizontal = true
		bars.Color = plotutil.Color(0)
		p.Add(bars)
	}
	p.NominalY(labels...)
	p.X.Min = 0
	return p
}

// curveChart plots y(row) against each row's Param, one line per series.
func curveChart(title, xLabel, yLabel string, logXY bool, rows []Row, y func(Row) float64) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	var order []string
	pts := map[string]plotter.XYs{}
	for _, r := range rows {
		v := y(r)
		if r.Param <= 0 || !(v > 0) {
			continue // a log axis cannot show it
		}
		if _, ok := pts[r.Series]; !ok {
			order = append(order, r.Series)
		}
		pts[r.Series] = append(pts[r.Series], plotter.XY{X: r.Param, Y: v})
	}
	var args []any
	for _, s := range order {
		args = append(args, s, pts[s])
	}
	if len(args) == 0 {
		return p, nil // nothing to draw (and a log axis needs data)
	}
	if logXY {
		p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, plot.LogTicks{}
		p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, plot.LogTicks{}
	}
	p.Legend.Top, p.Legend.Left = true, true
	return p, plotutil.AddLinePoints(p, args...)
}
