package anthropic

import (
	"context"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/route"
)

// recordingBackend keeps the request it was asked and answers resp.
type recordingBackend struct {
	fakeBackend
	got *llm.Request
}

func (b *recordingBackend) Chat(ctx context.Context, r *llm.Request, ov *route.Overrides, s *llm.Served) (*llm.Response, error) {
	b.got = r
	return b.fakeBackend.Chat(ctx, r, ov, s)
}

// A request's breakpoints reach the backend, marked as the client's
// choice, and the answer's usage keeps Anthropic's cache fields.
func TestMessagesKeepBreakpoints(t *testing.T) {
	usage := &llm.Usage{PromptTokens: 1500, CompletionTokens: 5, TotalTokens: 1505, CachedPromptTokens: 1000, CacheWriteTokens: 400, CacheWrite1hTokens: 400}
	b := &recordingBackend{fakeBackend: fakeBackend{resp: &llm.Response{Model: "claude-sonnet-4-5", Usage: usage,
		Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "Hello"), FinishReason: llm.FinishStop}}}}}
	w := serve(t, b, `{"model":"auto","max_tokens":20,"system":[{"type":"text","text":"Rules.","cache_control":{"type":"ephemeral","ttl":"1h"}}],`+
		`"messages":[{"role":"user","content":[{"type":"text","text":"Hi","cache_control":{"type":"ephemeral"}}]}]}`)
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	m := b.got.Messages
	if !b.got.ClientCaching || m[0].Content[0].Cache() != llm.Cache1h || m[1].Content[0].Cache() != llm.Cache5m {
		t.Errorf("backend got ClientCaching %v, messages %+v", b.got.ClientCaching, m)
	}
	want := `"usage":{"input_tokens":100,"cache_creation_input_tokens":400,"cache_read_input_tokens":1000,` +
		`"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":400},"output_tokens":5,"output_tokens_details":{"thinking_tokens":0},"server_tool_use":null,"service_tier":"standard","inference_geo":"not_available","speed":"standard"}`
	if !strings.Contains(w.Body.String(), want) {
		t.Errorf("body %s, want %s", w.Body, want)
	}
}

// More than four breakpoints are answered 400 in Anthropic's shape, with
// its wording, and never reach the backend.
func TestMessagesTooManyBreakpoints(t *testing.T) {
	b := &recordingBackend{}
	block := `{"type":"text","text":"x","cache_control":{"type":"ephemeral"}}`
	w := serve(t, b, `{"model":"auto","max_tokens":20,"messages":[{"role":"user","content":[`+strings.Repeat(block+",", 4)+block+`]}]}`)
	want := `{"type":"error","error":{"type":"invalid_request_error","message":"A maximum of 4 blocks with cache_control may be provided. Found 5."},"request_id":"req_00ff"}`
	if w.Code != 400 || w.Body.String() != want || b.got != nil {
		t.Errorf("%d %s (backend called: %v)", w.Code, w.Body, b.got != nil)
	}
}
