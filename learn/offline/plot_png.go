package offline

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"strconv"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// pngScale is the PNG's pixels per plot unit: 1520 × 960 pixels, sharp
// on a high-density screen and still legible when scaled down.
const pngScale = 2

// WritePNG draws the report as a PNG image: the same plot as WriteSVG,
// rasterized with anti-aliasing, its text in the Go font.
func WritePNG(w io.Writer, r *Report) error {
	face, err := plotFace()
	if err != nil {
		return err
	}
	defer face.Close()
	c := &pngCanvas{img: image.NewRGBA(image.Rect(0, 0, plotW*pngScale, plotH*pngScale)), face: face}
	c.ras = vector.NewRasterizer(c.img.Bounds().Dx(), c.img.Bounds().Dy())
	drawPlot(c, r)
	return png.Encode(w, c.img)
}

// plotFace is the Go font at the plot's 11-unit size.
func plotFace() (font.Face, error) {
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("plot: parse font: %w", err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 11 * pngScale, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, fmt.Errorf("plot: font face: %w", err)
	}
	return face, nil
}

// pngCanvas rasterizes shapes onto an RGBA image, pngScale pixels per
// unit. Each shape is filled on its own, so overlapping parts of one
// stroke never cancel out.
type pngCanvas struct {
	img  *image.RGBA
	ras  *vector.Rasterizer
	face font.Face
}

// fill fills the closed polygon pts (plot units) with col.
func (c *pngCanvas) fill(col string, pts ...point) {
	b := c.img.Bounds()
	c.ras.Reset(b.Dx(), b.Dy())
	c.ras.MoveTo(float32(pts[0].x*pngScale), float32(pts[0].y*pngScale))
	for _, p := range pts[1:] {
		c.ras.LineTo(float32(p.x*pngScale), float32(p.y*pngScale))
	}
	c.ras.ClosePath()
	c.ras.Draw(c.img, b, image.NewUniform(parseColor(col)), image.Point{})
}

func (c *pngCanvas) rect(x, y, w, h float64, fill, stroke string) {
	if fill != "" {
		c.fill(fill, point{x, y}, point{x + w, y}, point{x + w, y + h}, point{x, y + h})
	}
	if stroke != "" {
		c.polyline([]point{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}, {x, y}}, stroke, 1)
	}
}

func (c *pngCanvas) line(x1, y1, x2, y2 float64, color string, width float64) {
	c.polyline([]point{{x1, y1}, {x2, y2}}, color, width)
}

// polyline strokes each segment as a quadrilateral and rounds the joins.
func (c *pngCanvas) polyline(pts []point, color string, width float64) {
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		dx, dy := b.x-a.x, b.y-a.y
		n := math.Hypot(dx, dy)
		if n == 0 {
			continue
		}
		nx, ny := -dy/n*width/2, dx/n*width/2
		c.fill(color, point{a.x + nx, a.y + ny}, point{b.x + nx, b.y + ny}, point{b.x - nx, b.y - ny}, point{a.x - nx, a.y - ny})
		if i < len(pts)-1 && width > 1 {
			c.circle(b.x, b.y, width/2, color)
		}
	}
}

func (c *pngCanvas) circle(cx, cy, r float64, fill string) {
	const sides = 32
	pts := make([]point, sides)
	for i := range pts {
		a := 2 * math.Pi * float64(i) / sides
		pts[i] = point{cx + r*math.Cos(a), cy + r*math.Sin(a)}
	}
	c.fill(fill, pts...)
}

// text draws s with the Go font; vertical text is drawn flat on a
// scratch image, then turned a quarter to read upwards.
func (c *pngCanvas) text(x, y float64, s, col string, a anchor, vertical bool) {
	d := &font.Drawer{Face: c.face, Src: image.NewUniform(parseColor(col))}
	w := d.MeasureString(s).Ceil()
	shift := [...]int{anchorStart: 0, anchorMiddle: w / 2, anchorEnd: w}[a]
	px, py := int(math.Round(x*pngScale)), int(math.Round(y*pngScale))
	if !vertical {
		d.Dst, d.Dot = c.img, fixed.P(px-shift, py)
		d.DrawString(s)
		return
	}
	m := c.face.Metrics()
	ascent, height := m.Ascent.Ceil(), m.Height.Ceil()
	flat := image.NewRGBA(image.Rect(0, 0, w, height))
	d.Dst, d.Dot = flat, fixed.P(0, ascent)
	d.DrawString(s)
	// Flat (i, j) goes to (px - ascent + j, py + shift - i): the baseline
	// runs up through (px, py), the text's anchor point.
	for j := 0; j < height; j++ {
		for i := 0; i < w; i++ {
			src := flat.RGBAAt(i, j)
			if src.A == 0 {
				continue
			}
			dx, dy := px-ascent+j, py+shift-i
			draw.Draw(c.img, image.Rect(dx, dy, dx+1, dy+1), image.NewUniform(src), image.Point{}, draw.Over)
		}
	}
}

// parseColor reads "#rrggbb"; anything else is black.
func parseColor(s string) color.RGBA {
	if len(s) != 7 || s[0] != '#' {
		return color.RGBA{A: 255}
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return color.RGBA{A: 255}
	}
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 255}
}
