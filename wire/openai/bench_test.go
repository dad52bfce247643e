package openai

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// benchRequest is a typical chat request of about 500 prompt tokens: a
// system prompt, three turns, a tool and the usual parameters.
func benchRequest() string {
	para := "The quick brown fox jumps over the lazy dog while the router decides which model should answer. "
	return `{"model":"auto","messages":[` +
		`{"role":"system","content":"You are a careful assistant for an engineering team. ` + strings.Repeat(para, 6) + `"},` +
		`{"role":"user","content":"` + strings.Repeat(para, 5) + `\nWhat should we do about the \"flaky\" test?"},` +
		`{"role":"assistant","content":"` + strings.Repeat(para, 4) + `"},` +
		`{"role":"user","content":[{"type":"text","text":"` + strings.Repeat(para, 4) + `Summarize in three bullets."}]}],` +
		`"tools":[{"type":"function","function":{"name":"search_docs","description":"Search the docs.","parameters":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}}}],` +
		`"temperature":0.3,"max_tokens":512,"stream":true,"stream_options":{"include_usage":true},"user":"u-42"}`
}

func BenchmarkDecodeChatRequest(b *testing.B) {
	body := []byte(benchRequest())
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeChatRequest(body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeChatRequest(b *testing.B) {
	req, err := DecodeChatRequest([]byte(benchRequest()))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := EncodeChatRequest(req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendChunk(b *testing.B) {
	c := &llm.Chunk{ID: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", Model: "gpt-4o-mini-2024-07-18", Created: 1741569952, SystemFingerprint: "fp_44709d6fcb",
		Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: " the quick brown fox"}}}}
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendChunk(buf[:0], c)
	}
}

func BenchmarkAppendChatResponse(b *testing.B) {
	r := &llm.Response{ID: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", Model: "gpt-4o-mini-2024-07-18", Created: 1741569952,
		Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, strings.Repeat("The answer, with \"quotes\" and a newline.\n", 25)), FinishReason: llm.FinishStop}},
		Usage:   &llm.Usage{PromptTokens: 512, CompletionTokens: 250, TotalTokens: 762, CachedPromptTokens: 256}}
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendChatResponse(buf[:0], r)
	}
}

func BenchmarkDecodeChunk(b *testing.B) {
	body := []byte(`{"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"content":" the quick brown fox"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"x1y2"}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeChunk(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeChunkAfter decodes a chunk that follows another of its
// stream, as every chunk but the first is decoded.
func BenchmarkDecodeChunkAfter(b *testing.B) {
	body := []byte(`{"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"content":" the quick brown fox"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"x1y2"}`)
	prev, err := DecodeChunk(body)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeChunkAfter(body, prev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeChunkReasoning decodes DeepSeek's chunks after the
// first: a piece of reasoning, and a piece of the answer.
func BenchmarkDecodeChunkReasoning(b *testing.B) {
	for name, body := range map[string]string{
		"thinking": `{"id":"43a31dda-92f6-4cdf-a333-bb399599a824","object":"chat.completion.chunk","created":1739097227,"model":"deepseek-reasoner","system_fingerprint":"fp_7e73fd9a08","choices":[{"index":0,"delta":{"content":null,"reasoning_content":" the user asks"},"logprobs":null,"finish_reason":null}]}`,
		"answer":   `{"id":"43a31dda-92f6-4cdf-a333-bb399599a824","object":"chat.completion.chunk","created":1739097227,"model":"deepseek-reasoner","system_fingerprint":"fp_7e73fd9a08","choices":[{"index":0,"delta":{"content":" the quick brown fox","reasoning_content":null},"logprobs":null,"finish_reason":null}]}`,
	} {
		data := []byte(body)
		b.Run(name, func(b *testing.B) {
			prev, err := DecodeChunk(data)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := DecodeChunkAfter(data, prev); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeStreamEnds decodes a stream's first chunk (the role),
// its finish chunk and its usage report, as OpenAI sends them.
func BenchmarkDecodeStreamEnds(b *testing.B) {
	for _, tc := range []struct{ name, body string }{
		{"first", `{"id":"chatcmpl-5","object":"chat.completion.chunk","created":1796448595,"model":"gpt-4o-mini","system_fingerprint":"fp_70c0fca938","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]}`},
		{"finish", `{"id":"chatcmpl-5","object":"chat.completion.chunk","created":1796448595,"model":"gpt-4o-mini","system_fingerprint":"fp_70c0fca938","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}`},
		{"usage", `{"id":"chatcmpl-5","object":"chat.completion.chunk","created":1796448595,"model":"gpt-4o-mini","system_fingerprint":"fp_70c0fca938","choices":[],"usage":{"prompt_tokens":217,"completion_tokens":38,"total_tokens":255,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}`},
	} {
		b.Run(tc.name, func(b *testing.B) {
			body := []byte(tc.body)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := DecodeChunkAfter(body, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// The usage report as a stream reads it: after the finish chunk,
	// whose id, model and fingerprint it repeats.
	b.Run("usage-after-finish", func(b *testing.B) {
		prev, err := DecodeChunk([]byte(`{"id":"chatcmpl-5","object":"chat.completion.chunk","created":1796448595,"model":"gpt-4o-mini","system_fingerprint":"fp_70c0fca938","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}`))
		if err != nil {
			b.Fatal(err)
		}
		body := []byte(`{"id":"chatcmpl-5","object":"chat.completion.chunk","created":1796448595,"model":"gpt-4o-mini","system_fingerprint":"fp_70c0fca938","choices":[],"usage":{"prompt_tokens":217,"completion_tokens":38,"total_tokens":255,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}`)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := DecodeChunkAfter(body, prev); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestAppendChunkDoesNotAllocate(t *testing.T) {
	c := sampleChunks()[5]
	buf := make([]byte, 0, 1024)
	if n := testing.AllocsPerRun(100, func() { buf = AppendChunkIncludeUsage(buf[:0], c) }); n != 0 {
		t.Errorf("AppendChunk allocates %v times per call", n)
	}
	r := sampleResponse()
	buf = make([]byte, 0, 4096)
	if n := testing.AllocsPerRun(100, func() { buf = AppendChatResponse(buf[:0], r) }); n != 0 {
		t.Errorf("AppendChatResponse allocates %v times per call", n)
	}
}

// BenchmarkDecodeChatRequestStdlib is the reference: encoding/json into
// purpose-made structs, the alternative this package's scanner replaces.
func BenchmarkDecodeChatRequestStdlib(b *testing.B) {
	type message struct {
		Role       string          `json:"role"`
		Content    json.RawMessage `json:"content"`
		Name       string          `json:"name"`
		ToolCallID string          `json:"tool_call_id"`
	}
	type request struct {
		Model       string            `json:"model"`
		Messages    []message         `json:"messages"`
		Tools       []json.RawMessage `json:"tools"`
		Temperature *float64          `json:"temperature"`
		MaxTokens   *int              `json:"max_tokens"`
		Stream      bool              `json:"stream"`
		User        string            `json:"user"`
	}
	body := []byte(benchRequest())
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var r request
		if err := json.Unmarshal(body, &r); err != nil {
			b.Fatal(err)
		}
		for _, m := range r.Messages {
			var s string
			if json.Unmarshal(m.Content, &s) != nil {
				var parts []struct{ Type, Text string }
				json.Unmarshal(m.Content, &parts)
			}
		}
	}
}

// largeRequest is a 3.4 MB chat request of 100,000 tiny messages, the
// shape of a memory-amplification attack.
func largeRequest() []byte {
	var b strings.Builder
	b.WriteString(`{"model":"auto","messages":[`)
	for i := range 100_000 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"role":"user","content":"hello"}`)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// BenchmarkDecodeLargeRequest reports the bytes allocated to decode
// largeRequest (compare B/op with the 3.4 MB of input).
func BenchmarkDecodeLargeRequest(b *testing.B) {
	body := largeRequest()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeChatRequest(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeLargeRequest reports the bytes allocated to encode
// largeRequest upstream.
func BenchmarkEncodeLargeRequest(b *testing.B) {
	req, err := DecodeChatRequest(largeRequest())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := EncodeChatRequest(req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeChunkEscaped decodes a content chunk whose text has
// escapes (a line break, quotes), as answers often do, after the chunk
// before it.
func BenchmarkDecodeChunkEscaped(b *testing.B) {
	prev, err := DecodeChunk([]byte(fastSeeds[5]))
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"id":"chatcmpl-5","object":"chat.completion.chunk","created":1796448595,"model":"gpt-4o-mini","system_fingerprint":"fp_70c0fca938","choices":[{"index":0,"delta":{"content":".\n\n\"Summarize"},"logprobs":null,"finish_reason":null}]}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeChunkAfter(body, prev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeChunkUnicodeEscaped decodes a content chunk whose text
// has \u escapes (an upstream that writes ASCII only, as Python's json
// does by default), after the chunk before it: such a chunk also gets the
// error test (MayHoldStreamError).
func BenchmarkDecodeChunkUnicodeEscaped(b *testing.B) {
	prev, err := DecodeChunk([]byte(fastSeeds[5]))
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"id":"chatcmpl-5","object":"chat.completion.chunk","created":1796448595,"model":"gpt-4o-mini","system_fingerprint":"fp_70c0fca938","choices":[{"index":0,"delta":{"content":" caf\u00e9 \u2014 "},"logprobs":null,"finish_reason":null}]}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeChunkAfter(body, prev); err != nil {
			b.Fatal(err)
		}
	}
}
