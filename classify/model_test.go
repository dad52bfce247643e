package classify

import (
	"bytes"
	"errors"
	"math"
	"testing"

	"switchyard/llm"
)

// tiny is a small training set: enough to exercise the trainer quickly.
var tiny = []Example{
	{Text: "Who wrote Hamlet?", Label: "factual", Source: "a"},
	{Text: "What is the capital of Peru?", Label: "factual", Source: "a"},
	{Text: "Write a poem about the sea", Label: "creative", Source: "a"},
	{Text: "Write a story about a dragon", Label: "creative", Source: "b"},
	{Text: "If 3 pens cost $6, how much do 7 pens cost?", Label: "reasoning", Source: "a"},
	{Text: "Solve for x: 2x + 3 = 11", Label: "reasoning", Source: "a"},
	{Text: "Extract the names and dates from this email as JSON: ...", Label: "extraction", Source: "a", WantsJSON: true},
	{Text: "Parse this invoice into fields: vendor, total", Label: "extraction", Source: "a"},
	{Text: "Write a Python function that reverses a list", Label: "code", Source: "a"},
	{Text: "Why does this throw?\n```js\nnull.x\n```", Label: "code", Source: "a"},
	{Text: "Summarize this article in three sentences: ...", Label: "summarization", Source: "a"},
	{Text: "TL;DR please: the council voted to build a park.", Label: "summarization", Source: "a"},
	{Text: "hi, how are you?", Label: "chat", Source: "a", History: []string{"hello"}},
	{Text: "thanks, you're great", Label: "chat", Source: "a", System: "Be friendly."},
}

func tinyOptions() TrainOptions {
	o := DefaultTrainOptions()
	o.Bits = 12
	o.Epochs = 20
	return o
}

func TestTrainDeterministicAndSaveLoadRoundTrip(t *testing.T) {
	c1, err := Train(tiny, tinyOptions())
	if err != nil {
		t.Fatal(err)
	}
	// Same data in another order: the same bytes.
	rev := make([]Example, len(tiny))
	for i := range tiny {
		rev[len(tiny)-1-i] = tiny[i]
	}
	c2, err := Train(rev, tinyOptions())
	if err != nil {
		t.Fatal(err)
	}
	var b1, b2 bytes.Buffer
	if err := c1.Save(&b1); err != nil {
		t.Fatal(err)
	}
	if err := c2.Save(&b2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
		t.Fatal("training on the same examples in another order gave different bytes")
	}
	c3, err := Load(bytes.NewReader(b1.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range tiny {
		f1, f3 := c1.ClassifyText(e.Text), c3.ClassifyText(e.Text)
		if f1 != f3 {
			t.Errorf("%q: trained %+v, loaded %+v", e.Text, f1, f3)
		}
	}
	if r := Evaluate(c1, tiny); r.Accuracy < 0.9 {
		t.Errorf("training accuracy on the tiny set = %.2f, want >= 0.9", r.Accuracy)
	}
}

func TestLoadRejectsBadFiles(t *testing.T) {
	c, err := Train(tiny, tinyOptions())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	c.Save(&buf)
	good := buf.Bytes()
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

func TestTrainRejectsBadInput(t *testing.T) {
	if _, err := Train(nil, DefaultTrainOptions()); err == nil {
		t.Error("Train(no examples) succeeded")
	}
	if _, err := Train([]Example{{Text: "x", Label: "poetry"}}, DefaultTrainOptions()); err == nil {
		t.Error("Train(unknown label) succeeded")
	}
	o := DefaultTrainOptions()
	o.SourceBalance = 0.3
	if _, err := Train(tiny, o); err == nil {
		t.Error("Train(source balance 0.3) succeeded")
	}
	if _, err := Train(tiny, TrainOptions{}); err == nil {
		t.Error("Train(zero options) succeeded")
	}
}

func TestReadJSONL(t *testing.T) {
	in := `{"text":"hi","label":"chat","source":"s","license":"MIT"}

{"text":"Sum it up: ...","label":"summarization","source":"w","system":"Be brief.","history":["a","b"],"wants_json":true,"tools":true}
`
	ex, err := ReadJSONL(bytes.NewReader([]byte(in)))
	if err != nil {
		t.Fatal(err)
	}
	if len(ex) != 2 || ex[1].System != "Be brief." || len(ex[1].History) != 2 || !ex[1].WantsJSON || !ex[1].Tools {
		t.Fatalf("ReadJSONL = %+v", ex)
	}
	for _, bad := range []string{`{"text":"x","label":"nope"}`, `{"text":"","label":"chat"}`, `{"text":`} {
		if _, err := ReadJSONL(bytes.NewReader([]byte(bad))); err == nil {
			t.Errorf("ReadJSONL(%s) succeeded", bad)
		}
	}
}

func TestDetExpMatchesMathExp(t *testing.T) {
	for x := -50.0; x <= 0; x += 0.37 {
		got, want := detExp(x), math.Exp(x)
		if math.Abs(got-want) > 1e-14*want {
			t.Errorf("detExp(%v) = %v, math.Exp = %v", x, got, want)
		}
	}
}

func TestDefaultModelLoadsAndCategoriesMatch(t *testing.T) {
	c := Default()
	if c.bits < minBits || len(c.weights) != (1<<c.bits)*8 {
		t.Fatalf("embedded model: %d bits, %d weights", c.bits, len(c.weights))
	}
	f := c.ClassifyText("Write a haiku about autumn leaves")
	if f.Category != llm.CategoryCreative {
		t.Errorf("haiku prompt classified %s (%.2f)", f.Category, f.Confidence)
	}
}
