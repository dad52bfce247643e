package train

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"switchyard/classify"
	"switchyard/internal/detmath"
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
	o.Temperature = 1
	return o
}

func save(t *testing.T, c *classify.Classifier) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := c.Save(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestTrainDeterministicAndLearns(t *testing.T) {
	c1, err := Train(tiny, tinyOptions())
	if err != nil {
		t.Fatal(err)
	}
	rev := make([]Example, len(tiny)) // same data in another order: the same bytes
	for i := range tiny {
		rev[len(tiny)-1-i] = tiny[i]
	}
	c2, err := Train(rev, tinyOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(save(t, c1), save(t, c2)) {
		t.Fatal("training on the same examples in another order gave different bytes")
	}
	if r := Evaluate(c1, tiny); r.Accuracy < 0.9 {
		t.Errorf("training accuracy on the tiny set = %.2f, want >= 0.9", r.Accuracy)
	}
}

func TestTemperatureOnlySoftensScores(t *testing.T) {
	o := tinyOptions()
	hot, err := Train(tiny, o)
	if err != nil {
		t.Fatal(err)
	}
	o.Temperature = 2
	soft, err := Train(tiny, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range tiny {
		a, b := hot.ClassifyText(e.Text), soft.ClassifyText(e.Text)
		if a.Category != b.Category {
			t.Errorf("%q: temperature 2 changed the category %s → %s", e.Text, a.Category, b.Category)
		}
		if b.Confidence >= a.Confidence {
			t.Errorf("%q: confidence %.3f at temperature 2, %.3f at 1; want lower", e.Text, b.Confidence, a.Confidence)
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
	for name, change := range map[string]func(*TrainOptions){
		"source balance 0.3": func(o *TrainOptions) { o.SourceBalance = 0.3 },
		"written share 1":    func(o *TrainOptions) { o.WrittenShare = 1 },
		"temperature 0":      func(o *TrainOptions) { o.Temperature = 0 },
		"bits 30":            func(o *TrainOptions) { o.Bits = 30 },
		"zero options":       func(o *TrainOptions) { *o = TrainOptions{} },
	} {
		o := tinyOptions()
		change(&o)
		if _, err := Train(tiny, o); err == nil {
			t.Errorf("Train(%s) succeeded", name)
		}
	}
}

func TestWeighGivesWrittenItsShare(t *testing.T) {
	ex := []Example{
		{Text: "a", Label: "factual", Source: "nq-open dev"},
		{Text: "b", Label: "factual", Source: "nq-open dev"},
		{Text: "c", Label: "factual", Source: "databricks-dolly-15k", OrigLabel: "open_qa"},
		{Text: "d", Label: "factual", Source: "written-here:factual:wh"},
		{Text: "e", Label: "chat", Source: "written-here:chat:greet"},
		{Text: "f", Label: "chat", Source: "written-here:chat:banter"},
	}
	samples := make([]sample, len(ex))
	for i := range ex {
		samples[i].class = classIndex(ex[i].Label)
	}
	weigh(samples, ex, 1, 0.25)
	mass := map[string]float64{}
	for i, s := range samples {
		mass[ex[i].Label+"/"+SourceGroup(ex[i].Source)] += s.weight
	}
	// Six examples, two classes: 3 each; factual written 0.75, real 2.25
	// split evenly between its two sources (balance 1); chat all written.
	want := map[string]float64{"factual/nq": 1.125, "factual/dolly": 1.125, "factual/written": 0.75, "chat/written": 3}
	for k, w := range want {
		if math.Abs(mass[k]-w) > 1e-9 {
			t.Errorf("weight of %s = %v, want %v (all: %v)", k, mass[k], w, mass)
		}
	}
}

func TestReadJSONL(t *testing.T) {
	in := `{"text":"hi","label":"chat","source":"s","license":"MIT"}

{"text":"Sum it up: ...","label":"summarization","orig_label":"summarization","source":"w","system":"Be brief.","history":["a","b"],"wants_json":true,"tools":true}
`
	ex, err := ReadJSONL(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(ex) != 2 || ex[1].System != "Be brief." || len(ex[1].History) != 2 || !ex[1].WantsJSON || !ex[1].Tools || ex[1].OrigLabel != "summarization" {
		t.Fatalf("ReadJSONL = %+v", ex)
	}
	for _, bad := range []string{`{"text":"x","label":"nope"}`, `{"text":"","label":"chat"}`, `{"text":`} {
		if _, err := ReadJSONL(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadJSONL(%s) succeeded", bad)
		}
	}
}

func TestDetExpMatchesMathExp(t *testing.T) {
	for x := -50.0; x <= 0; x += 0.37 {
		got, want := detmath.Exp(x), math.Exp(x)
		if math.Abs(got-want) > 1e-14*want {
			t.Errorf("detmath.Exp(%v) = %v, math.Exp = %v", x, got, want)
		}
	}
}

func TestSourceGroup(t *testing.T) {
	for src, want := range map[string]string{
		"written-here:code:write":                               WrittenGroup,
		"natural-instructions/task002_quoref_answer_generation": "natural-instructions",
		"databricks-dolly-15k (databrickslabs/dolly; copy …)":   "dolly",
		"gsm8k-train (openai/grade-school-math)":                "gsm8k",
		"arena-hard-v2.0 even rows (lmarena/arena-hard-auto)":   "arena",
		"clinc150-train small_talk (clinc/oos-eval)":            "clinc",
		"somewhere else (x)":                                    "somewhere",
	} {
		if got := SourceGroup(src); got != want {
			t.Errorf("SourceGroup(%q) = %q, want %q", src, got, want)
		}
	}
}

func TestCurateDropsRowsThatDoNotAskForTheirLabel(t *testing.T) {
	const dolly = "databricks-dolly-15k"
	ex := []Example{
		{Text: "Who developed Pilates?\n\nPilates is a type of exercise…", Label: "summarization", OrigLabel: "summarization", Source: dolly},
		{Text: "Please summarize this text.\n\nPilates is a type of exercise…", Label: "summarization", OrigLabel: "summarization", Source: dolly},
		{Text: "Where does AAP operate?\n\nAAP is a party…", Label: "extraction", OrigLabel: "information_extraction", Source: dolly},
		{Text: "Extract the founders as a comma separated list.\n\nThe firm…", Label: "extraction", OrigLabel: "information_extraction", Source: dolly},
		{Text: "Who won March Madness?\n\nThe 2023 tournament…", Label: "factual", OrigLabel: "closed_qa", Source: dolly},
		{Text: "What is bubble tea?", Label: "creative", OrigLabel: "creative_writing", Source: dolly},
		{Text: "Who developed Pilates?", Label: "summarization", Source: "written-here:summarization:x"},
		{Text: "Which of these are rappers? Eminem, Adele", Label: "extraction", OrigLabel: "classification", Source: dolly},
		{Text: "Classify the review as positive or negative.\n\nGreat phone!", Label: "extraction", OrigLabel: "classification", Source: dolly},
	}
	kept, dropped := Curate(ex)
	if len(kept) != 5 || kept[0].Text != ex[1].Text || kept[1].Text != ex[3].Text || kept[4].Text != ex[8].Text || kept[4].Label != "extraction" {
		t.Errorf("kept %d: %+v", len(kept), kept)
	}
	want := map[string]int{"dolly/summarization": 1, "dolly/information_extraction": 1, "dolly/classification": 1, "dolly/creative_writing": 1}
	if len(dropped) != len(want) {
		t.Errorf("dropped = %v, want %v", dropped, want)
	}
	for k, n := range want {
		if dropped[k] != n {
			t.Errorf("dropped[%s] = %d, want %d", k, dropped[k], n)
		}
	}
}
