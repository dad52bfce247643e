package openai

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// A request's service_tier is the typed Request.ServiceTier (not an
// extra field), null is unset, and a value OpenAI does not take is
// refused with OpenAI's message on param service_tier.
func TestDecodeRequestServiceTier(t *testing.T) {
	const head = `{"model":"m","messages":[{"role":"user","content":"x"}]`
	for body, want := range map[string]llm.ServiceTier{
		head + `,"service_tier":"priority"}`: llm.TierPriority,
		head + `,"service_tier":"auto"}`:     llm.TierAuto,
		head + `,"service_tier":"fast"}`:     llm.TierFast,
		head + `,"service_tier":null}`:       "",
		head + `}`:                           "",
	} {
		req, err := DecodeChatRequest([]byte(body))
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if req.ServiceTier != want || req.Extra["service_tier"] != nil {
			t.Errorf("%s: tier %q, extra %s", body, req.ServiceTier, req.Extra["service_tier"])
		}
	}
	_, err := DecodeChatRequest([]byte(head + `,"service_tier":"turbo"}`))
	e := llm.AsError(err)
	if err == nil || e.Param != "service_tier" || e.Message != "Invalid value for 'service_tier': 'turbo'. Supported values are: 'auto', 'default', 'flex', 'scale', 'priority' and 'fast'." {
		t.Errorf("turbo: %v (param %q)", err, e.Param)
	}
}

// EncodeChatRequest writes the tier asked for, once, when there is one.
func TestEncodeRequestServiceTier(t *testing.T) {
	req := &llm.Request{Model: "m", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "x")}, ServiceTier: llm.TierFlex}
	body, err := EncodeChatRequest(req)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(body), `"service_tier":"flex"`) != 1 {
		t.Errorf("body %s", body)
	}
	req.ServiceTier = ""
	if body, _ = EncodeChatRequest(req); strings.Contains(string(body), "service_tier") {
		t.Errorf("unset tier written: %s", body)
	}
}

// The served tier is written where OpenAI writes it: in a completion
// after the usage and before system_fingerprint, in a chunk after the
// model; not at all when unknown.
func TestAppendServiceTier(t *testing.T) {
	r := &llm.Response{ID: "c", Model: "m", Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "Hi"), FinishReason: llm.FinishStop}},
		Usage: &llm.Usage{PromptTokens: 1, CompletionTokens: 1, TotalTokens: 2}, SystemFingerprint: "fp_1", ServiceTier: llm.TierFlex}
	got := string(AppendChatResponse(nil, r))
	if !strings.Contains(got, `"rejected_prediction_tokens":0}},"service_tier":"flex","system_fingerprint":"fp_1"}`) {
		t.Errorf("completion: %s", got)
	}
	c := &llm.Chunk{ID: "c", Model: "m", SystemFingerprint: "fp_1", ServiceTier: llm.TierDefault,
		Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "Hi"}}}}
	if got := string(AppendChunkIncludeUsage(nil, c)); !strings.HasPrefix(got, `{"id":"c","object":"chat.completion.chunk","created":0,"model":"m","service_tier":"default","system_fingerprint":"fp_1","choices":[`) {
		t.Errorf("chunk: %s", got)
	}
	r.ServiceTier, c.ServiceTier = "", ""
	if got := string(AppendChatResponse(nil, r)) + string(AppendChunk(nil, c)); strings.Contains(got, "service_tier") {
		t.Errorf("unknown tier written: %s", got)
	}
}

// The served tier is read from a completion and from every chunk (by the
// fast path and the general decoder alike), and stamped on the usage,
// which prices it.
func TestDecodeServiceTier(t *testing.T) {
	r, err := DecodeChatResponse(readFixture(t, "spec/chat_default_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	if r.ServiceTier != llm.TierDefault || r.Usage.ServiceTier != llm.TierDefault {
		t.Errorf("completion: tier %q, usage tier %q", r.ServiceTier, r.Usage.ServiceTier)
	}
	for _, data := range []string{
		`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","service_tier":"flex","choices":[{"index":0,"delta":{"content":"x"},"logprobs":null,"finish_reason":null}]}`,
		`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","service_tier":"flex","choices":[{"index":0,"delta":{"content":"x","tool_calls":[]}}]}`,
		`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","service_tier":"flex","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}`,
		`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":1},"service_tier":"flex"}`,
	} {
		c, err := DecodeChunk([]byte(data))
		if err != nil {
			t.Fatal(err)
		}
		if c.ServiceTier != llm.TierFlex || c.Usage != nil && c.Usage.ServiceTier != llm.TierFlex {
			t.Errorf("%s: tier %q, usage %+v", data, c.ServiceTier, c.Usage)
		}
	}
}
