package suite

import (
	"errors"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// glyphCanvas draws text as the outlines of its glyphs instead of as SVG
// text. An SVG <text> is set by the viewer in whatever font it has, with
// other widths than the font gonum measured when it laid the chart out:
// labels then run under bars or off the edge. An outline is drawn exactly
// where gonum measured it, on every machine. Everything else goes to the
// wrapped canvas unchanged.
type glyphCanvas struct {
	vg.CanvasSizer
}

// FillString fills the outlines of txt's glyphs, starting at pt on the
// baseline, with the current colour. Advances and kerning are computed as
// gonum's font.Face.Width computes them, so the text ends where the
// layout expects it to.
func (c glyphCanvas) FillString(f font.Face, pt vg.Point, txt string) {
	var (
		buf   sfnt.Buffer
		upem  = fixed.Int26_6(f.Face.UnitsPerEm()) // 1 unit of the results = 1 font unit
		scale = f.Font.Size / vg.Length(f.Face.UnitsPerEm())
		pen   fixed.Int26_6
		prev  sfnt.GlyphIndex
		path  vg.Path
	)
	at := func(p fixed.Point26_6) vg.Point {
		// Font units grow downwards; the canvas's y grows upwards.
		return vg.Point{X: pt.X + vg.Length(pen+p.X)*scale, Y: pt.Y - vg.Length(p.Y)*scale}
	}
	for i, r := range txt {
		idx, err := f.Face.GlyphIndex(&buf, r)
		if err != nil {
			continue
		}
		if i > 0 {
			if k, err := f.Face.Kern(&buf, prev, idx, upem, 0); err == nil {
				pen += k
			} else if !errors.Is(err, sfnt.ErrNotFound) {
				continue
			}
		}
		segs, err := f.Face.LoadGlyph(&buf, idx, upem, nil)
		if err == nil {
			open := false
			for _, s := range segs {
				switch s.Op {
				case sfnt.SegmentOpMoveTo:
					if open {
						path.Close()
					}
					path.Move(at(s.Args[0]))
					open = true
				case sfnt.SegmentOpLineTo:
					path.Line(at(s.Args[0]))
				case sfnt.SegmentOpQuadTo:
					path.QuadTo(at(s.Args[0]), at(s.Args[1]))
				case sfnt.SegmentOpCubeTo:
					path.CubeTo(at(s.Args[0]), at(s.Args[1]), at(s.Args[2]))
				}
			}
			if open {
				path.Close()
			}
		}
		adv, err := f.Face.GlyphAdvance(&buf, idx, upem, 0)
		if err == nil {
			pen += adv
		}
		prev = idx
	}
	if len(path) > 0 {
		c.Fill(path)
	}
}
