package anthropic

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// The stop_reason follows the answer's tool calls, whatever the upstream
// said: tool_use for a "stop" with calls (OpenAI's answer when
// tool_choice names a function, Google's OpenAI-compatible stream),
// end_turn for a "tool_calls" without any; a length stop, a stop
// sequence and a paused turn keep theirs.
func TestAppendResponseToolStop(t *testing.T) {
	calls := []llm.ToolCall{{ID: "call_a", Type: "function", Name: "get_weather", Arguments: `{"city":"Paris"}`}}
	for _, tc := range []struct {
		name   string
		finish llm.FinishReason
		calls  bool
		seq    string
		paused bool
		want   string
	}{
		{"stop with calls", llm.FinishStop, true, "", false, StopToolUse},
		{"tool_calls with calls", llm.FinishToolCalls, true, "", false, StopToolUse},
		{"tool_calls without", llm.FinishToolCalls, false, "", false, StopEndTurn},
		{"stop without", llm.FinishStop, false, "", false, StopEndTurn},
		{"length with calls", llm.FinishLength, true, "", false, StopMaxTokens},
		{"stop sequence", llm.FinishStop, true, "END", false, StopStopSequence},
		{"paused", llm.FinishStop, true, "", true, "pause_turn"},
	} {
		m := llm.TextMessage(llm.RoleAssistant, "Checking.")
		if tc.calls {
			m.SetToolCalls(calls)
		}
		resp := &llm.Response{Model: "gpt-4o-mini", Choices: []llm.Choice{{Message: m, FinishReason: tc.finish, StopSequence: tc.seq, Paused: tc.paused}}}
		var got MessagesResponse
		if err := json.Unmarshal(AppendResponse(nil, resp, "msg_1"), &got); err != nil || got.StopReason == nil || *got.StopReason != tc.want {
			t.Errorf("%s: stop_reason %v (%v), want %s", tc.name, got.StopReason, err, tc.want)
		}
	}
}

// The stream's message_delta says the same: tool_use for a stream that
// streamed tool calls and ended on "stop", end_turn for one that ended on
// "tool_calls" and streamed none.
func TestStreamEncoderToolStop(t *testing.T) {
	retag := func(chunks []*llm.Chunk, finish llm.FinishReason, keepCalls bool) []*llm.Chunk {
		var out []*llm.Chunk
		for _, c := range chunks {
			c := *c
			if len(c.Choices) > 0 {
				ch := c.Choices[0]
				if ch.FinishReason != "" {
					ch.FinishReason = finish
				}
				if !keepCalls {
					ch.Delta.ToolCalls = nil
				}
				c.Choices = []llm.ChunkChoice{ch}
			}
			out = append(out, &c)
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		finish llm.FinishReason
		calls  bool
		want   string
	}{
		{"stop with calls", llm.FinishStop, true, `"stop_reason":"tool_use"`},
		{"tool_calls without", llm.FinishToolCalls, false, `"stop_reason":"end_turn"`},
		{"tool_calls with calls", llm.FinishToolCalls, true, `"stop_reason":"tool_use"`},
	} {
		got := string(encodeStream(retag(toolStream(), tc.finish, tc.calls)))
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s: %s", tc.name, got[strings.LastIndex(got, "message_delta"):])
		}
	}
}
