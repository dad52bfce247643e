package openai

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"switchyard/llm"
)

// sampleRequests are canonical requests as DecodeChatRequest would produce
// them; each must survive encode → decode unchanged.
func sampleRequests() []*llm.Request {
	full, err := DecodeChatRequest([]byte(fullRequest))
	if err != nil {
		panic(err)
	}
	llm.KeepLastBreakpoints(full.Messages, 0) // an OpenAI-format upstream is sent no breakpoint
	return []*llm.Request{
		full,
		{Model: "m", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "")}},
		{Model: "m", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "quote\" backslash\\ nl\n tab\t nul\x00 ctl\x1f del\x7f é 😀 \u2028\u2029 <>&")}},
		{
			Model:       "gpt",
			Messages:    []llm.Message{llm.TextMessage(llm.RoleSystem, "s"), llm.TextMessage(llm.RoleUser, "u")},
			Temperature: ptr(1e-7), TopP: ptr(0.1), PresencePenalty: ptr(-2.0), FrequencyPenalty: ptr(1.0 / 3),
			MaxTokens: ptr(1), Seed: ptr(int64(math.MaxInt64)), N: ptr(128), Stop: []string{"x"}, Logprobs: true, TopLogprobs: 3,
			Stream: true, IncludeUsage: false, ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceRequired},
			Tools:          []llm.Tool{{Type: "function", Name: "a-b_c"}},
			ResponseFormat: &llm.ResponseFormat{Type: llm.FormatText},
			Extra:          map[string]json.RawMessage{"prediction": json.RawMessage(`{"type":"content","content":"x"}`), "": json.RawMessage(`null`), "we\"ird": json.RawMessage(`[1,2]`)},
		},
	}
}

func TestRequestRoundTrip(t *testing.T) {
	for i, want := range sampleRequests() {
		body, err := EncodeChatRequest(want)
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(body) {
			t.Fatalf("%d: invalid JSON %s", i, body)
		}
		got, err := DecodeChatRequest(body)
		if err != nil {
			t.Fatalf("%d: %v\n%s", i, err, body)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%d: round trip changed the request\n got %+v\nwant %+v\nbody %s", i, got, want, body)
		}
	}
}

func TestEncodeChatRequestLimits(t *testing.T) {
	req := &llm.Request{Model: "m", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "x")}, MaxTokens: ptr(9)}
	body, _ := EncodeChatRequest(req)
	if !strings.Contains(string(body), `"max_tokens":9`) || strings.Contains(string(body), "max_completion_tokens") {
		t.Errorf("default name: %s", body)
	}
	// The marker picks the name; the value always comes from MaxTokens.
	req.Extra = map[string]json.RawMessage{ExtraMaxCompletionTokens: json.RawMessage("1000"), "max_tokens": json.RawMessage("5")}
	body, _ = EncodeChatRequest(req)
	if !strings.Contains(string(body), `"max_completion_tokens":9`) || strings.Contains(string(body), "max_tokens") {
		t.Errorf("marked name: %s", body)
	}
	req.MaxTokens = nil
	body, _ = EncodeChatRequest(req)
	if strings.Contains(string(body), "max_") {
		t.Errorf("cleared limit still written: %s", body)
	}
}

func TestEncodeChatRequestShapes(t *testing.T) {
	req := &llm.Request{
		Model: "m",
		Messages: []llm.Message{
			{Role: llm.RoleUser, StringContent: true, Content: []llm.Part{{Type: llm.PartText, Text: "a"}, {Type: llm.PartText, Text: "b"}}},
			{Role: llm.RoleAssistant, Extra: &llm.MessageExtra{ToolCalls: []llm.ToolCall{{ID: "c", Name: "f", Arguments: "{}"}}}},
		},
		Stream: false, IncludeUsage: true,
	}
	body, err := EncodeChatRequest(req)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"model":"m","messages":[{"role":"user","content":"ab"},{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]}]}`
	if string(body) != want {
		t.Errorf("got  %s\nwant %s", body, want)
	}
	for _, bad := range []*llm.Request{
		{Model: "m", Extra: map[string]json.RawMessage{"x": json.RawMessage("{")}},
		{Model: "m", Tools: []llm.Tool{{Name: "f", Parameters: json.RawMessage("nope")}}},
		{Model: "m", ResponseFormat: &llm.ResponseFormat{Type: llm.FormatJSONSchema, Name: "n", Schema: json.RawMessage("")}},
		{Model: "m", Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{{Type: llm.PartOther}}}}},
	} {
		if _, err := EncodeChatRequest(bad); err == nil {
			t.Errorf("no error for %+v", bad)
		} else if e, ok := err.(*llm.Error); !ok || e.Kind != llm.KindInternal {
			t.Errorf("error %v is not an internal *llm.Error", err)
		}
	}
}

func sampleResponse() *llm.Response {
	return &llm.Response{
		ID: "chatcmpl-1", Model: "gpt-4o-mini", Created: 1741569952, SystemFingerprint: "fp_1",
		Choices: []llm.Choice{
			{Index: 0, Message: llm.TextMessage(llm.RoleAssistant, "Hi \"there\"\n"), FinishReason: llm.FinishStop},
			{Index: 1, Message: llm.Message{
				Role: llm.RoleAssistant,
				Extra: &llm.MessageExtra{ToolCalls: []llm.ToolCall{
					{ID: "call_a", Type: "function", Name: "get_weather", Arguments: `{"city":"Oslo"}`},
					{ID: "call_b", Type: "function", Name: "get_time", Arguments: `{}`},
				}},
			}, FinishReason: llm.FinishToolCalls},
			{Index: 2, Message: llm.Message{Role: llm.RoleAssistant, Extra: &llm.MessageExtra{Refusal: "I can't help with that."}}, FinishReason: llm.FinishContentFilter},
			{Index: 3, Message: llm.TextMessage(llm.RoleAssistant, "")},
		},
		Usage: &llm.Usage{
			PromptTokens: 1117, CompletionTokens: 46, TotalTokens: 1163, CachedPromptTokens: 1024, CacheWriteTokens: 50,
			ReasoningTokens: 12, AudioPromptTokens: 3, AudioCompletionTokens: 4, AcceptedPredictionTokens: 5, RejectedPredictionTokens: 6,
		},
	}
}

func TestResponseRoundTrip(t *testing.T) {
	for _, want := range []*llm.Response{sampleResponse(), {ID: "x", Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "y")}}}} {
		body := AppendChatResponse(nil, want)
		got, err := DecodeChatResponse(body)
		if err != nil {
			t.Fatalf("%v\n%s", err, body)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("round trip changed the response\n got %+v\nwant %+v\nbody %s", got, want, body)
		}
	}
}

func sampleChunks() []*llm.Chunk {
	base := func(choices ...llm.ChunkChoice) *llm.Chunk {
		return &llm.Chunk{ID: "chatcmpl-123", Model: "gpt-4o-mini", Created: 1694268190, SystemFingerprint: "fp_44709d6fcb", Choices: choices}
	}
	return []*llm.Chunk{
		base(llm.ChunkChoice{Delta: llm.Delta{Role: llm.RoleAssistant}}),
		base(llm.ChunkChoice{Delta: llm.Delta{Content: "Hel"}}),
		base(llm.ChunkChoice{Delta: llm.Delta{Content: "lo \u2028 wörld"}}),
		base(llm.ChunkChoice{Index: 1, Delta: llm.Delta{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCallDelta{{Index: 0, ID: "call_1", Type: "function", Name: "get_weather"}}}}),
		base(llm.ChunkChoice{Index: 1, Delta: llm.Delta{ToolCalls: []llm.ToolCallDelta{{Index: 0, Arguments: `{"city":`}}}}),
		base(llm.ChunkChoice{Index: 1, Delta: llm.Delta{ToolCalls: []llm.ToolCallDelta{{Index: 0, Arguments: `"Oslo"}`}, {Index: 1, ID: "call_2", Type: "function", Name: "get_time", Arguments: "{}"}}}}),
		base(llm.ChunkChoice{Index: 2, Delta: llm.Delta{Refusal: "No."}}),
		base(llm.ChunkChoice{Delta: llm.Delta{}, FinishReason: llm.FinishStop}, llm.ChunkChoice{Index: 1, FinishReason: llm.FinishToolCalls}, llm.ChunkChoice{Index: 2, FinishReason: llm.FinishContentFilter}),
		{ID: "chatcmpl-123", Model: "gpt-4o-mini", Created: 1694268190, SystemFingerprint: "fp_44709d6fcb",
			Usage: &llm.Usage{PromptTokens: 19, CompletionTokens: 10, TotalTokens: 29, CachedPromptTokens: 3, ReasoningTokens: 2, CacheWriteTokens: 7}},
	}
}

func TestChunkRoundTrip(t *testing.T) {
	for i, want := range sampleChunks() {
		for _, body := range [][]byte{AppendChunk(nil, want), AppendChunkIncludeUsage(nil, want)} {
			got, err := DecodeChunk(body)
			if err != nil {
				t.Fatalf("%d: %v\n%s", i, err, body)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%d: round trip changed the chunk\n got %+v\nwant %+v\nbody %s", i, got, want, body)
			}
		}
	}
}

// TestChunkGolden pins the exact bytes against the chunks of the spec's
// streaming example.
func TestChunkGolden(t *testing.T) {
	lines := strings.Split(strings.TrimSpace(string(readFixture(t, "spec/chat_streaming_chunks.jsonl"))), "\n")
	for _, line := range lines {
		c, err := DecodeChunk([]byte(line))
		if err != nil {
			t.Fatal(err)
		}
		got := string(AppendChunk(nil, c))
		want := strings.ReplaceAll(line, `, "system_fingerprint": "fp_44709d6fcb", `, `,"system_fingerprint":"fp_44709d6fcb",`)
		want = strings.Replace(want, `"content":""}`, `"content":"","refusal":null}`, 1)
		if got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	}
}

func TestEmbeddingRequestRoundTrip(t *testing.T) {
	for _, want := range []*llm.EmbeddingRequest{
		{Model: "text-embedding-3-small", Input: []string{"one"}, EncodingFormat: "float"},
		{Model: "m", Input: []string{"a", "b\n", "ć"}, Dimensions: ptr(256), User: "u", EncodingFormat: "float",
			Extra: map[string]json.RawMessage{"input_type": json.RawMessage(`"query"`), "temperature": json.RawMessage(`1`)}},
		{Model: "m", EncodingFormat: "float", Extra: map[string]json.RawMessage{"input": json.RawMessage(`[[1,2],[3]]`)}},
	} {
		body, err := EncodeEmbeddingRequest(want)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeEmbeddingRequest(body)
		if err != nil {
			t.Fatalf("%v\n%s", err, body)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("round trip changed the request\n got %+v\nwant %+v\nbody %s", got, want, body)
		}
	}
	// The client's format is never forwarded: the router always fetches floats.
	body, _ := EncodeEmbeddingRequest(&llm.EmbeddingRequest{Model: "m", Input: []string{"x"}, EncodingFormat: "base64"})
	if want := `{"model":"m","input":"x","encoding_format":"float"}`; string(body) != want {
		t.Errorf("got %s, want %s", body, want)
	}
}

func TestEmbeddingResponseRoundTrip(t *testing.T) {
	want := &llm.EmbeddingResponse{Model: "text-embedding-3-small", Usage: llm.Usage{PromptTokens: 8, TotalTokens: 8}, Data: []llm.Embedding{
		{Index: 0, Vector: []float32{0.0023064255, -0.009327292, -0.0028842222, 1e-9, 3.4028235e38, 0}},
		{Index: 1, Vector: make([]float32, 1000)},
		{Index: 2, Vector: []float32{}},
	}}
	for i := range want.Data[1].Vector {
		want.Data[1].Vector[i] = float32(i) / 7
	}
	for _, format := range []string{"float", "base64", ""} {
		body := AppendEmbeddingResponse(nil, want, format)
		got, err := DecodeEmbeddingResponse(body)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: round trip changed the response\n got %+v\nwant %+v", format, got, want)
		}
	}
}

func TestEmbeddingSpecExample(t *testing.T) {
	req, err := DecodeEmbeddingRequest(readFixture(t, "spec/embeddings_default_request.json"))
	if err != nil {
		t.Fatal(err)
	}
	if want := (llm.EmbeddingRequest{Model: "text-embedding-ada-002", Input: []string{"The food was delicious and the waiter..."}, EncodingFormat: "float"}); !reflect.DeepEqual(*req, want) {
		t.Errorf("got %+v", req)
	}
	resp, err := DecodeEmbeddingResponse(readFixture(t, "spec/embeddings_default_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Model != "text-embedding-ada-002" || resp.Usage.PromptTokens != 8 || len(resp.Data) != 1 || resp.Data[0].Vector[1] != -0.009327292 {
		t.Errorf("got %+v", resp)
	}
}
