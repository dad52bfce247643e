package anthropic

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"testing"

	"switchyard/llm"
)

func TestAppendResponse(t *testing.T) {
	msg := llm.Message{Role: llm.RoleAssistant, Content: []llm.Part{{Type: llm.PartText, Text: "Let me check \"that\"."}}}
	msg.SetToolCalls([]llm.ToolCall{{ID: "call_1", Type: "function", Name: "get_weather", Arguments: `{"city":"Paris"}`}, {ID: "call_2", Type: "function", Name: "f", Arguments: `not json`}})
	resp := &llm.Response{ID: "chatcmpl-9", Model: "gpt-4o-mini-2024-07-18",
		Choices: []llm.Choice{{Message: msg, FinishReason: llm.FinishToolCalls}},
		Usage:   &llm.Usage{PromptTokens: 120, CompletionTokens: 30, TotalTokens: 150, CachedPromptTokens: 100, CacheWriteTokens: 10, CacheWrite1hTokens: 4, ServiceTier: llm.TierDefault}}
	got := string(AppendResponse(nil, resp, MessageID(resp.ID, "req_0123")))
	want := `{"id":"msg_0123","type":"message","role":"assistant","model":"gpt-4o-mini-2024-07-18","content":[` +
		`{"type":"text","text":"Let me check \"that\"."},` +
		`{"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris"}},` +
		`{"type":"tool_use","id":"call_2","name":"f","input":{}}],` +
		`"stop_reason":"tool_use","stop_sequence":null,"stop_details":null,` +
		`"usage":{"input_tokens":10,"cache_creation_input_tokens":10,"cache_read_input_tokens":100,` +
		`"cache_creation":{"ephemeral_5m_input_tokens":6,"ephemeral_1h_input_tokens":4},"output_tokens":30,` +
		`"output_tokens_details":{"thinking_tokens":0},"server_tool_use":null,"service_tier":"standard","inference_geo":"not_available","speed":"standard"},` +
		`"container":null,"diagnostics":null}`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// It is the shape the outbound decoder reads, and reads back the same.
	var m MessagesResponse
	if err := json.Unmarshal([]byte(got), &m); err != nil {
		t.Fatal(err)
	}
	back := ToLLM(&m)
	back.Usage.InferenceGeo, back.Usage.Speed = "", "" // the router's own not_available and standard
	if back.Choices[0].FinishReason != llm.FinishToolCalls || back.Choices[0].Message.Text() != "Let me check \"that\"." || *back.Usage != *resp.Usage {
		t.Errorf("read back %+v usage %+v", back.Choices[0], back.Usage)
	}
}

func TestAppendResponseStopReasons(t *testing.T) {
	for finish, want := range map[llm.FinishReason]string{
		llm.FinishStop: StopEndTurn, llm.FinishLength: StopMaxTokens,
		llm.FinishContentFilter: StopRefusal, "": StopEndTurn,
	} {
		resp := &llm.Response{Model: "m", Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "x"), FinishReason: finish}}}
		var m MessagesResponse
		if err := json.Unmarshal(AppendResponse(nil, resp, "msg_1"), &m); err != nil || *m.StopReason != want {
			t.Errorf("%q: stop_reason %v (%v), want %s", finish, m.StopReason, err, want)
		}
	}
}

func TestAppendError(t *testing.T) {
	e := llm.Errorf(llm.KindUnavailable, "no deployment can serve \"auto\" now")
	got := string(AppendError(nil, e, "req_1"))
	want := `{"type":"error","error":{"type":"overloaded_error","message":"no deployment can serve \"auto\" now"},"request_id":"req_1"}`
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if o, ok := ParseError([]byte(got)); !ok || o.Type != OverloadedError {
		t.Errorf("ParseError: %+v %v", o, ok)
	}
}

// textStream is a stream as an OpenAI-format upstream sends it: role,
// content, a finish chunk, then the usage chunk.
func textStream() []*llm.Chunk {
	return []*llm.Chunk{
		{ID: "chatcmpl-1", Model: "gpt-4o-mini", Choices: []llm.ChunkChoice{{Delta: llm.Delta{Role: llm.RoleAssistant}}}},
		{ID: "chatcmpl-1", Model: "gpt-4o-mini", Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "Hello"}}}},
		{ID: "chatcmpl-1", Model: "gpt-4o-mini", Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: " world"}}}},
		{ID: "chatcmpl-1", Model: "gpt-4o-mini", Choices: []llm.ChunkChoice{{FinishReason: llm.FinishStop}}},
		{ID: "chatcmpl-1", Model: "gpt-4o-mini", Usage: &llm.Usage{PromptTokens: 9, CompletionTokens: 2, TotalTokens: 11}},
	}
}

func toolStream() []*llm.Chunk {
	d := func(d llm.Delta) *llm.Chunk {
		return &llm.Chunk{ID: "x", Model: "m", Choices: []llm.ChunkChoice{{Delta: d}}}
	}
	return []*llm.Chunk{
		d(llm.Delta{Role: llm.RoleAssistant, Content: "Checking."}),
		d(llm.Delta{ToolCalls: []llm.ToolCallDelta{{Index: 0, ID: "call_a", Type: "function", Name: "get_weather"}}}),
		d(llm.Delta{ToolCalls: []llm.ToolCallDelta{{Index: 0, Arguments: `{"city":`}}}),
		d(llm.Delta{ToolCalls: []llm.ToolCallDelta{{Index: 0, Arguments: `"Paris"}`}}}),
		d(llm.Delta{ToolCalls: []llm.ToolCallDelta{{Index: 1, ID: "call_b", Type: "function", Name: "get_time", Arguments: `{}`}}}),
		{ID: "x", Model: "m", Choices: []llm.ChunkChoice{{FinishReason: llm.FinishToolCalls}}},
		{ID: "x", Model: "m", Usage: &llm.Usage{PromptTokens: 50, CompletionTokens: 20, TotalTokens: 70}},
	}
}

func encodeStream(chunks []*llm.Chunk) []byte {
	enc := StreamEncoder{RequestID: "req_abc", Model: "auto"}
	var out []byte
	for _, c := range chunks {
		out = enc.Chunk(out, c)
	}
	return enc.End(out, nil)
}

func TestStreamEncoderBytes(t *testing.T) {
	got := string(encodeStream(textStream()))
	want := "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_abc\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"gpt-4o-mini\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"stop_details\":null,\"usage\":{\"input_tokens\":0,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":0},\"output_tokens\":0,\"output_tokens_details\":{\"thinking_tokens\":0},\"server_tool_use\":null,\"service_tier\":\"standard\",\"inference_geo\":\"not_available\",\"speed\":\"standard\"},\"container\":null,\"diagnostics\":null}}\n\n" +
		"event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" +
		"event: ping\ndata: {\"type\": \"ping\"}\n\n" +
		"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n" +
		"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" world\"}}\n\n" +
		"event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
		"event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"stop_details\":null,\"container\":null},\"usage\":{\"input_tokens\":9,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":2,\"output_tokens_details\":{\"thinking_tokens\":0},\"server_tool_use\":null}}\n\n" +
		"event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// The events the encoder writes, read by the outbound stream decoder (the
// one the router reads api.anthropic.com with), give back the answer the
// chunks held: content, tool calls, finish reason and usage.
func TestStreamEncoderRoundTrip(t *testing.T) {
	for name, chunks := range map[string][]*llm.Chunk{"text": textStream(), "tools": toolStream()} {
		t.Run(name, func(t *testing.T) {
			var want llm.Accumulator
			for _, c := range chunks {
				want.Add(c)
			}
			d := NewStreamDecoder(bytes.NewReader(encodeStream(chunks)), 0)
			var got llm.Accumulator
			for {
				c, err := d.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				got.Add(c)
			}
			w, g := want.Response(), got.Response()
			if w.Usage != nil { // message_start says the standard tier, which reads back as default, no inference_geo, and the standard speed
				w.Usage.ServiceTier, w.Usage.InferenceGeo, w.Usage.Speed = llm.TierDefault, "not_available", SpeedStandard
			}
			if !reflect.DeepEqual(w.Choices, g.Choices) || !reflect.DeepEqual(w.Usage, g.Usage) {
				t.Errorf("got %+v usage %+v\nwant %+v usage %+v", g.Choices, g.Usage, w.Choices, w.Usage)
			}
		})
	}
}

func TestStreamEncoderError(t *testing.T) {
	enc := StreamEncoder{RequestID: "req_1", Model: "m"}
	out := enc.Chunk(nil, textStream()[1])
	out = enc.Error(out, llm.Errorf(llm.KindUpstream, "upstream cut the stream"))
	out = enc.End(out, nil) // ignored after an error
	d := NewStreamDecoder(bytes.NewReader(out), 0)
	var err error
	for err == nil {
		_, err = d.Next()
	}
	if e := llm.AsError(err); e.Kind != llm.KindUpstream || !bytes.HasSuffix(out, []byte("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"upstream cut the stream\"}}\n\n")) {
		t.Errorf("err %v, stream %s", err, out)
	}
}

func TestStopSequenceBothWays(t *testing.T) {
	resp := &llm.Response{Model: "m", Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "x"), FinishReason: llm.FinishStop, StopSequence: "END"}}}
	if got := string(AppendResponse(nil, resp, "msg_1")); !bytes.Contains([]byte(got), []byte(`"stop_reason":"stop_sequence","stop_sequence":"END"`)) {
		t.Errorf("complete: %s", got)
	}
	chunks := textStream()
	chunks[3].Choices[0].Stop = &llm.FinishDetails{StopSequence: "END"}
	out := encodeStream(chunks)
	if !bytes.Contains(out, []byte(`"delta":{"stop_reason":"stop_sequence","stop_sequence":"END","stop_details":null,"container":null}`)) {
		t.Errorf("stream: %s", out)
	}
	// Read back by the outbound decoder, as from api.anthropic.com.
	d := NewStreamDecoder(bytes.NewReader(out), 0)
	var acc llm.Accumulator
	for {
		c, err := d.Next()
		if err != nil {
			break
		}
		acc.Add(c)
	}
	if ch := acc.Response().Choices[0]; ch.FinishReason != llm.FinishStop || ch.StopSequence != "END" {
		t.Errorf("read back %+v", ch)
	}
}

// A Claude upstream counts the prompt in its own message_start: the
// encoder's message_start repeats that count (cache reads and writes
// apart, as the API reports them), not the router's estimate.
func TestStreamEncoderStartUsageFromUpstream(t *testing.T) {
	chunks := textStream()
	chunks[0].UsageSoFar = &llm.Usage{PromptTokens: 120, CachedPromptTokens: 100, CacheWriteTokens: 10, TotalTokens: 120}
	enc := &StreamEncoder{RequestID: "abc", Model: "claude-x", InputTokens: 999}
	out := string(enc.Chunk(nil, chunks[0]))
	if want := `"usage":{"input_tokens":10,"cache_creation_input_tokens":10,"cache_read_input_tokens":100,`; !strings.Contains(out, want) {
		t.Errorf("message_start %s\nwant usage %s", out, want)
	}
	chunks[0].UsageSoFar = nil
	enc = &StreamEncoder{RequestID: "abc", Model: "gpt-x", InputTokens: 42}
	if out := string(enc.Chunk(nil, chunks[0])); !strings.Contains(out, `"usage":{"input_tokens":42,`) {
		t.Errorf("message_start without the upstream's count: %s", out)
	}
}
