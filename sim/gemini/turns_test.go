package gemini

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/gemini"
)

// TestFunctionCallTurns: the simulator rejects function calling turns the
// real API rejects, in its error shape.
func TestFunctionCallTurns(t *testing.T) {
	h := New(catalog(), nil)
	fc := `{"role":"model","parts":[{"functionCall":{"name":"f","args":{}}}]}`
	fr := `{"role":"user","parts":[{"functionResponse":{"name":"f","response":{"v":1}}}]}`
	user := `{"role":"user","parts":[{"text":"hi"}]}`
	tests := []struct{ name, contents, msg string }{
		{"call first", fc + "," + fr, "function call turn comes immediately after a user turn"},
		{"call after model", user + `,{"role":"model","parts":[{"text":"x"}]},` + fc + "," + fr, "function call turn comes immediately after a user turn"},
		{"unanswered call", user + "," + fc + "," + user, "number of function response parts is equal to the number of function call parts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := call(t, h, http.MethodPost, "/v1beta/models/gemini-2.0-flash:generateContent", "AIzaGood", `{"contents":[`+tt.contents+`]}`)
			checkError(t, body, 400, wire.StatusInvalidArgument)
			if resp.StatusCode != 400 || !strings.Contains(string(body), tt.msg) {
				t.Errorf("status %d body %s, want %q", resp.StatusCode, body, tt.msg)
			}
		})
	}
	generate(t, h, "gemini-2.0-flash", `{"contents":[`+user+","+fc+","+fr+`]}`)
}

// TestTranslationAccepted: wire/gemini's translation of a conversation that
// opens with the assistant's tool call is accepted by the strict simulator.
func TestTranslationAccepted(t *testing.T) {
	h := New(catalog(), nil)
	callMsg := llm.Message{Role: llm.RoleAssistant, Extra: &llm.MessageExtra{ToolCalls: []llm.ToolCall{{ID: "call_1", Type: "function", Name: "f", Arguments: `{}`}}}}
	result := llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: "42"}}, Extra: &llm.MessageExtra{ToolCallID: "call_1"}}
	for name, msgs := range map[string][]llm.Message{
		"tool call first":      {callMsg, result, llm.TextMessage(llm.RoleUser, "and?")},
		"assistant text first": {llm.TextMessage(llm.RoleAssistant, "Welcome!"), llm.TextMessage(llm.RoleUser, "Hi")},
	} {
		t.Run(name, func(t *testing.T) {
			req, err := wire.FromLLM(&llm.Request{Model: "gemini-2.0-flash", Messages: msgs, Tools: []llm.Tool{{Type: "function", Name: "f"}}})
			if err != nil {
				t.Fatal(err)
			}
			body, _ := json.Marshal(req)
			generate(t, h, "gemini-2.0-flash", string(body))
		})
	}
}

// TestThoughtSignatures: a Gemini 3 model refuses a function call of the
// current turn replayed without a thought signature on its turn's first
// call, as the API does; an earlier turn's calls, and Gemini 2.5, need none.
func TestThoughtSignatures(t *testing.T) {
	h := New(sim.NewCatalog(sim.Profile{Model: "gemini-3-flash-preview", Reasoning: true}, sim.Profile{Model: "gemini-2.5-flash", Reasoning: true}), nil)
	user := `{"role":"user","parts":[{"text":"hi"}]}`
	calls := func(sig string) string {
		return `{"role":"model","parts":[{"functionCall":{"name":"f","args":{}}` + sig + `},{"functionCall":{"name":"g","args":{}}}]}`
	}
	answers := `{"role":"user","parts":[{"functionResponse":{"name":"f","response":{}}},{"functionResponse":{"name":"g","response":{}}}]}`
	const signed = `,"thoughtSignature":"` + wire.SkipThoughtSignature + `"`
	unsigned := user + "," + calls("") + "," + answers
	resp, body := call(t, h, http.MethodPost, "/v1beta/models/gemini-3-flash-preview:generateContent", "AIzaGood", `{"contents":[`+unsigned+`]}`)
	checkError(t, body, 400, wire.StatusInvalidArgument)
	if want := "Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call `default_api:f` , position 2."; resp.StatusCode != 400 || !strings.Contains(string(body), want) {
		t.Errorf("status %d body %s, want %q", resp.StatusCode, body, want)
	}
	generate(t, h, "gemini-3-flash-preview", `{"contents":[`+user+","+calls(signed)+","+answers+`]}`)
	generate(t, h, "gemini-3-flash-preview", `{"contents":[`+unsigned+","+user+`]}`) // a past turn
	generate(t, h, "gemini-2.5-flash", `{"contents":[`+unsigned+`]}`)
}
