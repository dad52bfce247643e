package cost

import (
	"encoding/json"
	"math"
	"testing"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/wire/anthropic"
	"switchyard/wire/gemini"
	wireopenai "switchyard/wire/openai"
)

// Worked examples: each provider's documented usage shape, decoded by the
// router's own codec, priced at the catalog's prices (and a configured
// reasoning price). Reasoning tokens are part of the completion and
// cached reads and cache writes part of the prompt: each token is priced
// once, at its own rate.
func TestCostOfEachProviderUsageShape(t *testing.T) {
	openaiResp := `{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"o3-mini-2025-01-31",
		"choices":[{"index":0,"message":{"role":"assistant","content":"4"},"finish_reason":"stop"}],
		"usage":{"prompt_tokens":2000,"completion_tokens":1500,"total_tokens":3500,
			"prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},
			"completion_tokens_details":{"reasoning_tokens":1200,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}`
	resp, err := wireopenai.DecodeChatResponse([]byte(openaiResp))
	if err != nil {
		t.Fatal(err)
	}
	openaiUsage := *resp.Usage

	var am anthropic.MessagesResponse
	mustUnmarshal(t, `{"id":"msg_1","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022",
		"content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","stop_sequence":null,
		"usage":{"input_tokens":50,"cache_creation_input_tokens":2000,"cache_read_input_tokens":10000,"output_tokens":300}}`, &am)
	anthropicUsage := *anthropic.ToLLM(&am).Usage
	// The documentation's one-hour example: 148 five-minute and 100
	// one-hour writes.
	mustUnmarshal(t, `{"id":"msg_2","type":"message","role":"assistant","model":"claude-sonnet-4-20250514",
		"content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","stop_sequence":null,
		"usage":{"input_tokens":2048,"cache_read_input_tokens":1800,"cache_creation_input_tokens":248,"output_tokens":503,
			"cache_creation":{"ephemeral_5m_input_tokens":148,"ephemeral_1h_input_tokens":100}}}`, &am)
	hourUsage := *anthropic.ToLLM(&am).Usage

	var gr gemini.GenerateContentResponse
	mustUnmarshal(t, `{"candidates":[{"content":{"role":"model","parts":[{"text":"Hi"}]},"finishReason":"STOP","index":0}],
		"usageMetadata":{"promptTokenCount":1000,"candidatesTokenCount":200,"thoughtsTokenCount":800,"cachedContentTokenCount":400,"totalTokenCount":2000}}`, &gr)
	g, err := gemini.ToLLM(&gr, "gemini-2.5-flash-preview-04-17")
	if err != nil {
		t.Fatal(err)
	}
	geminiUsage := *g.Usage

	for _, tc := range []struct {
		name string
		p    *config.Provider
		d    config.Deployment
		u    llm.Usage
		want float64
	}{
		// 976 uncached × $1.10 + 1,024 cached × $0.55 + 1,500 completion
		// (1,200 of them reasoning, no reasoning price: the output price) × $4.40
		{"openai o3-mini", &config.Provider{Kind: config.KindOpenAI}, config.Deployment{Name: "o3", Model: "o3-mini-2025-01-31"},
			openaiUsage, (976*1.1 + 1024*0.55 + 1500*4.4) / 1e6},
		// with a reasoning price: 300 visible × $4.40 + 1,200 reasoning × $8.80
		{"openai with a reasoning price", &config.Provider{Kind: config.KindOpenAI}, config.Deployment{Name: "o3", Model: "o3-mini",
			Price: config.Price{Reasoning: 8.8}}, openaiUsage, (976*1.1 + 1024*0.55 + 300*4.4 + 1200*8.8) / 1e6},
		// 50 uncached × $0.80 + 10,000 cache reads × $0.08 + 2,000 cache
		// writes × $1.00 + 300 output × $4.00
		{"anthropic cache read and write", &config.Provider{Kind: config.KindAnthropic}, config.Deployment{Name: "haiku", Model: "claude-3-5-haiku-20241022"},
			anthropicUsage, (50*0.8 + 10000*0.08 + 2000*1 + 300*4) / 1e6},
		// 2,048 uncached × $3 + 1,800 reads × $0.30 + 148 five-minute
		// writes × $3.75 + 100 one-hour writes × $6 (twice the input) +
		// 503 output × $15
		{"anthropic one-hour writes", &config.Provider{Kind: config.KindAnthropic}, config.Deployment{Name: "sonnet", Model: "claude-sonnet-4-20250514"},
			hourUsage, (2048*3 + 1800*0.3 + 148*3.75 + 100*6 + 503*15) / 1e6},
		// 600 uncached × $0.15 + 400 cached × $0.0375 + 200 candidates ×
		// $0.60 + 800 thoughts × $3.50 (the catalog's reasoning price)
		{"gemini thoughts", &config.Provider{Kind: config.KindGemini}, config.Deployment{Name: "flash", Model: "gemini-2.5-flash-preview-04-17"},
			geminiUsage, (600*0.15 + 400*0.0375 + 200*0.6 + 800*3.5) / 1e6},
		// an estimated usage of a cut stream: plain prompt and completion
		{"estimate", &config.Provider{Kind: config.KindOpenAI}, config.Deployment{Name: "mini", Model: "gpt-4o-mini"},
			Estimate(1000, 100), (1000*0.15 + 100*0.6) / 1e6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Resolve(tc.p, &tc.d)
			if !p.Known {
				t.Fatalf("%s: price unknown", tc.d.Model)
			}
			d := tc.d.LLM()
			p.Apply(&d)
			if got := Of(&d, tc.u); math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("cost of %+v = %.10f, want %.10f", tc.u, got, tc.want)
			}
		})
	}
}

// Counts that do not add up (a misbehaving upstream) never make a
// negative cost, and an unknown price costs 0 with PriceUnknown set.
func TestCostEdges(t *testing.T) {
	d := llm.Deployment{InputPricePerM: 1, OutputPricePerM: 2, CachedInputPricePerM: 0.5, CacheWritePricePerM: 1.25, ReasoningPricePerM: 4}
	for _, tc := range []struct {
		u    llm.Usage
		want float64
	}{
		{llm.Usage{PromptTokens: 10, CachedPromptTokens: 20}, 10 * 0.5 / 1e6}, // cache reads past the prompt are cut to it
		{llm.Usage{CompletionTokens: 5, ReasoningTokens: 9}, 5 * 4 / 1e6},
		{llm.Usage{PromptTokens: -5, CompletionTokens: -1, ReasoningTokens: -3}, 0},
		{llm.Usage{PromptTokens: 100, CacheWriteTokens: 40, CachedPromptTokens: 40}, (20*1 + 40*0.5 + 40*1.25) / 1e6},
	} {
		if got := d.Cost(tc.u); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("Cost(%+v) = %g, want %g", tc.u, got, tc.want)
		}
	}
	d.PriceUnknown = true
	if got := d.Cost(llm.Usage{PromptTokens: 1000, CompletionTokens: 1000}); got != 0 {
		t.Errorf("an unknown price costs %g", got)
	}
}

func mustUnmarshal(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatal(err)
	}
}
