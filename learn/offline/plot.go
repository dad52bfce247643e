package offline

import (
	"fmt"
	"math"
)

// The plot: quality against cost per query (as a share of the
// reference's), the routers' frontiers as lines, the single models,
// random and oracle as points. It is drawn once, on a canvas, which
// WriteSVG and WritePNG render.
const (
	plotW, plotH   = 760, 480
	plotL, plotR   = 64, 200 // margins; the legend sits in the right one
	plotT, plotB   = 24, 48
	plotInnerW     = plotW - plotL - plotR
	plotInnerH     = plotH - plotT - plotB
	plotGridY      = 5
	plotDotRadius  = 3.5
	plotLineStroke = 2
)

var routerColors = map[string]string{"learned": "#d62728", "knn": "#1f77b4", "per_task": "#2ca02c"}

const (
	colorFrame  = "#888888"
	colorGrid   = "#eeeeee"
	colorText   = "#000000"
	colorModel  = "#444444"
	colorOracle = "#9467bd"
	colorRandom = "#8c564b"
)

// anchor is where a text's x lies: its start, middle or end.
type anchor int

const (
	anchorStart anchor = iota
	anchorMiddle
	anchorEnd
)

type point struct{ x, y float64 }

// canvas is what the plot is drawn on, in plot units (plotW × plotH,
// y down); colors are "#rrggbb".
type canvas interface {
	rect(x, y, w, h float64, fill, stroke string) // "" fills or strokes nothing
	line(x1, y1, x2, y2 float64, color string, width float64)
	polyline(pts []point, color string, width float64)
	circle(cx, cy, r float64, fill string)
	// text draws s with its baseline at y; vertical text reads upwards,
	// rotated about (x, y).
	text(x, y float64, s, color string, a anchor, vertical bool)
}

// drawPlot draws the report on c.
func drawPlot(c canvas, r *Report) {
	ref := r.Summary.ReferenceCostPerQuery
	if ref <= 0 {
		ref = 1
	}
	xMax, step, yMin, yMax := plotBounds(r, ref)
	px := func(v float64) float64 { return plotL + v/ref/xMax*plotInnerW }
	py := func(q float64) float64 { return plotT + (yMax-q)/(yMax-yMin)*plotInnerH }
	c.rect(0, 0, plotW, plotH, "#ffffff", "")
	drawAxes(c, xMax, step, yMin, yMax)
	curves := map[string][]Point{"learned": r.Points}
	for name, rc := range r.Routers {
		curves[name] = rc.Points
	}
	legendY := float64(plotT + 10)
	const legendX = plotW - plotR + 12
	for _, name := range sortedKeys(curves) {
		front := Frontier(curves[name])
		pts := make([]point, len(front))
		for i, p := range front {
			pts[i] = point{px(p.CostPerQuery), py(p.Quality)}
		}
		c.polyline(pts, routerColors[name], plotLineStroke)
		c.line(legendX, legendY, legendX+20, legendY, routerColors[name], 3)
		c.text(legendX+26, legendY+4, name+" router", colorText, anchorStart, false)
		legendY += 16
	}
	for _, name := range sortedKeys(r.Baselines) {
		b := r.Baselines[name]
		x, y := px(b.CostPerQuery), py(b.Quality)
		c.circle(x, y, plotDotRadius, colorModel)
		c.text(x+5, y-4, shortName(name), colorModel, anchorStart, false)
	}
	for _, m := range []struct {
		name  string
		o     Outcome
		color string
	}{{"oracle", r.Oracle, colorOracle}, {"random", r.Random, colorRandom}} {
		x, y := px(m.o.CostPerQuery), py(m.o.Quality)
		c.rect(x-3.5, y-3.5, 7, 7, m.color, "")
		c.text(x+6, y+12, m.name, m.color, anchorStart, false)
	}
	c.text(legendX, legendY+8, "reference: "+shortName(r.Summary.Reference), colorText, anchorStart, false)
}

// plotBounds returns the x range (in shares of the reference cost) and
// its grid step, and the y range (quality), that hold every point.
func plotBounds(r *Report, ref float64) (xMax, step, yMin, yMax float64) {
	xMax, yMin, yMax = 1.0, r.Random.Quality, r.Oracle.Quality
	see := func(c, q float64) {
		xMax = max(xMax, c/ref)
		yMin, yMax = min(yMin, q), max(yMax, q)
	}
	for _, b := range r.Baselines {
		see(b.CostPerQuery, b.Quality)
	}
	for _, p := range r.Points {
		see(p.CostPerQuery, p.Quality)
	}
	step = 0.25
	if xMax > 2 {
		step = math.Ceil(xMax/8/0.5) * 0.5
	}
	xMax = math.Ceil(xMax*1.02/step) * step
	yMin = math.Floor(yMin*20) / 20
	yMax = math.Ceil(yMax*20) / 20
	if yMax <= yMin {
		yMax = yMin + 0.05
	}
	return xMax, step, yMin, yMax
}

func drawAxes(c canvas, xMax, step, yMin, yMax float64) {
	n := int(math.Round(xMax / step))
	for i := 0; i <= n; i++ {
		x := plotL + float64(i)/float64(n)*plotInnerW
		c.line(x, plotT, x, plotT+plotInnerH, colorGrid, 1)
		c.text(x, plotT+plotInnerH+16, fmt.Sprintf("%.0f%%", 100*step*float64(i)), colorText, anchorMiddle, false)
	}
	for i := 0; i <= plotGridY; i++ {
		y := plotT + float64(i)/plotGridY*plotInnerH
		c.line(plotL, y, plotL+plotInnerW, y, colorGrid, 1)
		c.text(plotL-6, y+4, fmt.Sprintf("%.3f", yMax-(yMax-yMin)*float64(i)/plotGridY), colorText, anchorEnd, false)
	}
	c.rect(plotL, plotT, plotInnerW, plotInnerH, "", colorFrame)
	c.text(plotL+plotInnerW/2, plotH-12, "cost per query, share of the reference model's", colorText, anchorMiddle, false)
	c.text(14, plotT+plotInnerH/2, "quality", colorText, anchorMiddle, true)
}

// shortName drops an organization prefix ("meta/llama-2" → "llama-2").
func shortName(s string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return s[i+1:]
		}
	}
	return s
}
