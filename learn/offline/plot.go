package offline

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"math"
)

// The plot: quality against cost per query (as a share of the
// reference's), the routers' frontiers as lines, the single models,
// random and oracle as points.
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

// WriteSVG draws the report as an SVG image.
func WriteSVG(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	ref := r.Summary.ReferenceCostPerQuery
	if ref <= 0 {
		ref = 1
	}
	xMax, step, yMin, yMax := plotBounds(r, ref)
	px := func(c float64) float64 { return plotL + c/ref/xMax*plotInnerW }
	py := func(q float64) float64 { return plotT + (yMax-q)/(yMax-yMin)*plotInnerH }
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">`+"\n", plotW, plotH)
	fmt.Fprintf(bw, `<rect width="%d" height="%d" fill="white"/>`+"\n", plotW, plotH)
	writeAxes(bw, xMax, step, yMin, yMax)
	curves := map[string][]Point{"learned": r.Points}
	for name, c := range r.Routers {
		curves[name] = c.Points
	}
	legendY := plotT + 10
	for _, name := range sortedKeys(curves) {
		front := Frontier(curves[name])
		fmt.Fprintf(bw, `<polyline fill="none" stroke="%s" stroke-width="%d" points="`, routerColors[name], plotLineStroke)
		for _, p := range front {
			fmt.Fprintf(bw, "%.1f,%.1f ", px(p.CostPerQuery), py(p.Quality))
		}
		fmt.Fprintln(bw, `"/>`)
		fmt.Fprintf(bw, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="3"/><text x="%d" y="%d">%s router</text>`+"\n",
			plotW-plotR+12, legendY, plotW-plotR+32, legendY, routerColors[name], plotW-plotR+38, legendY+4, name)
		legendY += 16
	}
	for _, name := range sortedKeys(r.Baselines) {
		b := r.Baselines[name]
		x, y := px(b.CostPerQuery), py(b.Quality)
		fmt.Fprintf(bw, `<circle cx="%.1f" cy="%.1f" r="%g" fill="#444"/><text x="%.1f" y="%.1f" fill="#444">%s</text>`+"\n",
			x, y, plotDotRadius, x+5, y-4, html.EscapeString(shortName(name)))
	}
	for _, m := range []struct {
		name  string
		o     Outcome
		color string
	}{{"oracle", r.Oracle, "#9467bd"}, {"random", r.Random, "#8c564b"}} {
		x, y := px(m.o.CostPerQuery), py(m.o.Quality)
		fmt.Fprintf(bw, `<rect x="%.1f" y="%.1f" width="7" height="7" fill="%s"/><text x="%.1f" y="%.1f" fill="%s">%s</text>`+"\n",
			x-3.5, y-3.5, m.color, x+6, y+12, m.color, m.name)
	}
	fmt.Fprintf(bw, `<text x="%d" y="%d">reference: %s</text>`+"\n", plotW-plotR+12, legendY+8, html.EscapeString(shortName(r.Summary.Reference)))
	fmt.Fprintln(bw, "</svg>")
	return bw.Flush()
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

func writeAxes(w io.Writer, xMax, step, yMin, yMax float64) {
	fmt.Fprintf(w, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#888"/>`+"\n", plotL, plotT, plotInnerW, plotInnerH)
	n := int(math.Round(xMax / step))
	for i := 0; i <= n; i++ {
		x := plotL + float64(i)/float64(n)*plotInnerW
		fmt.Fprintf(w, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#eee"/><text x="%.1f" y="%d" text-anchor="middle">%.0f%%</text>`+"\n",
			x, plotT, x, plotT+plotInnerH, x, plotT+plotInnerH+16, 100*step*float64(i))
	}
	for i := 0; i <= plotGridY; i++ {
		y := plotT + float64(i)/plotGridY*plotInnerH
		fmt.Fprintf(w, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#eee"/><text x="%d" y="%.1f" text-anchor="end">%.3f</text>`+"\n",
			plotL, y, plotL+plotInnerW, y, plotL-6, y+4, yMax-(yMax-yMin)*float64(i)/plotGridY)
	}
	fmt.Fprintf(w, `<text x="%d" y="%d" text-anchor="middle">cost per query, share of the reference model's</text>`+"\n", plotL+plotInnerW/2, plotH-12)
	fmt.Fprintf(w, `<text x="14" y="%d" transform="rotate(-90 14 %d)" text-anchor="middle">quality</text>`+"\n", plotT+plotInnerH/2, plotT+plotInnerH/2)
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
