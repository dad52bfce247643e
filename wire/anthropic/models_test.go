package anthropic

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"switchyard/llm"
)

// TestModelTraits: every id style reads to its model's row, as
// Anthropic's pages document each model; an unknown newer version takes
// its family's newest row.
func TestModelTraits(t *testing.T) {
	type row struct {
		family            string
		version           int
		budget, adaptive  bool
		between           bool
		disable           Disable
		byDefault         bool
		noSampling        bool
		noForced, noPrefl bool
		effort            llm.Effort
	}
	for id, want := range map[string]row{
		"claude-3-7-sonnet-20250219":        {"sonnet", 307, true, false, false, DisableAlways, false, false, false, false, ""},
		"claude-sonnet-4-5-20250929":        {"sonnet", 405, true, false, false, DisableAlways, false, false, false, false, ""},
		"claude-haiku-4-5":                  {"haiku", 405, true, false, false, DisableAlways, false, false, false, false, ""},
		"claude-opus-4-5@20251101":          {"opus", 405, true, false, false, DisableAlways, false, false, false, false, llm.EffortHigh},
		"claude-sonnet-4-6":                 {"sonnet", 406, true, true, false, DisableAlways, false, false, false, true, llm.EffortHigh},
		"claude-opus-4-6":                   {"opus", 406, true, true, false, DisableAlways, false, false, false, false, llm.EffortHigh},
		"claude-opus-4-7":                   {"opus", 407, false, true, false, DisableAlways, false, true, false, false, llm.EffortHigh},
		"claude-opus-4-8":                   {"opus", 408, false, true, false, DisableAlways, false, true, false, false, llm.EffortHigh},
		"claude-sonnet-5":                   {"sonnet", 500, false, true, false, DisableAlways, true, true, false, true, llm.EffortHigh},
		"claude-opus-5":                     {"opus", 500, false, true, false, DisableUpToHigh, true, true, false, true, llm.EffortHigh},
		"claude-fable-5":                    {"fable", 500, false, true, false, DisableNever, true, true, false, true, llm.EffortHigh},
		"claude-mythos-5":                   {"mythos", 500, false, true, false, DisableNever, true, true, false, true, llm.EffortHigh},
		"claude-fable-5-1":                  {"fable", 501, false, true, false, DisableNever, true, true, true, true, llm.EffortHigh},
		"claude-mythos-5-1":                 {"mythos", 501, false, true, false, DisableNever, true, true, true, true, llm.EffortHigh},
		"claude-fable-5-2":                  {"fable", 502, false, true, false, DisableNever, true, true, true, true, llm.EffortHigh},
		"claude-opus-5-5":                   {"opus", 505, false, true, false, DisableNever, true, true, true, true, llm.EffortMedium},
		"us.anthropic.claude-opus-5-5-v1:0": {"opus", 505, false, true, false, DisableNever, true, true, true, true, llm.EffortMedium},
		"anthropic.claude-sonnet-5-5":       {"sonnet", 505, false, true, true, DisableNever, true, true, true, true, llm.EffortHigh},
		"claude-sonnet-5-5":                 {"sonnet", 505, false, true, true, DisableNever, true, true, true, true, llm.EffortHigh},
		"claude-haiku-5-5":                  {"haiku", 505, false, true, false, DisableUpToHigh, true, true, false, true, llm.EffortMedium},
		// Newer than any row: the family's newest constraints.
		"claude-opus-6":     {"opus", 600, false, true, false, DisableNever, true, true, true, true, llm.EffortMedium},
		"claude-sonnet-5-7": {"sonnet", 507, false, true, true, DisableNever, true, true, true, true, llm.EffortHigh},
		"claude-fable-6-0":  {"fable", 600, false, true, false, DisableNever, true, true, true, true, llm.EffortHigh},
	} {
		tr := ModelTraits(id)
		got := row{tr.Family, tr.Version, tr.Budget, tr.Adaptive, tr.BetweenTools, tr.Disable, tr.ThinksByDefault, tr.NoSampling, tr.NoForcedTool, tr.NoPrefill, tr.DefaultEffort}
		if got != want || !tr.Thinks {
			t.Errorf("%s:\n got %+v (thinks %v)\nwant %+v", id, got, tr.Thinks, want)
		}
	}
	for _, id := range []string{"gpt-4o", "claude", "claude-3-5-haiku-20241022", "claude-3-opus", "claude-mythos-preview", "claude-instant-1-2"} {
		if tr := ModelTraits(id); tr.Thinks || tr.NoSampling || tr.NoForcedTool || tr.NoPrefill || tr.Efforts != nil {
			t.Errorf("%s: %+v, want a model that thinks not and refuses nothing", id, tr)
		}
	}
}

// TestTakesEffort: between_tools and disabled where a model limits them
// to effort high or below.
func TestTakesEffort(t *testing.T) {
	sonnet55, opus5, opus55, sonnet5 := ModelTraits("claude-sonnet-5-5"), ModelTraits("claude-opus-5"), ModelTraits("claude-opus-5-5"), ModelTraits("claude-sonnet-5")
	for _, c := range []struct {
		t    Traits
		e    llm.Effort
		th   string
		want bool
	}{
		{sonnet55, llm.EffortHigh, ThinkingBetweenTools, true},
		{sonnet55, "", ThinkingBetweenTools, true},
		{sonnet55, llm.EffortXHigh, ThinkingBetweenTools, false},
		{sonnet55, llm.EffortLow, ThinkingDisabled, false},
		{opus5, llm.EffortHigh, ThinkingDisabled, true},
		{opus5, llm.EffortMax, ThinkingDisabled, false},
		{opus5, llm.EffortLow, ThinkingBetweenTools, false},
		{opus55, llm.EffortLow, ThinkingDisabled, false},
		{sonnet5, llm.EffortMax, ThinkingDisabled, true},
		{opus55, llm.EffortMax, ThinkingAdaptive, true},
	} {
		if got := c.t.TakesEffort(c.e, c.th); got != c.want {
			t.Errorf("%s %d at %q with %s: %v, want %v", c.t.Family, c.t.Version, c.e, c.th, got, c.want)
		}
	}
	if !slices.Equal(Efforts("claude-haiku-5-5"), effortsAll) || Efforts("claude-haiku-4-5") != nil {
		t.Errorf("Haiku efforts: 5.5 %v, 4.5 %v", Efforts("claude-haiku-5-5"), Efforts("claude-haiku-4-5"))
	}
}

// FuzzModelTraits: any model id reads without a panic to a row whose
// family is one of Claude's or none, and an id not Claude's to the zero
// Traits.
func FuzzModelTraits(f *testing.F) {
	for _, s := range []string{"claude-opus-5-5", "claude-fable-5-2", "claude-mythos-5-1", "claude-sonnet-4-5-20250929", "claude-3-7-sonnet-20250219",
		"us.anthropic.claude-opus-5-5-v1:0", "claude-opus-4-5@20251101", "claude-opus-6", "claude-sonnet-5-7", "claude--", ".claude-", "claude-haiku-99-99-99", "gpt-4o", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		tr := ModelTraits(id)
		switch tr.Family {
		case "":
			if tr.Thinks || tr.Version != 0 {
				t.Errorf("%q: no family but %+v", id, tr)
			}
		case "opus", "sonnet", "haiku", "fable", "mythos":
			if tr.Version < 0 || tr.Version > 99*100+99 {
				t.Errorf("%q: version %d", id, tr.Version)
			}
		default:
			t.Errorf("%q: family %q", id, tr.Family)
		}
	})
}

// BenchmarkReasoningDrops: the per-request cost of reading the model's
// traits and naming what is left out (the gateway's dropped header).
func BenchmarkReasoningDrops(b *testing.B) {
	req := &llm.Request{Model: "claude-opus-5-5", Temperature: ptrF(0.2), Tools: []llm.Tool{{Type: "function", Name: "f"}},
		ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceRequired}, Reasoning: &llm.Reasoning{Effort: llm.EffortNone},
		Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "q")}}
	b.ReportAllocs()
	for b.Loop() {
		ReasoningDrops(req)
	}
}

// ModelTraits remembers what it read, and answers as reading the id
// afresh would; its memory holds at most maxMemoTraits ids.
func TestModelTraitsMemo(t *testing.T) {
	for _, id := range []string{"claude-opus-5-5", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-opus-4-6", "gpt-4o", ""} {
		for range 2 {
			if got, want := ModelTraits(id), modelTraits(id); !reflect.DeepEqual(got, want) {
				t.Errorf("%q: %+v, want %+v", id, got, want)
			}
		}
	}
	for i := range 2 * maxMemoTraits {
		id := fmt.Sprintf("claude-opus-4-%d", i)
		if got, want := ModelTraits(id), modelTraits(id); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: %+v, want %+v", id, got, want)
		}
	}
	if n := len(*traitsMemo.Load()); n > maxMemoTraits {
		t.Errorf("%d ids remembered, at most %d", n, maxMemoTraits)
	}
}

func BenchmarkModelTraits(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		ModelTraits("us.anthropic.claude-sonnet-4-5-20250929-v1:0")
	}
}

func ptrF(v float64) *float64 { return &v }
