package offline

import (
	"bufio"
	"fmt"
	"html"
	"io"
)

// WriteSVG draws the report as an SVG image.
func WriteSVG(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">`+"\n", plotW, plotH)
	drawPlot(svgCanvas{bw}, r)
	fmt.Fprintln(bw, "</svg>")
	return bw.Flush()
}

// svgCanvas writes each shape as an SVG element.
type svgCanvas struct{ w io.Writer }

func (c svgCanvas) rect(x, y, w, h float64, fill, stroke string) {
	if fill == "" {
		fill = "none"
	}
	fmt.Fprintf(c.w, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"`, x, y, w, h, fill)
	if stroke != "" {
		fmt.Fprintf(c.w, ` stroke="%s"`, stroke)
	}
	fmt.Fprintln(c.w, "/>")
}

func (c svgCanvas) line(x1, y1, x2, y2 float64, color string, width float64) {
	fmt.Fprintf(c.w, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%g"/>`+"\n", x1, y1, x2, y2, color, width)
}

func (c svgCanvas) polyline(pts []point, color string, width float64) {
	fmt.Fprintf(c.w, `<polyline fill="none" stroke="%s" stroke-width="%g" points="`, color, width)
	for _, p := range pts {
		fmt.Fprintf(c.w, "%.1f,%.1f ", p.x, p.y)
	}
	fmt.Fprintln(c.w, `"/>`)
}

func (c svgCanvas) circle(cx, cy, r float64, fill string) {
	fmt.Fprintf(c.w, `<circle cx="%.1f" cy="%.1f" r="%g" fill="%s"/>`+"\n", cx, cy, r, fill)
}

var svgAnchors = [...]string{anchorStart: "start", anchorMiddle: "middle", anchorEnd: "end"}

func (c svgCanvas) text(x, y float64, s, color string, a anchor, vertical bool) {
	fmt.Fprintf(c.w, `<text x="%.1f" y="%.1f" fill="%s" text-anchor="%s"`, x, y, color, svgAnchors[a])
	if vertical {
		fmt.Fprintf(c.w, ` transform="rotate(-90 %.1f %.1f)"`, x, y)
	}
	fmt.Fprintf(c.w, ">%s</text>\n", html.EscapeString(s))
}
