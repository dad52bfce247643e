package anthropic

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"switchyard/llm"
)

func fallbackBody(extra string) string {
	return `{"model":"claude-fable-5","max_tokens":2000,` + extra + `"messages":[{"role":"user","content":"x"}]}`
}

// fallbacks and fallback_credit_token are read as the API reads them:
// "default" or a list of one to three {model, overrides} objects, a
// token string or {token, mode}; every other shape is a 400 naming the
// field, as the API words it.
func TestFallbacksDecode(t *testing.T) {
	for _, tt := range []struct {
		extra, param, msg string
	}{
		{`"fallbacks":"default",`, "", ""},
		{`"fallbacks":null,`, "", ""},
		{`"fallbacks":[{"model":"claude-opus-4-8"},{"model":"gpt-4o","max_tokens":3000,"speed":"fast","thinking":{"type":"enabled","budget_tokens":1024},"output_config":{"effort":"low"}}],`, "", ""},
		{`"fallbacks":[{"model":"m","thinking":null,"speed":null}],`, "", ""},
		{`"fallbacks":"auto",`, "fallbacks", "fallbacks: Input should be 'default' or a list of fallback models"},
		{`"fallbacks":7,`, "fallbacks", "fallbacks: Input should be 'default'"},
		{`"fallbacks":[],`, "fallbacks", "fallbacks: List should have at least 1 item after validation, not 0"},
		{`"fallbacks":[{"model":"a"},{"model":"b"},{"model":"c"},{"model":"d"}],`, "fallbacks", "at most 3 items after validation, not 4"},
		{`"fallbacks":["m"],`, "fallbacks.0", "fallbacks.0: Input should be a valid dictionary"},
		{`"fallbacks":[{"max_tokens":5}],`, "fallbacks.0.model", "fallbacks.0.model: Field required"},
		{`"fallbacks":[{"model":""}],`, "fallbacks.0.model", "at least 1 character"},
		{`"fallbacks":[{"model":"m"},{"model":"n","temperature":1}],`, "fallbacks.1.temperature", "fallbacks.1.temperature: Extra inputs are not permitted"},
		{`"fallbacks":[{"model":"m","max_tokens":0}],`, "fallbacks.0.max_tokens", "greater than or equal to 1"},
		{`"fallbacks":[{"model":"m","speed":"turbo"}],`, "fallbacks.0.speed", "'standard' or 'fast'"},
		{`"fallbacks":[{"model":"m","thinking":{"type":"enabled","budget_tokens":10}}],`, "fallbacks.0.thinking", "fallbacks.0.thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"},
		{`"fallbacks":[{"model":"m","max_tokens":1500,"thinking":{"type":"enabled","budget_tokens":1600}}],`, "fallbacks.0.thinking", "`max_tokens` must be greater than `thinking.budget_tokens`"},
		{`"fallback_credit_token":"fct_1",`, "", ""},
		{`"fallback_credit_token":{"token":"fct_1","mode":"best_effort"},`, "", ""},
		{`"fallback_credit_token":"",`, "fallback_credit_token", "at least 1 character"},
		{`"fallback_credit_token":{"mode":"strict"},`, "fallback_credit_token.token", "fallback_credit_token.token: Field required"},
		{`"fallback_credit_token":{"token":"t","mode":"lenient"},`, "fallback_credit_token.mode", "'strict' or 'best_effort'"},
		{`"fallback_credit_token":{"token":"t","x":1},`, "fallback_credit_token.x", "Extra inputs are not permitted"},
		{`"fallback_credit_token":3,`, "fallback_credit_token", "a valid string"},
		{`"fallback_credit_token":"t","fallbacks":"default",`, "fallback_credit_token", "cannot be combined with fallbacks"},
	} {
		_, err := DecodeRequest([]byte(fallbackBody(tt.extra)))
		if tt.msg == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.extra, err)
			}
			continue
		}
		var e *llm.Error
		if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Param != tt.param || !strings.Contains(e.Message, tt.msg) {
			t.Errorf("%s: %v (param %q), want a 400 on %s saying %q", tt.extra, err, paramOf(err), tt.param, tt.msg)
		}
	}
}

func paramOf(err error) string {
	var e *llm.Error
	if errors.As(err, &e) {
		return e.Param
	}
	return ""
}

// A list's entries become the canonical fallback models with their
// overrides; "default" is Default; a token is kept as sent.
func TestFallbacksToLLM(t *testing.T) {
	req, err := DecodeRequest([]byte(fallbackBody(`"fallbacks":[{"model":"a"},{"model":"b","max_tokens":100,"speed":"fast","thinking":{"type":"adaptive"},"output_config":{"effort":"low"}},{"model":"c","thinking":null,"speed":null}],`)))
	if err != nil {
		t.Fatal(err)
	}
	fb := req.Fallbacks
	if fb == nil || fb.Default || len(fb.Models) != 3 {
		t.Fatalf("fallbacks %+v", fb)
	}
	a, b, c := fb.Models[0], fb.Models[1], fb.Models[2]
	if a.Model != "a" || a.MaxTokens != nil || a.ReasoningSet || a.Speed != "" {
		t.Errorf("a: %+v, want no overrides", a)
	}
	if b.Model != "b" || b.MaxTokens == nil || *b.MaxTokens != 100 || b.Speed != llm.SpeedFast || !b.ReasoningSet || b.Reasoning == nil || !b.Reasoning.Adaptive || b.Effort != "low" {
		t.Errorf("b: %+v", b)
	}
	if !c.ReasoningSet || c.Reasoning != nil || c.Speed != llm.SpeedStandard {
		t.Errorf("c: %+v, want thinking null (the model's default) and speed null (standard)", c)
	}
	if c.ThinkingOff {
		t.Errorf("c: %+v, want thinking null, not off", c)
	}
	// disabled: no reasoning, and thinking off (the request's own too)
	req, err = DecodeRequest([]byte(fallbackBody(`"thinking":{"type":"disabled"},"fallbacks":[{"model":"d","thinking":{"type":"disabled"}}],`)))
	if err != nil {
		t.Fatal(err)
	}
	if d := req.Fallbacks.Models[0]; !d.ReasoningSet || d.Reasoning != nil || !d.ThinkingOff || !req.ThinkingOff || req.Reasoning != nil {
		t.Errorf("disabled: entry %+v, request's thinking off %v, reasoning %+v", d, req.ThinkingOff, req.Reasoning)
	}
	req, err = DecodeRequest([]byte(fallbackBody(`"fallbacks":"default",`)))
	if err != nil || req.Fallbacks == nil || !req.Fallbacks.Default {
		t.Errorf("default: %+v %v", req.Fallbacks, err)
	}
	req, err = DecodeRequest([]byte(fallbackBody(`"fallback_credit_token":{"token":"fct_1"},`)))
	if err != nil || string(req.FallbackCredit) != `{"token":"fct_1"}` {
		t.Errorf("token: %s %v", req.FallbackCredit, err)
	}
}

const fallbackTurn = `{"model":"claude-opus-4-8","max_tokens":100,"messages":[{"role":"user","content":"x"},` +
	`{"role":"assistant","content":[{"type":"fallback","from":{"model":"claude-fable-5"},"to":{"model":"claude-opus-4-8"},"trigger":{"type":"refusal","category":"cyber"}},{"type":"text","text":"answer"}]},` +
	`{"role":"user","content":"y"}]}`

// An assistant turn's fallback block is accepted and kept in place for a
// Claude deployment (sent with the fallback beta), but asks for no Claude
// deployment (another drops it: it carries nothing for a model). In a
// user turn, or without from.model, it is a 400.
func TestFallbackBlockInAssistantTurn(t *testing.T) {
	req, err := DecodeRequest([]byte(fallbackTurn))
	if err != nil {
		t.Fatal(err)
	}
	if req.AnthropicServerTools() {
		t.Error("a fallback block makes the request Claude's alone")
	}
	blocks := req.Messages[1].Blocks()
	if len(blocks) != 1 || !blocks[0].Marker || blocks[0].At != 0 {
		t.Fatalf("blocks %+v", blocks)
	}
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out)
	if !strings.Contains(string(b), `{"type":"fallback","from":{"model":"claude-fable-5"}`) || !slices.Contains(out.Betas, FallbackBeta) {
		t.Errorf("Claude is sent %s with betas %v, want the block in place and the fallback beta", b, out.Betas)
	}
	for _, tt := range []struct{ body, msg string }{
		{strings.Replace(fallbackTurn, `{"role":"user","content":"x"}`, `{"role":"user","content":[{"type":"fallback","from":{"model":"a"},"to":{"model":"b"}}]}`, 1), "fallback blocks can only be in assistant messages"},
		{strings.Replace(fallbackTurn, `"from":{"model":"claude-fable-5"},`, ``, 1), "fallback.from: Field required"},
		{strings.Replace(fallbackTurn, `"to":{"model":"claude-opus-4-8"}`, `"to":{}`, 1), "fallback.to.model: Field required"},
	} {
		if _, err := DecodeRequest([]byte(tt.body)); err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%v, want %q", err, tt.msg)
		}
	}
}

// A fallback_credit_token reaches a Claude deployment as sent, its
// object form with the credit beta.
func TestFallbackCreditSentToClaude(t *testing.T) {
	for _, tt := range []struct {
		tok  string
		beta bool
	}{{`"fct_1"`, false}, {`{"token":"fct_1","mode":"best_effort"}`, true}} {
		req, err := DecodeRequest([]byte(fallbackBody(`"fallback_credit_token":` + tt.tok + `,`)))
		if err != nil {
			t.Fatal(err)
		}
		out, err := FromLLM(req)
		if err != nil {
			t.Fatal(err)
		}
		if string(out.FallbackCreditToken) != tt.tok || slices.Contains(out.Betas, FallbackCreditBeta) != tt.beta {
			t.Errorf("%s: sent %s with betas %v", tt.tok, out.FallbackCreditToken, out.Betas)
		}
	}
}

// An answer after a fallback is written as the API writes one: the
// fallback block before the answer's content, the usage of both attempts
// with usage.iterations; a refusal's credit token in its stop_details;
// a stream's fallback block a content_block_start and stop, no delta.
func TestFallbackAnswerEncoding(t *testing.T) {
	hop := llm.FallbackHop{From: "auto", FromID: "claude-fable-5", To: "claude-opus-4-8",
		Refusal: &llm.RefusalDetails{Category: "cyber"}, Usage: &llm.Usage{PromptTokens: 10, CompletionTokens: 1}}
	resp := &llm.Response{Model: "claude-opus-4-8", Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "hi"), FinishReason: llm.FinishStop}},
		Usage: &llm.Usage{PromptTokens: 12, CompletionTokens: 3}, Fallbacks: []llm.FallbackHop{hop}, FallbackCredit: json.RawMessage(`{"status":{"type":"redeemed"}}`)}
	got := string(AppendResponse(nil, resp, "msg_1"))
	for _, want := range []string{
		`"content":[{"type":"fallback","from":{"model":"auto"},"to":{"model":"claude-opus-4-8"},"trigger":{"type":"refusal","category":"cyber"}},{"type":"text","text":"hi"}]`,
		`"usage":{"input_tokens":22,`,
		`"fallback_credit":{"status":{"type":"redeemed"}},"iterations":[{"type":"message","model":"claude-fable-5","input_tokens":10,`,
		`{"type":"fallback_message","model":"claude-opus-4-8","input_tokens":12,`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("answer lacks %s:\n%s", want, got)
		}
	}
	var m MessagesResponse
	if err := json.Unmarshal([]byte(got), &m); err != nil || len(m.Usage.Iterations) != 2 {
		t.Errorf("%v: %+v", err, m.Usage)
	}

	refused := &llm.Response{Choices: []llm.Choice{{FinishReason: llm.FinishContentFilter,
		Refusal: &llm.RefusalDetails{Category: "cyber", CreditToken: "fct_9", HasPrefillClaim: true}}}}
	if got := string(AppendResponse(nil, refused, "msg_2")); !strings.Contains(got, `"category":"cyber","explanation":null,"fallback_credit_token":"fct_9","fallback_has_prefill_claim":true}`) {
		t.Errorf("refusal %s", got)
	}

	enc := StreamEncoder{RequestID: "r", Model: "claude-opus-4-8", Fallbacks: []llm.FallbackHop{hop}}
	out := enc.Chunk(nil, &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "hi"}}}})
	out = enc.End(out, &llm.Usage{PromptTokens: 12, CompletionTokens: 3})
	s := string(out)
	i := strings.Index(s, `"content_block":{"type":"fallback"`)
	j := strings.Index(s, `{"type":"content_block_stop","index":0}`)
	k := strings.Index(s, `"content_block":{"type":"text"`)
	if i < 0 || j < i || k < j || strings.Contains(s[i:j], "content_block_delta") || !strings.Contains(s, `"type":"fallback_message"`) {
		t.Errorf("stream:\n%s", s)
	}
}

// FuzzDecodeFallbacks feeds the fallbacks, fallback_credit_token and
// fallback block decoders outside bytes, in a request: never a panic, only
// invalid_request errors, and what is accepted is sent to a Claude
// deployment as a request that passes the same validation.
func FuzzDecodeFallbacks(f *testing.F) {
	for _, seed := range []string{
		`"fallbacks":"default",`,
		`"fallbacks":[{"model":"a"},{"model":"b","max_tokens":100,"speed":"fast","thinking":{"type":"adaptive"},"output_config":{"effort":"low"}}],`,
		`"fallbacks":[{"model":"a","thinking":null,"max_tokens":null,"speed":null,"output_config":null}],`,
		`"fallbacks":[{"model":1}],`,
		`"fallbacks":[[]],`,
		`"fallbacks":{},`,
		`"fallbacks":[{"model":"m","output_config":{"effort":3}}],`,
		`"fallback_credit_token":"fct",`,
		`"fallback_credit_token":{"token":"t","mode":"strict"},`,
		`"fallback_credit_token":{"token":null},`,
		`"fallback_credit_token":[],`,
	} {
		f.Add([]byte(fallbackBody(seed)))
	}
	f.Add([]byte(fallbackTurn))
	f.Add([]byte(strings.Replace(fallbackTurn, `"trigger":{"type":"refusal","category":"cyber"}`, `"trigger":null`, 1)))
	f.Add([]byte(strings.Replace(fallbackTurn, `"from":{"model":"claude-fable-5"}`, `"from":"x"`, 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := DecodeRequest(data)
		if err != nil {
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Message == "" {
				t.Fatalf("error %T %v is not an invalid_request *llm.Error with a message", err, err)
			}
			return
		}
		if namesFileByID(req) {
			return
		}
		out, err := FromLLM(req)
		if err != nil {
			t.Fatalf("accepted %s but FromLLM refuses it: %v", data, err)
		}
		b, _ := json.Marshal(out)
		again, err := DecodeMessagesRequest(b, false)
		if err == nil {
			err = Validate(again)
		}
		if err != nil {
			t.Fatalf("accepted %s, but what Claude is sent (%s) is invalid: %v", data, b, err)
		}
	})
}
