package sim

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"

	"switchyard/quality"
)

// withinBinomial reports whether k successes of n are within z standard
// deviations of the rate p.
func withinBinomial(k, n int, p, z float64) bool {
	sd := math.Sqrt(float64(n) * p * (1 - p))
	return math.Abs(float64(k)-float64(n)*p) <= z*sd+1
}

var capital = Entry{Prompt: "What is the capital of France?", Answer: "Paris", Category: "factual", Wrong: []string{"Lyon", "Marseille"}}

func TestBehaviorAccuracyRate(t *testing.T) {
	var b Behavior
	b.Knowledge.Add(capital)
	p := &Profile{Model: "m", Accuracy: map[string]float64{"factual": 0.7}}
	const n = 4000
	right, wrongSeen := 0, map[string]int{}
	for i := 0; i < n; i++ {
		ans := b.Respond(p, Ask{Model: "m", Prompt: "what is the capital of france"})
		switch {
		case ContainsAnswer(ans.Text, "Paris"):
			right++
		case ContainsAnswer(ans.Text, "Lyon") != ContainsAnswer(ans.Text, "Marseille"):
			wrongSeen[map[bool]string{true: "Lyon", false: "Marseille"}[ContainsAnswer(ans.Text, "Lyon")]]++
		default:
			t.Fatalf("answer states neither the right nor one wrong answer: %q", ans.Text)
		}
		if ans.Finish != "stop" || ans.CompletionTokens != len(ans.Pieces) || strings.Join(ans.Pieces, "") != ans.Text {
			t.Fatalf("answer %+v", ans)
		}
	}
	if !withinBinomial(right, n, 0.7, 4) {
		t.Errorf("%d of %d right, want about 70%%", right, n)
	}
	if !withinBinomial(wrongSeen["Lyon"], n-right, 0.5, 4) {
		t.Errorf("wrong answers %v, want Lyon and Marseille about evenly", wrongSeen)
	}
}

func TestBehaviorAccuracyPrecedence(t *testing.T) {
	p := &Profile{Model: "m", Quality: 0.8, Accuracy: map[string]float64{"code": 0.6, AnyCategory: 0.7}}
	tests := []struct {
		name     string
		set      func(b *Behavior)
		category string
		want     float64
	}{
		{"profile category", nil, "code", 0.6},
		{"profile any", nil, "chat", 0.7},
		{"uncategorized entry", nil, "", 0.7},
		{"model any beats profile category", func(b *Behavior) { b.SetAccuracy("m", map[string]float64{AnyCategory: 0.3}) }, "code", 0.3},
		{"model category beats model any", func(b *Behavior) {
			b.SetAccuracy("m", map[string]float64{AnyCategory: 0.3})
			b.SetAccuracy("m", map[string]float64{"code": 0.9})
		}, "code", 0.9},
		{"every model", func(b *Behavior) { b.SetAccuracy("", map[string]float64{"code": 0.2}) }, "code", 0.2},
		{"model beats every model", func(b *Behavior) {
			b.SetAccuracy("", map[string]float64{"code": 0.2})
			b.SetAccuracy("m", map[string]float64{"code": 0.4})
		}, "code", 0.4},
		{"other model's ignored", func(b *Behavior) { b.SetAccuracy("x", map[string]float64{"code": 0.1}) }, "code", 0.6},
		{"drop", func(b *Behavior) { b.SetDrift(Drift{Model: "m", AccuracyDrop: map[string]float64{"code": 0.25}}) }, "code", 0.35},
		{"drop any", func(b *Behavior) { b.SetDrift(Drift{AccuracyDrop: map[string]float64{AnyCategory: 0.25}}) }, "chat", 0.45},
		{"drop floors at 0", func(b *Behavior) { b.SetDrift(Drift{Model: "m", AccuracyDrop: map[string]float64{"code": 1}}) }, "code", 0},
		{"cleared", func(b *Behavior) {
			b.SetAccuracy("m", map[string]float64{"code": 0.1})
			b.SetDrift(Drift{Model: "m", AccuracyDrop: map[string]float64{"code": 0.1}})
			b.ClearAccuracy("m")
			b.ClearDrift("m")
		}, "code", 0.6},
	}
	for _, tt := range tests {
		var b Behavior
		if tt.set != nil {
			tt.set(&b)
		}
		if got := b.Accuracy(p, tt.category); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s: Accuracy = %v, want %v", tt.name, got, tt.want)
		}
	}
	if got := (*Behavior)(nil).Accuracy(&Profile{Model: "q", Quality: 0.8}, "x"); got != 0.8 {
		t.Errorf("nil Behavior: Accuracy = %v, want the quality 0.8", got)
	}
	if got := (&Behavior{}).Accuracy(&Profile{Model: "q"}, "x"); got != 1 {
		t.Errorf("no quality: Accuracy = %v, want 1", got)
	}
}

func TestBehaviorDeterministic(t *testing.T) {
	run := func(seed uint64) []string {
		var b Behavior
		b.SetSeed(seed)
		b.Knowledge.Add(capital, Entry{Prompt: "How many legs do 3 spiders have?", Answer: "24", Category: "reasoning"})
		b.SetDrift(Drift{RefusalRate: 0.2, Verbosity: 1.2})
		p := &Profile{Model: "m", Quality: 0.5}
		var out []string
		for i := 0; i < 40; i++ {
			for _, q := range []string{capital.Prompt, "How many legs do 3 spiders have?", "Tell me a joke"} {
				out = append(out, b.Respond(p, Ask{Model: "m", Prompt: q}).Text)
			}
		}
		return out
	}
	a, again, other := run(7), run(7), run(8)
	if !reflect.DeepEqual(a, again) {
		t.Fatal("two runs with seed 7 differ")
	}
	if reflect.DeepEqual(a, other) {
		t.Fatal("seeds 7 and 8 give the same answers")
	}
	// SetSeed starts the draws again.
	var b Behavior
	b.Knowledge.Add(capital)
	p := &Profile{Model: "m", Quality: 0.5}
	first := b.Respond(p, Ask{Model: "m", Prompt: capital.Prompt}).Text
	var differs bool
	for i := 0; i < 20; i++ {
		differs = differs || b.Respond(p, Ask{Model: "m", Prompt: capital.Prompt}).Text != first
	}
	b.SetSeed(0)
	if !differs || b.Respond(p, Ask{Model: "m", Prompt: capital.Prompt}).Text != first {
		t.Fatal("a repeated question is always answered alike, or SetSeed did not restart the draws")
	}
}

func TestBehaviorMadeUpWrongAnswers(t *testing.T) {
	var b Behavior
	b.Knowledge.Add(
		Entry{Prompt: "How many clips did Natalia sell?", Answer: "72", Category: "math"},
		Entry{Prompt: "Capital of Peru?", Answer: "Lima", Category: "geo"},
		Entry{Prompt: "Capital of Chile?", Answer: "Santiago", Category: "geo"},
		Entry{Prompt: "Capital of Spain?", Answer: "Madrid", Category: "geo"},
		Entry{Prompt: "Who knows?", Answer: "Nobody", Category: "alone"},
	)
	p := &Profile{Model: "m", Accuracy: map[string]float64{AnyCategory: 0}}
	want := map[string][]string{
		"How many clips did Natalia sell?": {"73", "144", "36", "82", "71"},
		"Capital of Peru?":                 {"Santiago", "Madrid"},
		"Who knows?":                       {"I am not sure; I could not find a definite answer to that."},
	}
	for q, wrongs := range want {
		e, _ := b.Knowledge.Lookup(q)
		seen := map[string]bool{}
		for i := 0; i < 200; i++ {
			text := b.Respond(p, Ask{Model: "m", Prompt: q}).Text
			if ContainsAnswer(text, e.Answer) {
				t.Fatalf("%s: a wrong answer states the right one: %q", q, text)
			}
			for _, w := range wrongs {
				if ContainsAnswer(text, w) {
					seen[w] = true
				}
			}
		}
		if len(seen) != len(wrongs) {
			t.Errorf("%s: wrong answers seen %v, want each of %q", q, seen, wrongs)
		}
	}
}

func TestBehaviorRefusalRate(t *testing.T) {
	for _, r := range refusals {
		if !quality.IsRefusal(r) {
			t.Errorf("the router does not see %q as a refusal", r)
		}
	}
	var b Behavior
	b.Knowledge.Add(capital)
	if err := b.SetDrift(Drift{Model: "m", RefusalRate: 0.15}); err != nil {
		t.Fatal(err)
	}
	p, other := &Profile{Model: "m"}, &Profile{Model: "other"}
	const n = 4000
	refused := 0
	for i := 0; i < n; i++ {
		prompt := fmt.Sprintf("Question number %d about the sea", i)
		if i%2 == 0 {
			prompt = capital.Prompt
		}
		ans := b.Respond(p, Ask{Model: "m", Prompt: prompt, Tools: []ToolSpec{{Name: "sea"}}})
		if quality.IsRefusal(ans.Text) {
			refused++
			if ans.Finish != "stop" || len(ans.ToolCalls) != 0 || ContainsAnswer(ans.Text, "Paris") {
				t.Fatalf("refusal %+v", ans)
			}
		}
		if o := b.Respond(other, Ask{Model: "other", Prompt: prompt}); quality.IsRefusal(o.Text) {
			t.Fatalf("a model without drift refused: %q", o.Text)
		}
	}
	if !withinBinomial(refused, n, 0.15, 4) {
		t.Errorf("%d of %d refused, want about 15%%", refused, n)
	}
	b.ClearDrift("m")
	for i := 0; i < 200; i++ {
		if ans := b.Respond(p, Ask{Model: "m", Prompt: fmt.Sprint(i)}); quality.IsRefusal(ans.Text) {
			t.Fatal("a refusal after the drift was cleared")
		}
	}
}

func TestBehaviorVerbosity(t *testing.T) {
	var b Behavior
	var entries []Entry
	for i := 0; i < 100; i++ {
		entries = append(entries, Entry{Prompt: fmt.Sprintf("How many apples are in %d crates?", i), Answer: fmt.Sprint(i * 12), Category: "math"})
	}
	b.Knowledge.Add(entries...)
	profiles := []*Profile{{Model: "m", Quality: 1}, {Model: "r", Quality: 1, Reasoning: true}}
	measure := func() (chars, tokens int) {
		for _, p := range profiles {
			for i := 0; i < 400; i++ {
				prompt := fmt.Sprintf("Tell me about topic %d in a few words", i)
				if i%4 == 0 {
					prompt = entries[i/4].Prompt
				}
				ans := b.Respond(p, Ask{Model: p.Model, Prompt: prompt})
				if i%4 == 0 && !ContainsAnswer(ans.Text, entries[i/4].Answer) {
					t.Fatalf("the answer is gone: %q", ans.Text)
				}
				chars += len(ans.Text)
				tokens += ans.CompletionTokens
			}
		}
		return chars, tokens
	}
	baseChars, baseTokens := measure()
	for _, v := range []float64{1.3, 0.7, 2} {
		b.SetDrift(Drift{Verbosity: v})
		chars, tokens := measure()
		rc, rt := float64(chars)/float64(baseChars), float64(tokens)/float64(baseTokens)
		if math.Abs(rc-v) > 0.05*v || math.Abs(rt-v) > 0.05*v {
			t.Errorf("verbosity %v: text %.3f×, completion tokens %.3f×", v, rc, rt)
		}
	}
	b.ClearDrift("")
	if chars, tokens := measure(); chars != baseChars || tokens != baseTokens {
		t.Errorf("after clearing: %d chars %d tokens, want %d and %d", chars, tokens, baseChars, baseTokens)
	}
}

// TestBehaviorIdleIsRespond: a Behavior that knows nothing and has no
// drift answers exactly as the profile does, and a nil one too.
func TestBehaviorIdleIsRespond(t *testing.T) {
	p := &Profile{Model: "sim-1", Reasoning: true}
	asks := []Ask{
		{Model: "sim-1", Prompt: "Tell me a story"},
		{Model: "sim-1", Prompt: "x", JSON: true},
		{Model: "sim-1", Prompt: "get weather", Tools: weatherTools},
		{Model: "sim-1", Prompt: "q", HasToolResult: true, ToolResult: "{}"},
		{Model: "sim-1", Prompt: "q", Prefill: "This is sim-1"},
		{Model: "sim-1", Prompt: "a long question", MaxTokens: 3},
	}
	var b Behavior
	b.SetAccuracy("sim-1", map[string]float64{AnyCategory: 0})
	b.SetDrift(Drift{Model: "other", Verbosity: 2})
	for _, a := range asks {
		want := p.Respond(a)
		if got := b.Respond(p, a); !reflect.DeepEqual(got, want) {
			t.Errorf("%+v: %+v, want %+v", a, got, want)
		}
		if got := (*Behavior)(nil).Respond(p, a); !reflect.DeepEqual(got, want) {
			t.Errorf("nil Behavior, %+v: %+v", a, got)
		}
	}
}

func TestBehaviorShapes(t *testing.T) {
	var b Behavior
	b.Knowledge.Add(capital,
		Entry{Prompt: "Extract the name as JSON", Answer: `{"name": "Ada"}`, Wrong: []string{`{"name":"Bob"}`}},
		Entry{Prompt: "Write add in Python", Answer: "def add(a, b):\n    return a + b", Wrong: []string{"def add(a, b):\n    return a - b"}},
	)
	right, wrong := &Profile{Model: "m", Quality: 1}, &Profile{Model: "w", Accuracy: map[string]float64{AnyCategory: 0}}
	tests := []struct {
		name string
		p    *Profile
		a    Ask
		want string // a substring of the text
	}{
		{"JSON object core", right, Ask{Prompt: "extract the name as json", JSON: true}, `{"name":"Ada"}`},
		{"JSON wrong core", wrong, Ask{Prompt: "extract the name as json", JSON: true}, `{"name":"Bob"}`},
		{"JSON string core", right, Ask{Prompt: capital.Prompt, JSON: true}, `{"answer":"Paris"}`},
		{"code block", right, Ask{Prompt: "write add in python"}, "Here is a solution:\n\ndef add(a, b):\n    return a + b\n"},
		{"wrong code", wrong, Ask{Prompt: "write add in python"}, "return a - b"},
		{"tool call wins", right, Ask{Prompt: capital.Prompt, Tools: weatherTools, ToolsRequired: true}, ""},
	}
	for _, tt := range tests {
		tt.a.Model = tt.p.Model
		ans := b.Respond(tt.p, tt.a)
		if tt.want == "" {
			if len(ans.ToolCalls) != 1 {
				t.Errorf("%s: %+v, want a tool call", tt.name, ans)
			}
			continue
		}
		if !strings.Contains(ans.Text, tt.want) {
			t.Errorf("%s: %q, want %q in it", tt.name, ans.Text, tt.want)
		}
	}
}

// TestBehaviorContinue: a prefill cut from a knowledge answer, right or
// wrong, at a drifted length, continues as that answer's rest (a prefill
// cut before the answer is stated may continue as any of them) and is
// never refused.
func TestBehaviorContinue(t *testing.T) {
	var b Behavior
	b.Knowledge.Add(capital)
	b.SetDrift(Drift{Verbosity: 1.5, RefusalRate: 1})
	p := &Profile{Model: "m", Quality: 0.5}
	for _, core := range []string{"Paris", "Lyon", "Marseille"} {
		sh := shape{verbosity: 1.5, core: core, right: "Paris", candidates: []string{"Paris", "Lyon", "Marseille"}}
		full := p.knownProse(Ask{Model: "m", Prompt: capital.Prompt}, sh)
		head := full[:strings.Index(full, core)+len(core)]
		ans := b.Respond(p, Ask{Model: "m", Prompt: capital.Prompt, Prefill: head})
		if ans.Text != full[len(head):] {
			t.Errorf("%s: continued %q, want %q", core, ans.Text, full[len(head):])
		}
	}
}

// TestBehaviorConcurrent: answers while the knowledge, accuracies, drifts
// and seed change (run with -race).
func TestBehaviorConcurrent(t *testing.T) {
	var b Behavior
	p := &Profile{Model: "m", Quality: 0.5}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 300; i++ {
			b.Knowledge.Add(Entry{Prompt: fmt.Sprint("question ", i%20), Answer: fmt.Sprint(i), Category: fmt.Sprint("c", i%3)})
			b.SetDrift(Drift{Model: "m", Verbosity: 1 + float64(i%3)/10, RefusalRate: 0.1})
			b.SetAccuracy("m", map[string]float64{"c1": 0.2})
			if i%50 == 0 {
				b.Knowledge.Clear()
				b.ClearDrift("")
				b.ClearAccuracy("m")
				b.SetSeed(uint64(i))
			}
		}
	}()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				ans := b.Respond(p, Ask{Model: "m", Prompt: fmt.Sprint("question ", i%25)})
				if ans.Text == "" || strings.Join(ans.Pieces, "") != ans.Text {
					t.Errorf("answer %+v", ans)
					return
				}
			}
		}()
	}
	wg.Wait()
	<-done
}
