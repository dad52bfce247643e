package offline

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
)

// plotReport is a report whose points land where a test can find them:
// the reference costs 1 per query, so the x axis runs to 125% and the y
// axis from 0.5 to 1.0.
func plotReport() *Report {
	curve := func(c1, q1, c2, q2 float64) []Point {
		return []Point{{Lambda: 0, Quality: q1, CostPerQuery: c1}, {Lambda: 1, Quality: q2, CostPerQuery: c2}}
	}
	return &Report{
		Points: curve(1.0, 0.95, 0.2, 0.70),
		Routers: map[string]Curve{
			"knn":      {Points: curve(0.8, 0.75, 0.1, 0.55)},
			"per_task": {Points: curve(0.9, 0.60, 0.3, 0.52)},
		},
		Baselines: map[string]Outcome{"org/big": {Quality: 0.9, CostPerQuery: 1}, "small": {Quality: 0.6, CostPerQuery: 0.05}},
		Oracle:    Outcome{Quality: 0.98, CostPerQuery: 0.05},
		Random:    Outcome{Quality: 0.52, CostPerQuery: 0.5},
		Summary:   Summary{Reference: "org/big", ReferenceQuality: 0.9, ReferenceCostPerQuery: 1},
	}
}

// at is where the plot puts (cost share, quality) of plotReport in the
// PNG's pixels: 64 + share/1.25 × 496 across, 24 + (1 − q)/0.5 × 408
// down, times the PNG's scale of 2.
func at(share, q float64) image.Point {
	return image.Pt(int(2*(64+share/1.25*496)), int(2*(24+(1-q)/0.5*408)))
}

// near reports whether a pixel within r of p has exactly color c.
func near(img image.Image, p image.Point, r int, c color.RGBA) bool {
	for y := p.Y - r; y <= p.Y+r; y++ {
		for x := p.X - r; x <= p.X+r; x++ {
			if color.RGBAModel.Convert(img.At(x, y)).(color.RGBA) == c {
				return true
			}
		}
	}
	return false
}

// inkBox returns the bounds of the dark (text) pixels within area.
func inkBox(img image.Image, area image.Rectangle) (box image.Rectangle, n int) {
	for y := area.Min.Y; y < area.Max.Y; y++ {
		for x := area.Min.X; x < area.Max.X; x++ {
			if r, g, b, _ := img.At(x, y).RGBA(); r < 0x5000 && g < 0x5000 && b < 0x5000 {
				box = box.Union(image.Rect(x, y, x+1, y+1))
				n++
			}
		}
	}
	return box, n
}

// The PNG is a real image of the plot: every router's frontier in its
// color where its points lie, the models, oracle and random, the legend
// and the axis labels (the quality label upright), on white.
func TestWritePNG(t *testing.T) {
	var buf bytes.Buffer
	if err := WritePNG(&buf, plotReport()); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 1520 || b.Dy() != 960 {
		t.Fatalf("size %v", b)
	}
	for _, tc := range []struct {
		what  string
		p     image.Point
		color string
	}{
		{"learned frontier", at(0.6, 0.825), routerColors["learned"]},
		{"knn frontier", at(0.45, 0.65), routerColors["knn"]},
		{"per_task frontier", at(0.6, 0.56), routerColors["per_task"]},
		{"oracle", at(0.05, 0.98), colorOracle},
		{"random", at(0.5, 0.52), colorRandom},
		{"a model", at(0.05, 0.6), colorModel},
		{"the reference model", at(1, 0.9), colorModel},
		{"background", at(0.3, 0.9), "#ffffff"},
	} {
		if !near(img, tc.p, 2, parseColor(tc.color)) {
			t.Errorf("%s: no %s pixel near %v", tc.what, tc.color, tc.p)
		}
	}
	if near(img, at(0.3, 0.9), 6, parseColor(routerColors["learned"])) {
		t.Error("the learned router's color where no curve passes")
	}
	legend, n := inkBox(img, image.Rect(2*572, 2*24, 2*760, 2*100))
	if n < 300 || legend.Dx() < 2*80 {
		t.Errorf("legend text: %d dark pixels in %v", n, legend)
	}
	label, n := inkBox(img, image.Rect(0, 2*150, 2*24, 2*300))
	if n < 100 || label.Dx() > 2*14 || label.Dy() < 2*28 {
		t.Errorf("quality label: %d dark pixels in %v, want an upright word", n, label)
	}
	xlabel, n := inkBox(img, image.Rect(2*64, 2*450, 2*560, 2*480))
	if n < 300 || xlabel.Dx() < 2*200 || xlabel.Dy() > 2*16 {
		t.Errorf("cost label: %d dark pixels in %v", n, xlabel)
	}
}

// The SVG draws the same shapes: a polyline per router, a circle per
// model, the oracle and random, the labels.
func TestWriteSVGContent(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSVG(&buf, plotReport()); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	for what, n := range map[string]int{"<polyline": 3, "<circle": 2, ">oracle<": 1, ">random<": 1, ">quality<": 1,
		">reference: big<": 1, ">learned router<": 1, ">125%<": 1, `rotate(-90`: 1} {
		if got := strings.Count(s, what); got != n {
			t.Errorf("%d × %q, want %d", got, what, n)
		}
	}
}
