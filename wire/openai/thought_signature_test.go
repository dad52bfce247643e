package openai

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// googleCompatResponse is a Gemini 3 answer from Google's OpenAI
// compatibility endpoint that calls two tools, in the shape Google's
// thought signatures guide shows ("OpenAI compatibility"): the first call
// carries the step's signature in extra_content.
const googleCompatResponse = `{"choices":[{"finish_reason":"tool_calls","index":0,"message":{"role":"assistant","tool_calls":[` +
	`{"extra_content":{"google":{"thought_signature":"CiQBjz1rX4sig=="}},"function":{"arguments":"{\"city\":\"Paris\"}","name":"get_weather"},"id":"function-call-1","type":"function"},` +
	`{"function":{"arguments":"{\"city\":\"London\"}","name":"get_weather"},"id":"function-call-2","type":"function"}]}}],` +
	`"created":1764000000,"id":"abc","model":"gemini-3-pro-preview","object":"chat.completion","usage":{"completion_tokens":20,"prompt_tokens":40,"total_tokens":60}}`

// googleCompatChunk is the streamed form: the call's first delta carries
// the signature.
const googleCompatChunk = `{"choices":[{"delta":{"role":"assistant","tool_calls":[{"extra_content":{"google":{"thought_signature":"CiQBjz1rX4sig=="}},` +
	`"function":{"arguments":"{\"city\":\"Paris\"}","name":"get_weather"},"id":"function-call-1","index":0,"type":"function"}]},"index":0}],` +
	`"created":1764000000,"id":"abc","model":"gemini-3-pro-preview","object":"chat.completion.chunk"}`

func TestDecodeThoughtSignature(t *testing.T) {
	r, err := DecodeChatResponse([]byte(googleCompatResponse))
	if err != nil {
		t.Fatal(err)
	}
	calls := r.Choices[0].Message.ToolCalls()
	if len(calls) != 2 || calls[0].Signature != "CiQBjz1rX4sig==" || calls[1].Signature != "" || calls[0].Name != "get_weather" {
		t.Fatalf("calls %+v", calls)
	}
	c, err := DecodeChunk([]byte(googleCompatChunk))
	if err != nil {
		t.Fatal(err)
	}
	if d := c.Choices[0].Delta.ToolCalls; len(d) != 1 || d[0].Signature != "CiQBjz1rX4sig==" || d[0].Arguments != `{"city":"Paris"}` {
		t.Fatalf("deltas %+v", d)
	}
	for _, extra := range []string{`null`, `5`, `{"google":null}`, `{"google":{"thought_signature":7}}`, `{"other":{"x":1},"google":{"other":"y"}}`} {
		body := strings.Replace(googleCompatResponse, `{"google":{"thought_signature":"CiQBjz1rX4sig=="}}`, extra, 1)
		r, err := DecodeChatResponse([]byte(body))
		if err != nil || r.Choices[0].Message.ToolCalls()[0].Signature != "" {
			t.Errorf("extra_content %s: %v %+v", extra, err, r)
		}
	}
}

// A client written for Google's endpoint sends the signature back on its
// assistant message's tool calls.
func TestDecodeClientThoughtSignature(t *testing.T) {
	req, err := DecodeChatRequest([]byte(`{"model":"m","messages":[{"role":"user","content":"Weather?"},` +
		`{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{}"},` +
		`"extra_content":{"google":{"thought_signature":"sig-1"}}}]},{"role":"tool","tool_call_id":"c1","content":"4C"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if calls := req.Messages[1].ToolCalls(); len(calls) != 1 || calls[0].Signature != "sig-1" {
		t.Fatalf("calls %+v", calls)
	}
}

// The signature reaches a client on the call, complete and streamed, and
// an upstream only when asked: with the sentinel on a Gemini 3 model's
// unsigned first call of each message.
func TestEncodeThoughtSignature(t *testing.T) {
	r, _ := DecodeChatResponse([]byte(googleCompatResponse))
	var back struct {
		Choices []struct {
			Message struct {
				ToolCalls []struct {
					ExtraContent *struct {
						Google struct {
							ThoughtSignature string `json:"thought_signature"`
						} `json:"google"`
					} `json:"extra_content"`
				} `json:"tool_calls"`
			} `json:"message"`
		} `json:"choices"`
	}
	if err := json.Unmarshal(AppendChatResponse(nil, r), &back); err != nil {
		t.Fatal(err)
	}
	if tcs := back.Choices[0].Message.ToolCalls; tcs[0].ExtraContent == nil || tcs[0].ExtraContent.Google.ThoughtSignature != "CiQBjz1rX4sig==" || tcs[1].ExtraContent != nil {
		t.Errorf("response %s", AppendChatResponse(nil, r))
	}
	c, _ := DecodeChunk([]byte(googleCompatChunk))
	if got := string(AppendChunk(nil, c)); !strings.Contains(got, `"arguments":"{\"city\":\"Paris\"}"},"extra_content":{"google":{"thought_signature":"CiQBjz1rX4sig=="}}}`) {
		t.Errorf("chunk %s", got)
	}

	calls := []llm.ToolCall{{ID: "c1", Name: "f", Arguments: "{}", Signature: "own"}, {ID: "c2", Name: "f", Arguments: "{}"}}
	foreign := []llm.ToolCall{{ID: "c3", Name: "f", Arguments: "{}"}, {ID: "c4", Name: "f", Arguments: "{}"}}
	req := &llm.Request{Model: "gemini-3-flash-preview", Messages: []llm.Message{
		{Role: llm.RoleUser, Content: []llm.Part{{Type: llm.PartText, Text: "q"}}}, assistantCalls(calls), toolResult("c1"), toolResult("c2"), assistantCalls(foreign), toolResult("c3"), toolResult("c4"),
	}}
	for _, tc := range []struct {
		model string
		o     ChatOptions
		want  []string // the signature written on each call, in order
	}{
		{"gemini-3-flash-preview", ChatOptions{}, nil},
		{"gpt-5", ChatOptions{}, nil},
		{"gemini-3-flash-preview", ChatOptions{ThoughtSignatures: true}, []string{"own", llm.SkipThoughtSignature}},
		{"google/gemini-3.1-pro-preview", ChatOptions{ThoughtSignatures: true}, []string{"own", llm.SkipThoughtSignature}},
		{"gemini-2.5-flash", ChatOptions{ThoughtSignatures: true}, []string{"own"}},
	} {
		r := *req
		r.Model = tc.model
		body, err := EncodeChatRequestWith(&r, tc.o)
		if err != nil {
			t.Fatal(err)
		}
		got := sentSignatures(t, body)
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s %+v: signatures %q, want %q", tc.model, tc.o, got, tc.want)
		}
	}
}

func TestGeminiSignsCalls(t *testing.T) {
	for m, want := range map[string]bool{
		"gemini-3-pro-preview": true, "gemini-3.1-flash-lite": true, "models/gemini-3-flash": true, "google/gemini-3-pro-preview": true,
		"Gemini-4-pro": true, "gemini-10-x": true, "gemini-2.5-pro": false, "gemini-flash-latest": false, "gemini-": false, "gemma-3-27b": false, "gpt-5": false,
	} {
		if got := GeminiSignsCalls(m); got != want {
			t.Errorf("GeminiSignsCalls(%q) = %v, want %v", m, got, want)
		}
	}
}

func assistantCalls(calls []llm.ToolCall) llm.Message {
	m := llm.Message{Role: llm.RoleAssistant}
	m.SetToolCalls(calls)
	return m
}

func toolResult(id string) llm.Message {
	m := llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: "ok"}}}
	m.SetToolCallID(id)
	return m
}

// sentSignatures returns the thought signatures body's tool calls carry,
// in order; calls without one are left out.
func sentSignatures(t *testing.T, body []byte) []string {
	t.Helper()
	var r struct {
		Messages []struct {
			ToolCalls []struct {
				ExtraContent *struct {
					Google struct {
						ThoughtSignature string `json:"thought_signature"`
					} `json:"google"`
				} `json:"extra_content"`
			} `json:"tool_calls"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	var out []string
	for _, m := range r.Messages {
		for _, tc := range m.ToolCalls {
			if tc.ExtraContent != nil {
				out = append(out, tc.ExtraContent.Google.ThoughtSignature)
			}
		}
	}
	return out
}

// A call's signature goes only to the model that made it (whatever its
// host's prefix): another Gemini 3 model is sent the skip value in its
// place, another Gemini 2.5 none. A signature of unknown origin (a
// client's) goes as it is.
func TestEncodeSignatureBoundToModel(t *testing.T) {
	calls := []llm.ToolCall{{ID: "c1", Name: "f", Arguments: "{}", Signature: "own", SignatureModel: "gemini-2.5-pro"}}
	client := []llm.ToolCall{{ID: "c2", Name: "f", Arguments: "{}", Signature: "client's"}}
	msgs := []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{{Type: llm.PartText, Text: "q"}}}, assistantCalls(calls), toolResult("c1"), assistantCalls(client), toolResult("c2")}
	for model, want := range map[string]string{
		"gemini-2.5-pro":              "own,client's",
		"google/Gemini-2.5-pro":       "own,client's",
		"gemini-3-pro-preview":        llm.SkipThoughtSignature + ",client's",
		"gemini-2.5-flash":            "client's",
		"vertex/gemini-3-pro-preview": llm.SkipThoughtSignature + ",client's",
	} {
		body, err := EncodeChatRequestWith(&llm.Request{Model: model, Messages: msgs}, ChatOptions{ThoughtSignatures: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(sentSignatures(t, body), ","); got != want {
			t.Errorf("%s: signatures %q, want %q", model, got, want)
		}
	}
}

// The router marks a signature it writes to a client with the model that
// made it (extra_content.switchyard.signature_model, beside Google's
// member), and reads the mark back on the client's tool call, so that
// the signature stays bound to its model as the router's own are; an
// upstream is never sent the mark.
func TestSignatureModelMarkRoundTrip(t *testing.T) {
	const mark = `"extra_content":{"google":{"thought_signature":"own"},"switchyard":{"signature_model":"gemini-3-pro-preview"}}`
	calls := []llm.ToolCall{{ID: "c1", Name: "f", Arguments: "{}", Signature: "own", SignatureModel: "gemini-3-pro-preview"}}
	resp := &llm.Response{Choices: []llm.Choice{{Message: assistantCalls(calls)}}}
	if got := string(AppendChatResponse(nil, resp)); !strings.Contains(got, mark) {
		t.Errorf("response %s", got)
	}
	chunk := &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{ToolCalls: []llm.ToolCallDelta{{ID: "c1", Name: "f", Arguments: "{}", Signature: "own", SignatureModel: "gemini-3-pro-preview"}}}}}}
	if got := string(AppendChunk(nil, chunk)); !strings.Contains(got, mark) {
		t.Errorf("chunk %s", got)
	}
	req, err := DecodeChatRequest([]byte(`{"model":"m","messages":[{"role":"user","content":"Weather?"},` +
		`{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"},` + mark + `}]},` +
		`{"role":"tool","tool_call_id":"c1","content":"4C"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	got := req.Messages[1].ToolCalls()
	if len(got) != 1 || got[0].Signature != "own" || got[0].SignatureModel != "gemini-3-pro-preview" {
		t.Fatalf("decoded calls %+v", got)
	}
	for model, want := range map[string]string{"gemini-3-pro-preview": "own", "gemini-3-flash-preview": llm.SkipThoughtSignature, "gemini-2.5-flash": ""} {
		r := *req
		r.Model = model
		body, err := EncodeChatRequestWith(&r, ChatOptions{ThoughtSignatures: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(sentSignatures(t, body), ","); got != want || strings.Contains(string(body), "switchyard") {
			t.Errorf("%s: signatures %q, want %q; body %s", model, got, want, body)
		}
	}
}

// A signature of unknown origin (a client's, unmarked) goes only to
// Gemini models, never to another model of a host that takes signatures
// (Gemma on Google's endpoint).
func TestUnboundSignatureOnlyToGemini(t *testing.T) {
	client := []llm.ToolCall{{ID: "c2", Name: "f", Arguments: "{}", Signature: "client's"}}
	msgs := []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{{Type: llm.PartText, Text: "q"}}}, assistantCalls(client), toolResult("c2")}
	for model, want := range map[string]string{"gemini-2.5-flash": "client's", "models/gemini-3-pro-preview": "client's", "gemma-3-27b-it": ""} {
		body, err := EncodeChatRequestWith(&llm.Request{Model: model, Messages: msgs}, ChatOptions{ThoughtSignatures: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(sentSignatures(t, body), ","); got != want {
			t.Errorf("%s: signatures %q, want %q", model, got, want)
		}
	}
}
