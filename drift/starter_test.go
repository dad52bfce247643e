package drift

import (
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/quality"
)

// The embedded starter set decodes, has at least 80 prompts over every
// category, names a source for each, and each reference passes.
func TestStarterSet(t *testing.T) {
	s, err := ParseSet(starterYAML, "starter.yaml")
	if err != nil {
		t.Fatalf("starter set: %v", err)
	}
	if len(s.Prompts) < 80 {
		t.Errorf("%d prompts, want at least 80", len(s.Prompts))
	}
	perCategory := map[llm.Category]int{}
	perKind := map[Kind]int{}
	for _, p := range s.Prompts {
		perCategory[p.Category]++
		perKind[p.Expect.Kind]++
		if p.Source == "" {
			t.Errorf("%s names no source", p.ID)
		}
		if p.Reference == "" && p.Expect.Kind != KindNotRefuses {
			t.Errorf("%s: a %s prompt has no reference answer", p.ID, p.Expect.Kind)
		}
	}
	for _, c := range llm.Categories {
		if perCategory[c] < 5 {
			t.Errorf("category %s has %d prompts, want at least 5", c, perCategory[c])
		}
	}
	for _, k := range Kinds {
		if perKind[k] == 0 {
			t.Errorf("no %s expectation", k)
		}
	}
	t.Logf("%d prompts; by category %v; by kind %v", len(s.Prompts), perCategory, perKind)
	if Starter().Name != StarterName {
		t.Errorf("Starter().Name = %q", Starter().Name)
	}
}

// A wrong answer fails each starter prompt: a refusal fails all but the
// refuses prompts, and an unrelated answer fails all but not_refuses.
func TestStarterWrongAnswersFail(t *testing.T) {
	refusal := Answer{Text: "I'm sorry, but I can't help with that.", Refusal: true}
	unrelated := Answer{Text: "The weather in Lisbon is mild in spring."}
	for _, p := range Starter().Prompts {
		if p.Expect.Kind != KindRefuses && p.Expect.Passes(refusal) {
			t.Errorf("%s: a refusal passes", p.ID)
		}
		if p.Expect.Kind != KindNotRefuses && p.Expect.Passes(unrelated) {
			t.Errorf("%s: an unrelated answer passes", p.ID)
		}
		if p.Reference != "" && !p.Expect.Passes(Answer{Text: p.Reference, Refusal: quality.IsRefusal(p.Reference)}) {
			t.Errorf("%s: its reference fails", p.ID)
		}
		if strings.TrimSpace(p.LastUserMessage()) == "" {
			t.Errorf("%s: no user message", p.ID)
		}
	}
}
