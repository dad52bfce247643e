package offline

import (
	"strings"
	"testing"
)

func TestExtract(t *testing.T) {
	c := DefaultFeatures()
	var a, b Vector
	text := "Write a python function to sort a list.\n\nExample:\n    sorted([3, 1, 2])"
	c.Extract(text, &a)
	c.Extract(text, &b)
	if len(a.Idx) == 0 || !equalVec(&a, &b) {
		t.Fatal("extraction is empty or not deterministic")
	}
	for i, idx := range a.Idx {
		if idx >= 1<<c.Bits {
			t.Fatalf("bucket %d out of range", idx)
		}
		if a.Val[i] <= 0 || a.Val[i] > 1 {
			t.Fatalf("value %v out of (0, 1]", a.Val[i])
		}
	}
	c.Extract("WRITE a Python function to sort a list.\n\nExample:\n    sorted([3, 1, 2])", &b)
	if !equalVec(textPart(&a), textPart(&b)) {
		t.Error("case changes the text features")
	}
	c.Extract("Answer the question: what is the capital of France?", &b)
	if equalVec(&a, &b) {
		t.Error("different prompts, same features")
	}
}

// textPart returns the text features of v (not the shape ones).
func textPart(v *Vector) *Vector {
	out := &Vector{}
	for i, b := range v.Idx {
		if b >= ShapeSlots {
			out.Idx, out.Val = append(out.Idx, b), append(out.Val, v.Val[i])
		}
	}
	return out
}

func equalVec(a, b *Vector) bool {
	if len(a.Idx) != len(b.Idx) {
		return false
	}
	for i := range a.Idx {
		if a.Idx[i] != b.Idx[i] || a.Val[i] != b.Val[i] {
			return false
		}
	}
	return true
}

// Shape features sit in their own slots; text features never land there.
func TestShapeSlots(t *testing.T) {
	c := DefaultFeatures()
	c.Bits = MinBits // few buckets: collisions would show
	var v Vector
	c.Extract(strings.Repeat("lorem ipsum dolor sit amet 12 ", 300), &v)
	shape := 0
	for i, b := range v.Idx {
		if b < ShapeSlots {
			shape++
			if v.Val[i] < 0 || v.Val[i] > 1 {
				t.Fatalf("shape value %v", v.Val[i])
			}
		}
	}
	// Per part: each non-zero value and one bin per feature.
	if shape < shapeParts*numShape || shape > shapeParts*2*numShape {
		t.Errorf("%d shape features, want %d to %d", shape, shapeParts*numShape, shapeParts*2*numShape)
	}
	text := len(v.Idx) - shape
	c.Extract("x", &v)
	if text < 1000 {
		t.Errorf("only %d text features from a long prompt", text)
	}
}

func TestShapeValues(t *testing.T) {
	q := "Which is a mammal?\nA) shark\nB) whale\nC) trout\nD) eel\nAnswer:"
	v := shapeValues(q, len(q))
	if v[7] == 0 { // options
		t.Error("enumerated options not counted")
	}
	if v[8] == 0 { // questions
		t.Error("question mark not counted")
	}
	code := "def f(x):\n    return x;\n"
	if shapeValues(code, len(code))[10] == 0 {
		t.Error("code lines not counted")
	}
	for i, x := range v {
		if x < 0 || x > 1 {
			t.Errorf("%s = %v out of [0, 1]", shapeNames[i], x)
		}
	}
}

func TestLastBlock(t *testing.T) {
	for in, want := range map[string]string{
		"a\n\nb\nc\n\n":      "b\nc",
		"only one":           "only one",
		"x\n \t\ny":          "y",
		"q1\nA\n\nq2\nB\n  ": "q2\nB",
	} {
		if got := lastBlock(in); got != want {
			t.Errorf("lastBlock(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExtractLongAndUnicode(t *testing.T) {
	c := DefaultFeatures()
	var v Vector
	long := strings.Repeat("données été ", 5000) + "最后的问题是什么？"
	c.Extract(long, &v)
	if len(v.Idx) == 0 {
		t.Fatal("no features")
	}
	// A window never splits a rune: the tail starts at a rune boundary.
	for _, n := range []int{1, 2, 3, 5, 7} {
		s := "ééé" + strings.Repeat("x", n)
		if i := runeEnd(s, 1); i != 2 {
			t.Fatalf("runeEnd inside a rune: %d", i)
		}
		c.Extract(s, &v)
	}
}

func TestExtractDoesNotAllocate(t *testing.T) {
	c := DefaultFeatures()
	text := strings.Repeat("Explain how a hash map handles collisions, with an example in Go. ", 30)
	var v Vector
	c.Extract(text, &v)
	if n := testing.AllocsPerRun(100, func() { c.Extract(text, &v) }); n != 0 {
		t.Errorf("%v allocations per extraction", n)
	}
}
