package workload

import (
	"reflect"
	"testing"

	"switchyard/classify"
	"switchyard/llm"
	"switchyard/sim"
)

// TestClassifiedAsIntended: the router's real classifier puts at least
// 90% of each category's generated prompts in that category.
func TestClassifiedAsIntended(t *testing.T) {
	c := classify.Default()
	for _, seed := range []uint64{1, 2, 3} {
		items := Generate(Options{Seed: seed, N: 2100})
		total, hits := map[llm.Category]int{}, map[llm.Category]int{}
		misses := map[llm.Category][]string{}
		for _, it := range items {
			total[it.Category]++
			if got := c.ClassifyText(it.Prompt).Category; got == it.Category {
				hits[it.Category]++
			} else if len(misses[it.Category]) < 5 {
				misses[it.Category] = append(misses[it.Category], string(got)+": "+it.Prompt)
			}
		}
		for _, cat := range llm.Categories {
			rate := float64(hits[cat]) / float64(total[cat])
			t.Logf("seed %d: %-13s %3d/%3d = %.3f", seed, cat, hits[cat], total[cat], rate)
			if total[cat] != 300 || rate < 0.9 {
				t.Errorf("seed %d: %s: %d of %d classified as intended (want ≥ 90%%); e.g. %q", seed, cat, hits[cat], total[cat], misses[cat])
			}
		}
	}
}

// TestGenerateItems: every item has a prompt, an expected answer and
// wrong answers that do not state it, the prompts differ, and the whole
// workload registers in a knowledge base.
func TestGenerateItems(t *testing.T) {
	items := Generate(Options{Seed: 9, N: 3500})
	seen := map[string]bool{}
	forms := map[llm.Category]map[string]bool{}
	for _, it := range items {
		n := sim.Normalize(it.Prompt)
		if seen[n] {
			t.Errorf("prompt repeated: %q", it.Prompt)
		}
		seen[n] = true
		if sim.Normalize(it.Expected) == "" || len(it.Wrong) == 0 {
			t.Errorf("item %+v has no expected or no wrong answer", it)
		}
		for _, w := range it.Wrong {
			if Right(w, it.Expected) {
				t.Errorf("wrong answer %q states the expected %q", w, it.Expected)
			}
		}
		if forms[it.Category] == nil {
			forms[it.Category] = map[string]bool{}
		}
		forms[it.Category][firstWords(it.Prompt)] = true
	}
	for _, cat := range llm.Categories {
		if len(forms[cat]) < 5 {
			t.Errorf("%s: prompts start in only %d ways: %v", cat, len(forms[cat]), forms[cat])
		}
	}
	var k sim.Knowledge
	if err := Register(&k, items); err != nil || k.Len() != len(items) {
		t.Fatalf("Register: %v, %d entries for %d items", err, k.Len(), len(items))
	}
}

// firstWords is the first two words of s, normalized: a proxy for the
// form a prompt was written in.
func firstWords(s string) string {
	n := sim.Normalize(s)
	words := 0
	for i := range n {
		if n[i] == ' ' {
			if words++; words == 2 {
				return n[:i]
			}
		}
	}
	return n
}

func TestGenerateOptions(t *testing.T) {
	a := Generate(Options{Seed: 5, N: 50})
	if !reflect.DeepEqual(a, Generate(Options{Seed: 5, N: 50})) {
		t.Fatal("the same options gave different items")
	}
	if reflect.DeepEqual(a, Generate(Options{Seed: 6, N: 50})) {
		t.Fatal("seeds 5 and 6 gave the same items")
	}
	if longer := Generate(Options{Seed: 5, N: 80}); !reflect.DeepEqual(a, longer[:50]) {
		t.Fatal("the first 50 of 80 items differ from the 50 items")
	}
	if n := len(Generate(Options{})); n != 100 {
		t.Fatalf("default N: %d items", n)
	}
	mix := Generate(Options{Seed: 1, N: 30, Categories: []llm.Category{llm.CategoryCode, llm.CategoryCode, llm.CategoryChat, "nonsense"}})
	count := map[llm.Category]int{}
	for _, it := range mix {
		count[it.Category]++
	}
	if count[llm.CategoryCode] != 20 || count[llm.CategoryChat] != 10 || len(count) != 2 {
		t.Fatalf("mix: %v, want 20 code and 10 chat", count)
	}
	if got := Generate(Options{Categories: []llm.Category{}}); got != nil {
		t.Fatalf("no category: %d items", len(got))
	}
}

// TestSimulatedAnswersRated: registered in a Behavior, a workload's
// items are answered right at the model's accuracy and rated up exactly
// when right (without noise).
func TestSimulatedAnswersRated(t *testing.T) {
	items := Generate(Options{Seed: 3, N: 1400})
	var b sim.Behavior
	if err := Register(&b.Knowledge, items); err != nil {
		t.Fatal(err)
	}
	p := &sim.Profile{Model: "m", Accuracy: map[string]float64{"code": 0.5, sim.AnyCategory: 0.9}}
	rater, _ := NewRater(1, 0)
	up := map[llm.Category]int{}
	for _, it := range items {
		ans := b.Respond(p, sim.Ask{Model: "m", Prompt: it.Prompt})
		g := rater.Rate(ans.Text, it.Expected)
		if g.Right != (g.Thumbs == ThumbsUp) || g.Noisy {
			t.Fatalf("rating %+v", g)
		}
		if !g.Right && !stateOneOf(ans.Text, it.Wrong) {
			t.Fatalf("a wrong answer states none of the wrong answers: %q", ans.Text)
		}
		if g.Right {
			up[it.Category]++
		}
	}
	if !withinBinomial(up[llm.CategoryCode], 200, 0.5, 4) || !withinBinomial(up[llm.CategoryFactual], 200, 0.9, 4) {
		t.Fatalf("right answers per category %v, want about 100 code and 180 factual of 200", up)
	}
}

func stateOneOf(text string, answers []string) bool {
	for _, a := range answers {
		if Right(text, a) {
			return true
		}
	}
	return false
}
