package openai

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"switchyard/sim"
)

// qwenCatalog holds a hybrid Qwen model of each default, a thinking-only
// one and one that never thinks.
func qwenCatalog() sim.Catalog {
	return sim.NewCatalog(sim.Profile{Model: "qwen3-32b", Reasoning: true}, sim.Profile{Model: "qwen-plus", Reasoning: true},
		sim.Profile{Model: "qwq-plus", Reasoning: true}, sim.Profile{Model: "qwen3-235b-a22b-instruct-2507"})
}

// reasoningOf returns the reasoning_content of a complete answer, "" for
// none.
func reasoningOf(t *testing.T, body string) string {
	t.Helper()
	var resp struct {
		Choices []struct {
			Message struct {
				ReasoningContent string `json:"reasoning_content"`
			} `json:"message"`
		} `json:"choices"`
	}
	if err := json.Unmarshal([]byte(body), &resp); err != nil || len(resp.Choices) != 1 {
		t.Fatalf("answer %s", body)
	}
	return resp.Choices[0].Message.ReasoningContent
}

// On DashScope's path a non-streamed request that would think is refused
// byte for byte as DashScope refuses it; one with thinking off is served
// without reasoning; a model that never thinks is served.
func TestQwenDashScopeRefusesUnstreamedThinking(t *testing.T) {
	url, hc := start(t, New(qwenCatalog(), nil))
	chat := url + "/compatible-mode/v1/chat/completions"
	ask := func(model, extra string) string {
		return `{"model":"` + model + `",` + extra + `"messages":[{"role":"user","content":"Hi"}]}`
	}
	id := `[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}`
	for _, tt := range []struct{ model, extra, message string }{
		{"qwen3-32b", "", "parameter.enable_thinking must be set to false for non-streaming calls"},
		{"qwen-plus", `"enable_thinking":true,`, "parameter.enable_thinking must be set to false for non-streaming calls"},
		{"qwq-plus", "", "This model only support stream mode, please enable the stream parameter to access the model. "},
		{"qwq-plus", `"enable_thinking":false,`, "This model only support stream mode, please enable the stream parameter to access the model. "},
	} {
		status, _, body := do(t, hc, "POST", chat, ask(tt.model, tt.extra), bearer)
		want := regexp.MustCompile(`^\{"error":\{"code":"invalid_parameter_error","param":null,"message":"` + regexp.QuoteMeta(tt.message) +
			`","type":"invalid_request_error"\},"id":"chatcmpl-(` + id + `)","request_id":"(` + id + `)"\}\n$`)
		m := want.FindStringSubmatch(body)
		if status != 400 || m == nil || m[1] != m[2] {
			t.Errorf("%s %s: %d %q", tt.model, tt.extra, status, body)
		}
	}
	for _, tt := range []struct{ model, extra string }{
		{"qwen3-32b", `"enable_thinking":false,`},
		{"qwen-plus", ""},
		{"qwen3-235b-a22b-instruct-2507", ""},
	} {
		status, _, body := do(t, hc, "POST", chat, ask(tt.model, tt.extra), bearer)
		if status != 200 || reasoningOf(t, body) != "" {
			t.Errorf("%s %s: %d %s", tt.model, tt.extra, status, body)
		}
	}
}

// Streamed, a Qwen model that thinks writes reasoning_content before its
// answer, cut to thinking_budget words, counted as reasoning tokens; with
// thinking off it writes none.
func TestQwenDashScopeStreamsThinking(t *testing.T) {
	url, hc := start(t, New(qwenCatalog(), nil))
	chat := url + "/compatible-mode/v1/chat/completions"
	ask := func(model, extra string) string {
		return `{"model":"` + model + `","stream":true,"stream_options":{"include_usage":true},` + extra + `"messages":[{"role":"user","content":"Hi"}]}`
	}
	_, _, on := do(t, hc, "POST", chat, ask("qwen3-32b", ""), bearer)
	first, answer := strings.Index(on, `"reasoning_content":"The user asks: "`), strings.Index(on, `"delta":{"content":"`)
	if first < 0 || answer < first || !strings.Contains(on, `"reasoning_content":"I can answer directly."`) || !strings.Contains(on, `"reasoning_tokens":8`) {
		t.Errorf("thinking by default: %s", on)
	}
	_, _, budget := do(t, hc, "POST", chat, ask("qwen-plus", `"enable_thinking":true,"thinking_budget":4,`), bearer)
	if !strings.Contains(budget, `"reasoning_content":"The user asks: "`) || !strings.Contains(budget, `"reasoning_content":"\"Hi\"."`) ||
		strings.Contains(budget, "answer directly") || !strings.Contains(budget, `"reasoning_tokens":4`) {
		t.Errorf("thinking_budget 4: %s", budget)
	}
	_, _, off := do(t, hc, "POST", chat, ask("qwen3-32b", `"enable_thinking":false,`), bearer)
	if strings.Contains(off, "reasoning_content") {
		t.Errorf("enable_thinking false: %s", off)
	}
}

// On /v1 (vLLM's shape) a Qwen model takes chat_template_kwargs'
// enable_thinking and serves a non-streamed request that thinks; its
// top-level enable_thinking is an unknown argument there.
func TestQwenChatTemplateKwargs(t *testing.T) {
	url, hc := start(t, New(qwenCatalog(), nil))
	chat := url + "/v1/chat/completions"
	_, _, on := do(t, hc, "POST", chat, `{"model":"qwen3-32b","messages":[{"role":"user","content":"Hi"}]}`, bearer)
	if reasoningOf(t, on) == "" {
		t.Errorf("thinking by default: %s", on)
	}
	_, _, off := do(t, hc, "POST", chat, `{"model":"qwen3-32b","chat_template_kwargs":{"enable_thinking":false},"messages":[{"role":"user","content":"Hi"}]}`, bearer)
	if reasoningOf(t, off) != "" {
		t.Errorf("enable_thinking false: %s", off)
	}
	status, _, top := do(t, hc, "POST", chat, `{"model":"qwen3-32b","enable_thinking":false,"messages":[{"role":"user","content":"Hi"}]}`, bearer)
	if status != 400 || !strings.Contains(top, "Unrecognized request argument supplied: enable_thinking") {
		t.Errorf("top-level enable_thinking on /v1: %d %s", status, top)
	}
}
