package openai

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"switchyard/llm"
)

// sampleLogprobs are a choice's log probabilities with what the wire
// format can say: alternatives, a token whose bytes are part of a
// character, a token without bytes (null), an exponent-sized logprob,
// OpenAI's -9999 for a token outside the top 20.
func sampleLogprobs() *llm.Logprobs {
	return &llm.Logprobs{Content: []llm.TokenLogprob{
		{Token: "Hello", Logprob: -0.31725305, Bytes: []byte("Hello"), TopLogprobs: []llm.TopLogprob{
			{Token: "Hello", Logprob: -0.31725305, Bytes: []byte("Hello")}, {Token: "Hi", Logprob: -1.3190403, Bytes: []byte("Hi")},
		}},
		{Token: "bytes:\\xe2\\x80", Logprob: -3.1281633e-07, Bytes: []byte{0xe2, 0x80}, TopLogprobs: []llm.TopLogprob{}},
		{Token: "\"x\"", Logprob: -9999, TopLogprobs: []llm.TopLogprob{{Token: "y", Logprob: 0}}},
	}}
}

// TestLogprobsRoundTrip checks that log probabilities survive encode →
// decode in responses and in chunks, null and empty lists kept apart.
func TestLogprobsRoundTrip(t *testing.T) {
	resp := sampleResponse()
	resp.Choices[0].Logprobs = sampleLogprobs()
	resp.Choices[2].Logprobs = &llm.Logprobs{Refusal: []llm.TokenLogprob{{Token: "No", Logprob: -0.5, Bytes: []byte("No"), TopLogprobs: []llm.TopLogprob{}}}}
	body := AppendChatResponse(nil, resp)
	got, err := DecodeChatResponse(body)
	if err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	if !reflect.DeepEqual(got, resp) {
		t.Errorf("response round trip changed the logprobs\n got %+v\nwant %+v\nbody %s", got.Choices[0].Logprobs, resp.Choices[0].Logprobs, body)
	}
	for _, want := range logprobChunks() {
		body := AppendChunkIncludeUsage(nil, want)
		got, err := DecodeChunk(body)
		if err != nil {
			t.Fatalf("%v\n%s", err, body)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("chunk round trip changed it\n got %+v\nwant %+v\nbody %s", got.Choices[0].Logprobs, want.Choices[0].Logprobs, body)
		}
	}
}

// logprobChunks are the chunks of a stream that asked for logprobs, as
// OpenAI sends them: the role chunk with an empty content list, a chunk
// per token, the finish chunk with none.
func logprobChunks() []*llm.Chunk {
	base := func(ch llm.ChunkChoice) *llm.Chunk {
		return &llm.Chunk{ID: "chatcmpl-9", Model: "gpt-4o-mini-2024-07-18", Created: 1729585728, SystemFingerprint: "fp_d9", Choices: []llm.ChunkChoice{ch}}
	}
	return []*llm.Chunk{
		base(llm.ChunkChoice{Delta: llm.Delta{Role: llm.RoleAssistant}, Logprobs: &llm.Logprobs{Content: []llm.TokenLogprob{}}}),
		base(llm.ChunkChoice{Delta: llm.Delta{Content: "Hey"}, Logprobs: &llm.Logprobs{Content: []llm.TokenLogprob{
			{Token: "Hey", Logprob: -0.000020458236, Bytes: []byte("Hey"), TopLogprobs: []llm.TopLogprob{}}}}}),
		base(llm.ChunkChoice{Delta: llm.Delta{Content: " there"}, Logprobs: sampleLogprobs()}),
		base(llm.ChunkChoice{FinishReason: llm.FinishStop}),
	}
}

// TestLogprobsChunkBytes pins the exact bytes of a stream's chunks with
// log probabilities to OpenAI's: the role chunk's empty list, a token's
// bytes and empty alternatives, "refusal": null, the finish chunk's null.
func TestLogprobsChunkBytes(t *testing.T) {
	head := `{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1729585728,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_d9","choices":[{"index":0,`
	want := []string{
		head + `"delta":{"role":"assistant","content":"","refusal":null},"logprobs":{"content":[],"refusal":null},"finish_reason":null}],"usage":null}`,
		head + `"delta":{"content":"Hey"},"logprobs":{"content":[{"token":"Hey","logprob":-0.000020458236,"bytes":[72,101,121],"top_logprobs":[]}],"refusal":null},"finish_reason":null}],"usage":null}`,
	}
	chunks := logprobChunks()
	for i, w := range want {
		if got := string(AppendChunkIncludeUsage(nil, chunks[i])); got != w {
			t.Errorf("chunk %d\n got %s\nwant %s", i, got, w)
		}
		c, err := DecodeChunk([]byte(w))
		if err != nil || !reflect.DeepEqual(c, chunks[i]) {
			t.Errorf("chunk %d decodes to %+v, %v", i, c, err)
		}
	}
	if got := string(AppendChunk(nil, chunks[3])); !strings.Contains(got, `"delta":{},"logprobs":null,"finish_reason":"stop"`) {
		t.Errorf("finish chunk %s", got)
	}
}

// TestDecodeLogprobsLenient checks what an upstream may send that the
// spec does not: missing members, null logprob and alternatives, unknown
// fields; and that bytes outside 0..255 are refused as malformed.
func TestDecodeLogprobsLenient(t *testing.T) {
	body := `{"choices":[{"index":0,"delta":{"content":"a"},"logprobs":{"content":[{"token":"a","logprob":null,"top_logprobs":null,"id":7}],"x":1}}]}`
	c, err := DecodeChunk([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := &llm.Logprobs{Content: []llm.TokenLogprob{{Token: "a", TopLogprobs: []llm.TopLogprob{}}}}
	if !reflect.DeepEqual(c.Choices[0].Logprobs, want) {
		t.Errorf("got %+v, want %+v", c.Choices[0].Logprobs, want)
	}
	_, err = DecodeChunk([]byte(`{"choices":[{"index":0,"delta":{},"logprobs":{"content":[{"token":"a","logprob":-1,"bytes":[256]}]}}]}`))
	var e *llm.Error
	if !errors.As(err, &e) || e.Kind != llm.KindUpstream || !strings.Contains(e.Message, "0 to 255") {
		t.Errorf("byte 256: %v", err)
	}
}

// TestDecodeRequestLogprobs checks the request fields: logprobs and
// top_logprobs decode into the request and are encoded back.
func TestDecodeRequestLogprobs(t *testing.T) {
	req, err := DecodeChatRequest([]byte(`{"model":"m","messages":[{"role":"user","content":"x"}],"logprobs":true,"top_logprobs":20}`))
	if err != nil {
		t.Fatal(err)
	}
	if !req.Logprobs || req.TopLogprobs != 20 || req.Extra != nil {
		t.Fatalf("got logprobs %v top %d extra %v", req.Logprobs, req.TopLogprobs, req.Extra)
	}
	body, _ := EncodeChatRequest(req)
	if !strings.Contains(string(body), `"logprobs":true,"top_logprobs":20`) {
		t.Errorf("encoded %s", body)
	}
	req, err = DecodeChatRequest([]byte(`{"model":"m","messages":[{"role":"user","content":"x"}],"logprobs":false,"top_logprobs":null}`))
	if err != nil || req.Logprobs || req.TopLogprobs != 0 {
		t.Fatalf("false and null: %+v, %v", req, err)
	}
	if body, _ := EncodeChatRequest(req); strings.Contains(string(body), "logprobs") {
		t.Errorf("logprobs written though not asked for: %s", body)
	}
}
