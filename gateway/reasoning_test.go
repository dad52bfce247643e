package gateway

import (
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

func TestWithReasoning(t *testing.T) {
	for _, c := range []struct {
		kind, model string
		declared    bool
		want        bool
		base        string
	}{
		{"anthropic", "claude-sonnet-4-5", false, true, ""},
		{"anthropic", "claude-3-5-haiku-latest", false, false, ""},
		{"gemini", "gemini-2.5-flash", false, true, ""},
		{"gemini", "gemini-3-pro-preview", false, true, ""},
		{"gemini", "gemini-2.0-flash", false, false, ""},
		{"openai", "o3", false, true, ""},
		{"openai", "gpt-5-mini", false, true, ""},
		{"openai", "gpt-4o", false, false, ""},
		{"openai", "my-local-model", false, false, ""}, // an unknown id must declare it
		{"openai", "my-local-model", true, true, ""},
		{"azure", "o4-mini", false, true, ""},
		{"azure", "gpt-4o", false, false, ""},
		{"openai", "grok-4.3", false, true, ""}, // xAI's, on an OpenAI-compatible host
		{"openai", "xai/grok-4-1-fast-reasoning", false, true, ""},
		{"openai", "grok-4-1-fast-non-reasoning", false, false, ""},
		// Qwen's thinking models, on a host that takes their switch.
		{"openai", "qwen3-32b", false, true, "https://dashscope-intl.aliyuncs.com/compatible-mode/v1"},
		{"openai", "qwen-plus", false, true, "https://dashscope.aliyuncs.com/compatible-mode/v1"},
		{"openai", "Qwen/Qwen3-8B", false, true, "https://api-inference.modelscope.cn/v1"},
		{"openai", "qwen3-32b", false, false, "http://vllm.internal:8000/v1"}, // no switch set: must declare it
		{"openai", "qwen3-235b-a22b-instruct-2507", false, false, "https://dashscope.aliyuncs.com/compatible-mode/v1"},
	} {
		d := llm.Deployment{Model: c.model, Capabilities: make([]llm.Capability, 1, 4)}
		d.Capabilities[0] = llm.CapTools
		if c.declared {
			d.Capabilities = append(d.Capabilities, llm.CapReasoning)
		}
		orig := d.Capabilities
		got := withReasoning(d, &config.Provider{Kind: c.kind, BaseURL: c.base})
		if got.Has(llm.CapReasoning) != c.want {
			t.Errorf("%s %s: reasoning %v, want %v", c.kind, c.model, got.Has(llm.CapReasoning), c.want)
		}
		if len(orig) < cap(orig) && orig[:len(orig)+1][len(orig)] == llm.CapReasoning {
			t.Errorf("%s %s: wrote into the shared capabilities' backing array", c.kind, c.model)
		}
	}
}
