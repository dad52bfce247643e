package openai

import (
	"context"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/llm/llmtest"
)

// toolChunk is a chunk of choice 0 whose delta holds the tool call
// fragments calls (JSON objects, comma-separated).
func toolChunk(calls string) string {
	return `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[` + calls + `]},"finish_reason":null}]}` + "\n\n"
}

// TestStreamPlacesToolCallsByID proves each fragment reaches its own call
// whatever index the host wrote: OpenAI's numbering is kept, and hosts
// that omit the index or reuse one (tool_slots.go) give as many calls as
// they began, each with its own arguments.
func TestStreamPlacesToolCallsByID(t *testing.T) {
	const fin = `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}` + "\n\ndata: [DONE]\n\n"
	head := func(index, id, name string) string {
		return `{` + index + `"id":"` + id + `","type":"function","function":{"name":"` + name + `","arguments":""}}`
	}
	args := func(index, a string) string { return `{` + index + `"function":{"arguments":"` + a + `"}}` }
	tests := []struct {
		name string
		body string
	}{
		{"OpenAI's numbering", toolChunk(head(`"index":0,`, "call_a", "f")) + toolChunk(args(`"index":0,`, `{\"x\":1}`)) +
			toolChunk(head(`"index":1,`, "call_b", "g")) + toolChunk(args(`"index":1,`, `{\"y\":2}`))},
		{"every call at index 0 (Ollama, Google's compatibility endpoint)", toolChunk(head(`"index":0,`, "call_a", "f")) + toolChunk(args(`"index":0,`, `{\"x\":1}`)) +
			toolChunk(head(`"index":0,`, "call_b", "g")) + toolChunk(args(`"index":0,`, `{\"y\":2}`))},
		{"no index", toolChunk(head(``, "call_a", "f")) + toolChunk(args(``, `{\"x\":1}`)) +
			toolChunk(head(``, "call_b", "g")) + toolChunk(args(``, `{\"y\":2}`))},
		{"null index", toolChunk(head(`"index":null,`, "call_a", "f")+","+head(`"index":null,`, "call_b", "g")) +
			toolChunk(args(`"index":null,`, `{\"x\":1}`)+","+args(`"index":null,`, `{\"y\":2}`))},
		{"side by side without an index", toolChunk(head(``, "call_a", "f")+","+head(``, "call_b", "g")) +
			toolChunk(args(``, `{\"x\":1}`)+","+args(``, `{\"y\":2}`))},
		{"a second call begun at the first one's index (DeepSeek behind some hosts)", toolChunk(head(`"index":0,`, "call_a", "f")) + toolChunk(args(`"index":0,`, `{\"x\":1}`)) +
			toolChunk(head(`"index":0,`, "call_b", "g")) + toolChunk(args(`"index":1,`, `{\"y\":2}`))},
		{"a gap in the numbering", toolChunk(head(`"index":0,`, "call_a", "f")) + toolChunk(args(`"index":0,`, `{\"x\":1}`)) +
			toolChunk(head(`"index":2,`, "call_b", "g")) + toolChunk(args(`"index":2,`, `{\"y\":2}`))},
		{"an id on every fragment", toolChunk(head(`"index":0,`, "call_a", "f")) + toolChunk(`{"index":0,"id":"call_a","function":{"arguments":"{\"x\":1}"}}`) +
			toolChunk(head(`"index":0,`, "call_b", "g")) + toolChunk(`{"index":0,"id":"call_b","function":{"arguments":"{\"y\":2}"}}`)},
		{"the first call's id late", toolChunk(`{"index":0,"type":"function","function":{"name":"f","arguments":""}}`) +
			toolChunk(`{"index":0,"id":"call_a","function":{"arguments":"{\"x\":1}"}}`) +
			toolChunk(head(`"index":1,`, "call_b", "g")) + toolChunk(args(`"index":1,`, `{\"y\":2}`))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{header: map[string]string{"Content-Type": "text/event-stream"}, body: tt.body + fin}
			r, err := llmtest.Complete(context.Background(), serve(t, rec, KindOpenAI, "/v1", testKey), userRequest("m", "hi"))
			if err != nil {
				t.Fatal(err)
			}
			calls := r.Choices[0].Message.ToolCalls()
			var got []string
			for _, c := range calls {
				got = append(got, c.ID+" "+c.Name+" "+c.Arguments)
			}
			if want := `call_a f {"x":1}|call_b g {"y":2}`; strings.Join(got, "|") != want {
				t.Errorf("calls\n%s\nwant\n%s", strings.Join(got, "|"), want)
			}
		})
	}
}

// A choice that made calls and ends "stop" (OpenAI's end of a call
// forced by name; hosts before their fixes) ends "tool_calls", whether
// the stop comes in a chunk of its own or with the call; one without
// calls keeps its "stop".
func TestStreamCallsEndToolCalls(t *testing.T) {
	const call = `{"index":0,"id":"call_a","type":"function","function":{"name":"f","arguments":"{}"}}`
	stop := func(delta string) string {
		return `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":` + delta + `,"finish_reason":"stop"}]}` + "\n\ndata: [DONE]\n\n"
	}
	tests := []struct {
		name, body string
		want       llm.FinishReason
	}{
		{"stop after the call", toolChunk(call) + stop(`{}`), llm.FinishToolCalls},
		{"stop with the call", stop(`{"tool_calls":[` + call + `]}`), llm.FinishToolCalls},
		{"stop without calls", stop(`{"content":"hi"}`), llm.FinishStop},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{header: map[string]string{"Content-Type": "text/event-stream"}, body: tt.body}
			r, err := llmtest.Complete(context.Background(), serve(t, rec, KindOpenAI, "/v1", testKey), userRequest("m", "hi"))
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Choices[0].FinishReason; got != tt.want {
				t.Errorf("finish %q, want %q", got, tt.want)
			}
		})
	}
}
