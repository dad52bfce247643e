package gemini

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// BenchmarkFromLLMAndEncode is the outbound translation of a ~500-token
// request: canonical → generateContent → JSON bytes.
func BenchmarkFromLLMAndEncode(b *testing.B) {
	prompt := strings.Repeat("Explain how the tides work and why there are two a day. ", 40)
	req := &llm.Request{Model: "gemini-2.5-flash", Messages: []llm.Message{
		llm.TextMessage(llm.RoleSystem, "You are a concise assistant."),
		llm.TextMessage(llm.RoleUser, "Hello"),
		llm.TextMessage(llm.RoleAssistant, "Hi! How can I help?"),
		llm.TextMessage(llm.RoleUser, prompt),
	}}
	b.ReportAllocs()
	for b.Loop() {
		g, err := FromLLM(req)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(g); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStreamTranslate is the inbound translation of one streamed
// fragment into an OpenAI-shape chunk.
func BenchmarkStreamTranslate(b *testing.B) {
	data := []byte(`{"candidates":[{"content":{"parts":[{"text":" the tides"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":25,"candidatesTokenCount":3,"totalTokenCount":28},"modelVersion":"gemini-2.5-flash","responseId":"abc"}`)
	t := NewStreamTranslator("gemini-2.5-flash")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := t.Translate(data); err != nil {
			b.Fatal(err)
		}
	}
}
