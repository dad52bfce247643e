package anthropic

import (
	"encoding/json"
	"fmt"
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
		if _, err := m.MarshalJSON(); err != nil { // as the provider encodes a body
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

// inboundBody is a ~500-token Messages request as an Anthropic SDK sends
// it: a system prompt, two earlier turns, the question.
func inboundBody() []byte {
	prompt := strings.Repeat("Explain how the tides work and why there are two a day. ", 40)
	b, _ := json.Marshal(map[string]any{
		"model": "auto", "max_tokens": 512, "system": "You are a concise assistant.",
		"messages": []map[string]any{
			{"role": "user", "content": "Hello"},
			{"role": "assistant", "content": "Hi! How can I help?"},
			{"role": "user", "content": []map[string]any{{"type": "text", "text": prompt}}},
		},
	})
	return b
}

// BenchmarkInboundDecode is the inbound decoding of a ~500-token request:
// JSON bytes → checked Messages request → canonical request.
func BenchmarkInboundDecode(b *testing.B) {
	body := inboundBody()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeRequest(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInboundEncodeResponse writes a complete answer (~150 tokens of
// text) as a Message into a reused buffer.
func BenchmarkInboundEncodeResponse(b *testing.B) {
	text := strings.Repeat("The Moon's gravity pulls the ocean into two bulges. ", 12)
	resp := &llm.Response{ID: "chatcmpl-1", Model: "gpt-4o-mini",
		Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, text), FinishReason: llm.FinishStop}},
		Usage:   &llm.Usage{PromptTokens: 520, CompletionTokens: 150, TotalTokens: 670}}
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendResponse(buf[:0], resp, "msg_0123456789abcdef")
	}
}

// BenchmarkStreamEncoderChunk writes one text delta of a stream as a
// content_block_delta event into a reused buffer (the per-chunk cost of a
// streamed answer).
func BenchmarkStreamEncoderChunk(b *testing.B) {
	enc := StreamEncoder{RequestID: "req_0123456789abcdef", Model: "auto"}
	var buf []byte
	buf = enc.Chunk(buf, &llm.Chunk{ID: "c", Model: "m", Choices: []llm.ChunkChoice{{Delta: llm.Delta{Role: llm.RoleAssistant, Content: "The"}}}})
	c := &llm.Chunk{ID: "c", Model: "m", Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: " tides rise"}}}}
	b.ReportAllocs()
	for b.Loop() {
		buf = enc.Chunk(buf[:0], c)
	}
}

// BenchmarkInboundDecodeTools is BenchmarkInboundDecode with the 20
// custom tools an agent (Claude Code, MCP servers) declares.
func BenchmarkInboundDecodeTools(b *testing.B) {
	var req map[string]any
	if err := json.Unmarshal(inboundBody(), &req); err != nil {
		b.Fatal(err)
	}
	tools := make([]map[string]any, 20)
	for i := range tools {
		tools[i] = map[string]any{"name": fmt.Sprintf("tool_%d", i), "description": strings.Repeat("Reads a file from the workspace. ", 8),
			"input_schema": map[string]any{"type": "object", "required": []string{"path"}, "properties": map[string]any{
				"path": map[string]any{"type": "string", "description": "The file's path."}, "limit": map[string]any{"type": "integer"}}}}
	}
	req["tools"] = tools
	body, _ := json.Marshal(req)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeRequest(body); err != nil {
			b.Fatal(err)
		}
	}
}
