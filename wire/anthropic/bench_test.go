package anthropic

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

func benchRequest() *llm.Request {
	prompt := strings.Repeat("Explain how the tides work and why there are two a day. ", 40) // ~500 tokens
	max := 512
	return &llm.Request{
		Model:     "claude-haiku-4-5",
		MaxTokens: &max,
		Messages: []llm.Message{
			llm.TextMessage(llm.RoleSystem, "You are a concise assistant."),
			llm.TextMessage(llm.RoleUser, "Hello"),
			llm.TextMessage(llm.RoleAssistant, "Hi! How can I help?"),
			llm.TextMessage(llm.RoleUser, prompt),
		},
	}
}

// BenchmarkFromLLMAndEncode is the outbound translation of a ~500-token
// request: canonical → Messages API → JSON bytes.
func BenchmarkFromLLMAndEncode(b *testing.B) {
	req := benchRequest()
	b.ReportAllocs()
	for b.Loop() {
		m, err := FromLLM(req)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStreamTranslate is the inbound translation of one text delta
// event into an OpenAI-shape chunk.
func BenchmarkStreamTranslate(b *testing.B) {
	t := &StreamTranslator{}
	if _, err := t.Translate("message_start", []byte(`{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-haiku-4-5","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"output_tokens":1}}}`)); err != nil {
		b.Fatal(err)
	}
	if _, err := t.Translate("content_block_start", []byte(`{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`)); err != nil {
		b.Fatal(err)
	}
	delta := []byte(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" the tides"}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := t.Translate("content_block_delta", delta); err != nil {
			b.Fatal(err)
		}
	}
}
