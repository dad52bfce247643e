package sim

import (
	"math"
	"testing"
)

func cosine(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

func TestEmbedding(t *testing.T) {
	const model = "text-embedding-3-small"
	e := func(text string) []float32 { return Embedding(model, text, 1536) }
	a := e("I was charged twice")
	if n := cosine(a, a); math.Abs(n-1) > 1e-5 || len(a) != 1536 {
		t.Fatalf("len %d, norm² %v", len(a), n)
	}
	if b := e("I was charged twice"); cosine(a, b) < 0.99999 {
		t.Error("not deterministic")
	}
	near := cosine(a, e("I was charged twice this month"))
	far := cosine(a, e("Write a haiku about trains"))
	if near < 0.7 || far > 0.3 {
		t.Errorf("shared words %.3f, none %.3f", near, far)
	}
	if c := cosine(e("refund"), e("refunds")); c < 0.3 {
		t.Errorf("trigrams: refund ~ refunds %.3f", c)
	}
	if c := cosine(a, Embedding("other-model", "I was charged twice", 1536)); c > 0.3 {
		t.Errorf("another model's vector is too close: %.3f", c)
	}
	// A shorter vector is the longer one cut and normalized again.
	short := Embedding(model, "I was charged twice", 8)
	var norm float64
	for _, x := range a[:8] {
		norm += float64(x) * float64(x)
	}
	for i := range short {
		if want := float64(a[i]) / math.Sqrt(norm); math.Abs(float64(short[i])-want) > 1e-5 {
			t.Fatalf("short[%d] = %v, want %v", i, short[i], want)
		}
	}
	// Fixed values, so a change to the vectors is deliberate.
	got := Embedding("m", "hello world", 4)
	want := []float32{-0.4472136, -0.2981424, 0.5962848, 0.5962848}
	for i := range want {
		if math.Abs(float64(got[i]-want[i])) > 1e-6 {
			t.Errorf("Embedding(m, hello world, 4) = %v, want %v", got, want)
			break
		}
	}
	for _, text := range []string{"?!", "   "} {
		v := Embedding(model, text, 16)
		if n := cosine(v, v); math.IsNaN(n) || math.Abs(n-1) > 1e-5 {
			t.Errorf("%q: norm² %v", text, n)
		}
	}
	if Embedding(model, "x", 0) != nil {
		t.Error("zero dimensions")
	}
}
