package train

import (
	"strings"
	"testing"
)

func TestPerturbChangesCaseAndSpellingOnly(t *testing.T) {
	text := "Summarize the following paragraph please\n\nThe council voted on Tuesday."
	seen := map[string]bool{}
	for h := uint64(0); h < 64<<10; h += 997 {
		p := perturb(text, h)
		if p != perturb(text, h) {
			t.Fatal("perturb is not deterministic")
		}
		if len(p) != len(text) || strings.Count(p, "\n") != 2 {
			t.Fatalf("perturb(%q) = %q: length or lines changed", text, p)
		}
		if !strings.EqualFold(p[strings.Index(p, "\n"):], text[strings.Index(text, "\n"):]) {
			t.Errorf("perturb changed more than the first line's spelling: %q", p)
		}
		seen[p] = true
	}
	if len(seen) < 10 {
		t.Errorf("only %d distinct perturbations", len(seen))
	}
}

func TestAugmentAddsTheShareAsked(t *testing.T) {
	var ex []Example
	for i := range 2000 {
		ex = append(ex, Example{Text: strings.Repeat("Please ", i%7+1) + "Summarize Paragraph " + strings.Repeat("x", i), Label: "chat", Source: "s"})
	}
	if got := augment(ex, 0); len(got) != len(ex) {
		t.Errorf("share 0 added %d examples", len(got)-len(ex))
	}
	got := len(augment(ex, 0.25)) - len(ex)
	if got < 400 || got > 600 {
		t.Errorf("share 0.25 of 2000 added %d examples, want about 500", got)
	}
}

func TestMeasureRobustnessCountsFlips(t *testing.T) {
	c, err := Train(tiny, tinyOptions())
	if err != nil {
		t.Fatal(err)
	}
	r := MeasureRobustness(c, tiny)
	if r.N != len(tiny) || r.Lower < 0 || r.Lower > 1 || r.Upper < 0 || r.Upper > 1 || r.Typos < 0 || r.Typos > 1 {
		t.Errorf("robustness %+v", r)
	}
	if r.Lower != 0 {
		t.Errorf("lowercasing flipped %.2f of the tiny set; features fold ASCII case, so it must be 0", r.Lower)
	}
}
