package openai

import (
	"testing"

	"switchyard/llm"
)

// hostUsages are the usage objects OpenAI-compatible hosts answer with,
// as their docs show them (usage_hosts.go names the sources), and what
// each means in llm.Usage.
var hostUsages = []struct {
	host, usage string
	want        llm.Usage
}{
	{"deepseek", `{"prompt_tokens":1000,"completion_tokens":200,"total_tokens":1200,"prompt_cache_hit_tokens":800,"prompt_cache_miss_tokens":200,"completion_tokens_details":{"reasoning_tokens":150}}`,
		llm.Usage{PromptTokens: 1000, CompletionTokens: 200, TotalTokens: 1200, CachedPromptTokens: 800, ReasoningTokens: 150}},
	{"moonshot", `{"prompt_tokens":1000,"completion_tokens":200,"total_tokens":1200,"cached_tokens":600}`,
		llm.Usage{PromptTokens: 1000, CompletionTokens: 200, TotalTokens: 1200, CachedPromptTokens: 600}},
	{"moonshot k2, both", `{"prompt_tokens":1000,"completion_tokens":200,"total_tokens":1200,"cached_tokens":600,"prompt_tokens_details":{"cached_tokens":600}}`,
		llm.Usage{PromptTokens: 1000, CompletionTokens: 200, TotalTokens: 1200, CachedPromptTokens: 600}},
	{"openrouter", `{"completion_tokens":2,"completion_tokens_details":{"reasoning_tokens":0},"cost":0.95,"cost_details":{"upstream_inference_cost":19},"prompt_tokens":194,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"total_tokens":196}`,
		llm.Usage{PromptTokens: 194, CompletionTokens: 2, TotalTokens: 196, CostReported: true, ReportedCostUSD: 0.95}},
	{"openrouter byok", `{"prompt_tokens":100,"completion_tokens":10,"total_tokens":110,"cost":0.0001,"is_byok":true,"cost_details":{"upstream_inference_cost":0.002}}`,
		llm.Usage{PromptTokens: 100, CompletionTokens: 10, TotalTokens: 110, CostReported: true, ReportedCostUSD: 0.0021}},
	{"openrouter free", `{"prompt_tokens":100,"completion_tokens":10,"total_tokens":110,"cost":0,"is_byok":false}`,
		llm.Usage{PromptTokens: 100, CompletionTokens: 10, TotalTokens: 110, CostReported: true}},
	{"cost not a number", `{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2,"cost":"0.5","cost_details":null}`,
		llm.Usage{PromptTokens: 1, CompletionTokens: 1, TotalTokens: 2}},
	{"cost below zero", `{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2,"cost":-1}`,
		llm.Usage{PromptTokens: 1, CompletionTokens: 1, TotalTokens: 2}},
	{"xai grok-3-mini, reasoning outside completion", `{"prompt_tokens":10,"completion_tokens":5,"total_tokens":315,"completion_tokens_details":{"reasoning_tokens":300}}`,
		llm.Usage{PromptTokens: 10, CompletionTokens: 305, TotalTokens: 315, ReasoningTokens: 300}},
	{"xai today", `{"prompt_tokens":686,"completion_tokens":123,"total_tokens":809,"prompt_tokens_details":{"cached_tokens":679,"text_tokens":686,"audio_tokens":0,"image_tokens":0},"completion_tokens_details":{"text_tokens":11,"audio_tokens":0,"reasoning_tokens":112}}`,
		llm.Usage{PromptTokens: 686, CompletionTokens: 123, TotalTokens: 809, CachedPromptTokens: 679, ReasoningTokens: 112}},
	{"groq", `{"queue_time":0.09,"prompt_tokens":38,"prompt_time":0.003,"completion_tokens":4,"completion_time":0.027,"total_tokens":42,"total_time":0.03,"prompt_tokens_details":{"cached_tokens":32}}`,
		llm.Usage{PromptTokens: 38, CompletionTokens: 4, TotalTokens: 42, CachedPromptTokens: 32}},
}

// TestHostUsage checks that each host's usage shape is read, in a
// complete answer and in a stream's usage chunk.
func TestHostUsage(t *testing.T) {
	for _, tt := range hostUsages {
		t.Run(tt.host, func(t *testing.T) {
			r, err := DecodeChatResponse([]byte(`{"id":"x","choices":[],"usage":` + tt.usage + `}`))
			if err != nil {
				t.Fatal(err)
			}
			if r.Usage == nil || *r.Usage != tt.want {
				t.Errorf("answer's usage = %+v, want %+v", r.Usage, tt.want)
			}
			c, err := DecodeChunk([]byte(`{"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":` + tt.usage + `}`))
			if err != nil {
				t.Fatal(err)
			}
			if c.Usage == nil || *c.Usage != tt.want {
				t.Errorf("chunk's usage = %+v, want %+v", c.Usage, tt.want)
			}
		})
	}
}

// hostUsageChunks are final stream chunks that carry their usage outside
// the chunk's "usage" member.
var hostUsageChunks = []struct {
	host, chunk string
	want        llm.Usage
}{
	{"groq x_groq", `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"llama-3.3-70b-versatile","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"x_groq":{"id":"req_1","usage":{"queue_time":0.09,"prompt_tokens":38,"prompt_time":0.003,"completion_tokens":4,"completion_time":0.027,"total_tokens":42,"total_time":0.03}}}`,
		llm.Usage{PromptTokens: 38, CompletionTokens: 4, TotalTokens: 42}},
	{"groq both", `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":38,"completion_tokens":4,"total_tokens":42},"x_groq":{"id":"req_1","usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}}`,
		llm.Usage{PromptTokens: 38, CompletionTokens: 4, TotalTokens: 42}},
	{"moonshot choice usage", `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"kimi-k2.5","choices":[{"index":0,"delta":{},"finish_reason":"stop","usage":{"prompt_tokens":19,"completion_tokens":13,"total_tokens":32,"cached_tokens":16}}]}`,
		llm.Usage{PromptTokens: 19, CompletionTokens: 13, TotalTokens: 32, CachedPromptTokens: 16}},
}

func TestHostUsageChunks(t *testing.T) {
	for _, tt := range hostUsageChunks {
		t.Run(tt.host, func(t *testing.T) {
			c, err := DecodeChunk([]byte(tt.chunk))
			if err != nil {
				t.Fatal(err)
			}
			if c.Usage == nil || *c.Usage != tt.want {
				t.Errorf("usage = %+v, want %+v", c.Usage, tt.want)
			}
			if len(c.Choices) != 1 || c.Choices[0].FinishReason != llm.FinishStop {
				t.Errorf("choices = %+v, want the finish", c.Choices)
			}
		})
	}
}
