package classify

import (
	"bytes"
	"errors"
	"testing"

	"switchyard/llm"
)

func TestLoadRejectsBadFiles(t *testing.T) {
	var buf bytes.Buffer
	if err := Default().Save(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	if !bytes.Equal(good, embedded) {
		t.Fatal("Save of the embedded model differs from the embedded bytes")
	}
	flip := bytes.Clone(good)
	flip[len(flip)/2] ^= 1
	for name, b := range map[string][]byte{
		"empty":     nil,
		"truncated": good[:len(good)-100],
		"corrupt":   flip,
		"magic":     append([]byte("NOPE"), good[4:]...),
	} {
		if _, err := Load(bytes.NewReader(b)); !errors.Is(err, ErrBadModel) {
			t.Errorf("%s: Load error = %v, want ErrBadModel", name, err)
		}
	}
}

func TestNewRejectsBadSizes(t *testing.T) {
	for _, n := range []int{0, 1000, 1 << 9, 3 << 10} {
		if _, err := New(make([][numClasses]int8, n), [numClasses]float32{}, [numClasses]float32{}); !errors.Is(err, ErrBadModel) {
			t.Errorf("New(%d rows) error = %v, want ErrBadModel", n, err)
		}
	}
}

func TestNewSaveLoadRoundTrip(t *testing.T) {
	rows := make([][numClasses]int8, 1<<10)
	for b := range rows {
		for k := range rows[b] {
			rows[b][k] = int8((b*7+k*13)%255 - 127)
		}
	}
	scale := [numClasses]float32{0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07}
	bias := [numClasses]float32{-1, 0, 1, 0.5, -0.5, 0.25, 2}
	c, err := New(rows, scale, bias)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	d, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"Write a poem", "hi", "Summarize this: the cat sat on the mat."} {
		if a, b := c.ClassifyText(text), d.ClassifyText(text); a != b {
			t.Errorf("%q: built %+v, loaded %+v", text, a, b)
		}
	}
	if d.bits != 10 || d.scale != scale || d.bias != bias {
		t.Errorf("loaded bits %d scale %v bias %v", d.bits, d.scale, d.bias)
	}
}

func TestDefaultModelLoadsAndCategoriesMatch(t *testing.T) {
	c := Default()
	if c.bits < minBits || len(c.weights) != (1<<c.bits)*8 {
		t.Fatalf("embedded model: %d bits, %d weights", c.bits, len(c.weights))
	}
	if len(embedded) > 4<<20 {
		t.Errorf("embedded model is %d bytes, over the 4 MB budget", len(embedded))
	}
	f := c.ClassifyText("Write a haiku about autumn leaves")
	if f.Category != llm.CategoryCreative {
		t.Errorf("haiku prompt classified %s (%.2f)", f.Category, f.Confidence)
	}
}
