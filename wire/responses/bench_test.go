package responses

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// benchRequest is the Responses twin of wire/openai's benchmark chat
// request (about 500 prompt tokens): instructions, three turns, a tool
// and the usual parameters.
func benchRequest() string {
	para := "The quick brown fox jumps over the lazy dog while the router decides which model should answer. "
	return `{"model":"auto","instructions":"You are a careful assistant for an engineering team. ` + strings.Repeat(para, 6) + `",` +
		`"input":[{"role":"user","content":"` + strings.Repeat(para, 5) + `\nWhat should we do about the \"flaky\" test?"},` +
		`{"role":"assistant","content":"` + strings.Repeat(para, 4) + `"},` +
		`{"role":"user","content":[{"type":"input_text","text":"` + strings.Repeat(para, 4) + `Summarize in three bullets."}]}],` +
		`"tools":[{"type":"function","name":"search_docs","description":"Search the docs.","parameters":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}}],` +
		`"temperature":0.3,"max_output_tokens":512,"stream":true,"user":"u-42"}`
}

func BenchmarkDecodeRequest(b *testing.B) {
	body := []byte(benchRequest())
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeRequest(body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendResponse(b *testing.B) {
	r, err := DecodeRequest([]byte(benchRequest()))
	if err != nil {
		b.Fatal(err)
	}
	resp := &llm.Response{Model: "gpt-4o-mini-2024-07-18", Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant,
		strings.Repeat("The answer, with \"quotes\" and a newline.\n", 25)), FinishReason: llm.FinishStop}},
		Usage: &llm.Usage{PromptTokens: 500, CompletionTokens: 250, TotalTokens: 750}}
	m := Meta{IDs: IDs{Base: "692f0a1b3c4d5e6f708192a3"}, CreatedAt: 1741569952, Model: resp.Model}
	buf := make([]byte, 0, 16<<10)
	b.ReportAllocs()
	for b.Loop() {
		out := FromResponse(resp, m.IDs)
		buf = AppendResponse(buf[:0], r, &m, &out)
	}
}

// BenchmarkStreamDelta is the per-chunk cost of a streamed answer: one
// response.output_text.delta event.
func BenchmarkStreamDelta(b *testing.B) {
	r, err := DecodeRequest([]byte(benchRequest()))
	if err != nil {
		b.Fatal(err)
	}
	s := NewStreamer(r, Meta{IDs: IDs{Base: "692f0a1b3c4d5e6f708192a3"}, Model: "m"})
	buf := s.Chunk(s.Start(make([]byte, 0, 16<<10)), textChunk("warm"))
	s.items[0].text = make([]byte, 0, 64<<20)
	c := textChunk(" the quick brown fox")
	b.ReportAllocs()
	for b.Loop() {
		buf = s.Chunk(buf[:0], c)
	}
}

// BenchmarkStreamThinkingDelta is the per-chunk cost of streamed thinking
// shown as a reasoning summary: one response.reasoning_summary_text.delta
// event, the piece kept for the item's encrypted_content.
func BenchmarkStreamThinkingDelta(b *testing.B) {
	r, err := DecodeRequest([]byte(`{"model":"m","input":"hi","stream":true,"reasoning":{"effort":"low","summary":"auto"}}`))
	if err != nil {
		b.Fatal(err)
	}
	s := NewStreamer(r, Meta{IDs: IDs{Base: "692f0a1b3c4d5e6f708192a3"}, Model: "m"})
	buf := s.Chunk(s.Start(make([]byte, 0, 16<<10)), thinkingChunk(0, "warm", "", ""))
	s.items[0].thought.blocks[0].text = make([]byte, 0, 64<<20)
	c := thinkingChunk(0, " the quick brown fox", "", "")
	b.ReportAllocs()
	for b.Loop() {
		buf = s.Chunk(buf[:0], c)
	}
}

// BenchmarkStoredInput: the items a stored response keeps of the
// benchmark request (its input with ids, string contents made parts),
// made before the answer's last bytes go out.
func BenchmarkStoredInput(b *testing.B) {
	r, err := DecodeRequest([]byte(benchRequest()))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := StoredInput(r, IDs{Base: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSealOpenThinking: a reasoning item's encrypted_content made
// from 4 KB of thinking, and opened again.
func BenchmarkSealOpenThinking(b *testing.B) {
	sl := testSealer(b, 1, "acme")
	blocks := []llm.Thinking{{Text: strings.Repeat("thinking ", 455), Signature: strings.Repeat("s", 400)}}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := sl.Open(sl.Seal(blocks)); !ok {
			b.Fatal("does not open")
		}
	}
}
