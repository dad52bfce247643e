package openai_test

import (
	"context"
	"io"
	"testing"

	"switchyard/llm"
)

// A chunk that holds more than OpenAI puts in one — the last text or a
// whole call with the finish, several calls, text beside a call, as
// Gemini streams them — is written as OpenAI's pieces: the text, each
// call alone, the finish with an empty delta (stream_split.go says why).
func TestStreamSplitsChunksIntoOpenAIPieces(t *testing.T) {
	call := func(i int, name string) llm.ToolCallDelta {
		return llm.ToolCallDelta{Index: i, ID: "call_" + name, Type: "function", Name: name, Arguments: `{"city":"Lima"}`}
	}
	lp := &llm.Logprobs{Content: []llm.TokenLogprob{{Token: "lo", Logprob: -0.5}}}
	tests := []struct {
		name   string
		body   string
		chunks []*llm.Chunk
		want   []string // each event, without the id, created and model
	}{
		{name: "text and finish", body: streamBody,
			chunks: []*llm.Chunk{
				{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Role: llm.RoleAssistant, Content: "Hel"}}}},
				{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "lo"}, Logprobs: lp, FinishReason: llm.FinishStop}}},
			},
			want: []string{
				`"choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"logprobs":null,"finish_reason":null}]`,
				`"choices":[{"index":0,"delta":{"content":"lo"},"logprobs":{"content":[{"token":"lo","logprob":-0.5,"bytes":null,"top_logprobs":[]}],"refusal":null},"finish_reason":null}]`,
				`"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]`,
			}},
		{name: "two calls with the finish, usage kept on the last", body: streamUsageBody,
			chunks: []*llm.Chunk{{Choices: []llm.ChunkChoice{{
				Delta:        llm.Delta{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCallDelta{call(0, "a"), call(1, "b")}},
				FinishReason: llm.FinishToolCalls,
			}}, Usage: usage(3, 2)}},
			want: []string{
				`"choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"a","arguments":"{\"city\":\"Lima\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null`,
				`"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"b","arguments":"{\"city\":\"Lima\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null`,
				`"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5`,
			}},
		{name: "text beside a call", body: streamBody,
			chunks: []*llm.Chunk{{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "Sure.", ToolCalls: []llm.ToolCallDelta{call(0, "a")}}}}}},
			want: []string{
				`"choices":[{"index":0,"delta":{"content":"Sure."},"logprobs":null,"finish_reason":null}]`,
				`"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"a","arguments":"{\"city\":\"Lima\"}"}}]},"logprobs":null,"finish_reason":null}]`,
			}},
		{name: "two choices finishing together", body: streamBody,
			chunks: []*llm.Chunk{{Choices: []llm.ChunkChoice{
				{Index: 0, Delta: llm.Delta{Content: "x"}, FinishReason: llm.FinishStop},
				{Index: 1, Delta: llm.Delta{Content: "y"}, FinishReason: llm.FinishLength},
			}}},
			want: []string{
				`"choices":[{"index":0,"delta":{"content":"x"},"logprobs":null,"finish_reason":null}]`,
				`"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]`,
				`"choices":[{"index":1,"delta":{"content":"y"},"logprobs":null,"finish_reason":null}]`,
				`"choices":[{"index":1,"delta":{},"logprobs":null,"finish_reason":"length"}]`,
			}},
		{name: "OpenAI's own pieces stay as they are", body: streamBody,
			chunks: []*llm.Chunk{
				{Choices: []llm.ChunkChoice{{Index: 0, Delta: llm.Delta{Content: "x"}}, {Index: 1, Delta: llm.Delta{Content: "y"}}}},
				{Choices: []llm.ChunkChoice{{Delta: llm.Delta{ToolCalls: []llm.ToolCallDelta{call(0, "a")}}}}},
				{Choices: []llm.ChunkChoice{{FinishReason: llm.FinishStop}}},
			},
			want: []string{
				`"choices":[{"index":0,"delta":{"content":"x"},"logprobs":null,"finish_reason":null},{"index":1,"delta":{"content":"y"},"logprobs":null,"finish_reason":null}]`,
				`"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"a","arguments":"{\"city\":\"Lima\"}"}}]},"logprobs":null,"finish_reason":null}]`,
				`"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]`,
			}},
		{name: "the role alone, then a call: the role goes on the call", body: streamBody,
			chunks: []*llm.Chunk{
				{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Role: llm.RoleAssistant}}}},
				{Choices: []llm.ChunkChoice{{Delta: llm.Delta{ToolCalls: []llm.ToolCallDelta{call(0, "a")}}}}},
				{Choices: []llm.ChunkChoice{{FinishReason: llm.FinishToolCalls}}},
			},
			want: []string{
				`"choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"a","arguments":"{\"city\":\"Lima\"}"}}]},"logprobs":null,"finish_reason":null}]`,
				`"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}]`,
			}},
		{name: "the role alone, then text: written as it came", body: streamBody,
			chunks: []*llm.Chunk{
				{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Role: llm.RoleAssistant}}}},
				{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "x"}, FinishReason: llm.FinishStop}}},
			},
			want: []string{
				`"choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]`,
				`"choices":[{"index":0,"delta":{"content":"x"},"logprobs":null,"finish_reason":null}]`,
				`"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]`,
			}},
		{name: "the role alone, then the end", body: streamUsageBody,
			chunks: []*llm.Chunk{
				{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Role: llm.RoleAssistant}}}},
				{Usage: usage(3, 0)},
			},
			want: []string{
				`"choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null`,
				`"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":0,"total_tokens":3`,
			}},
	}
	const head = `{"id":"","object":"chat.completion.chunk","created":0,"model":"",`
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &fakeBackend{StreamFunc: func(context.Context, *llm.Request) (llm.Stream, error) {
				return scripted(tt.chunks, io.EOF), nil
			}}
			w := do(mux(b, 0), "POST", "/v1/chat/completions", tt.body, nil)
			evs := events(t, w.Body.String())
			if len(evs) != len(tt.want)+1 || evs[len(evs)-1] != "[DONE]" {
				t.Fatalf("events %q, want %d chunks and [DONE]", evs, len(tt.want))
			}
			for i, want := range tt.want {
				if got := evs[i]; len(got) < len(head)+len(want) || got[:len(head)+len(want)] != head+want {
					t.Errorf("event %d:\n got %s\nwant %s%s", i, got, head, want)
				}
			}
		})
	}
}
