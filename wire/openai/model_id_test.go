package openai

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// modelIDs are ids of every family the per-model rules tell apart, as
// deployments name them: dated, behind a host's prefix, in any case.
var modelIDs = []string{
	"gpt-4o-mini", "gpt-4.1", "gpt-5", "gpt-5-mini-2025-08-07", "gpt-5-chat-latest", "gpt-5-pro", "gpt-5-codex",
	"gpt-5.1", "gpt-5.1-codex-max", "gpt-5.1-codex-mini", "gpt-5.2", "gpt-5.3-codex", "gpt-5.4", "gpt-5.4-pro",
	"gpt-5.5", "gpt-5.6-terra", "gpt-6-sol", "gpt-6-astra", "gpt-6.1-sol", "gpt-6.1-terra", "gpt-6.2-sol", "gpt-7",
	"o1", "o1-mini", "o1-preview", "o3-mini-2025-01-31", "o3-pro", "o4-mini", "codex-mini-latest",
	"computer-use-preview", "openai/gpt-oss-120b", "OpenAI/GPT-5.4", "azure/GPT-6-Sol",
	"grok-3-mini", "grok-4", "grok-4-fast-non-reasoning", "xai.grok-4.5", "x-ai/Grok-4.6",
	"qwq-32b", "Qwen/Qwen3-32B", "qwen3-max", "qwen3.5-plus", "Qwen/Qwen3-Coder-480B-A35B-Instruct",
	"deepseek-reasoner", "deepseek-v4-pro", "deepseek-chat", "DeepSeek-V4-Flash",
	"meta-llama/Llama-3.3-70B-Instruct", "acme-reasoner", "", "/", "a/b/", "İstanbul/GPT-5", "\xe2/gpt-5.4",
}

// TestToolsNeedResponsesAsBefore holds ToolsNeedResponses, which reads the
// model's rule before the effort sent, to what it was when it read the
// effort first, for every id, effort asked and declared levels.
func TestToolsNeedResponsesAsBefore(t *testing.T) {
	efforts := []llm.Effort{"", llm.EffortNone, llm.EffortMinimal, llm.EffortLow, llm.EffortMedium, llm.EffortHigh,
		llm.EffortXHigh, llm.EffortMax, "turbo"}
	declared := [][]llm.Effort{nil, {llm.EffortMinimal, llm.EffortHigh}, {llm.EffortNone}, {llm.EffortLow, llm.EffortMedium}}
	before := func(model string, declared []llm.Effort, effort llm.Effort) bool {
		effort = DeclaredEffort(model, declared, effort)
		switch toolsEffortOf(modelID(model)) {
		case toolsExplicitEffort:
			return effort != "" && effort != llm.EffortNone
		case toolsDefaultEffort:
			return effort != llm.EffortNone
		case toolsNever:
			return true
		}
		return false
	}
	for _, id := range modelIDs {
		for _, d := range declared {
			for _, e := range efforts {
				if got, want := ToolsNeedResponses(id, d, e, true), before(id, d, e); got != want {
					t.Errorf("ToolsNeedResponses(%q, %v, %q) = %v, want %v", id, d, e, got, want)
				}
				if ToolsNeedResponses(id, d, e, false) {
					t.Errorf("ToolsNeedResponses(%q, %v, %q) without tools = true", id, d, e)
				}
			}
		}
	}
}

// TestToolsNeedResponsesMixedCaseAllocs: the route asks this several times per
// candidate of every request with tools; for a model id with upper-case
// letters (as OpenAI-compatible hosts name theirs) it lowercases the id
// once, for one that has none not at all.
func TestToolsNeedResponsesMixedCaseAllocs(t *testing.T) {
	for _, c := range []struct {
		id     string
		allocs float64
	}{
		{"gpt-4o-mini", 0}, {"gpt-5.4", 0}, {"meta-llama/Llama-3.3-70B-Instruct", 1}, {"OpenAI/GPT-5.4", 1},
	} {
		for _, e := range []llm.Effort{"", llm.EffortLow} {
			if n := testing.AllocsPerRun(100, func() { ToolsNeedResponses(c.id, nil, e, true) }); n > c.allocs {
				t.Errorf("ToolsNeedResponses(%q, %q) allocates %v times, want at most %v", c.id, e, n, c.allocs)
			}
		}
	}
}

// FuzzModelID holds modelID, which cuts a host's prefix before it
// lowercases the id, to lowercasing the whole before cutting.
func FuzzModelID(f *testing.F) {
	for _, id := range modelIDs {
		f.Add(id)
	}
	f.Fuzz(func(t *testing.T, model string) {
		want := strings.ToLower(model)
		if i := strings.LastIndexByte(want, '/'); i >= 0 {
			want = want[i+1:]
		}
		if got := modelID(model); got != want {
			t.Errorf("modelID(%q) = %q, want %q", model, got, want)
		}
	})
}
