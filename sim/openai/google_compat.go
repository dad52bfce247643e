package openai

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/openai"
)

// Google's OpenAI compatibility endpoint (POST
// /v1beta/openai/chat/completions, the path of
// generativelanguage.googleapis.com's) serves Gemini models in OpenAI's
// wire format. A Gemini 3 model (wire.GeminiSignsCalls) signs the first
// tool call of each answer with its thought signature, as
// extra_content.google.thought_signature (complete, and on the call's
// first delta), and refuses a request whose current turn (after the last
// user message) holds an assistant message whose first call lacks one,
// with Google's 400: a JSON array around its error object (peers'
// captures: manthanabc/paws#103, niki914/zafiro#100; Google's
// ai.google.dev/gemini-api/docs/thought-signatures). Google's
// "skip_thought_signature_validator" passes the check. Its stream holds
// each tool call whole in a chunk of its own, all at index 0
// (wholeCallDeltas).
//
// OpenAI's own API refuses a member it does not know on a message or a
// tool call ("Additional properties are not allowed ('extra_content' was
// unexpected) - 'messages.1.tool_calls.0'"; the shape peers report for
// other members: openai/openai-node#1161, transitive-bullshit/agentic#531),
// and so does the simulator on every other route: a test then proves the
// router sends the member only where it is taken.

// ThoughtSignature is the signature the simulator attaches to a Gemini 3
// model's first tool call: opaque base64 as Google's, but a function of
// the call, so that a test can tell the model's own came back on it.
func ThoughtSignature(name, args string) string {
	m := hmac.New(sha256.New, []byte("switchyard-sim-openai-compat-thought-signature"))
	m.Write([]byte(name))
	m.Write([]byte{0})
	m.Write([]byte(args))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// signsCalls reports whether the answer to req on c signs its calls.
func signsCalls(c *call, req *llm.Request) bool {
	return c.googleCompat && wire.GeminiSignsCalls(req.Model)
}

// signMessage puts the signature on m's first call.
func signMessage(m *llm.Message) {
	calls := m.ToolCalls()
	if len(calls) == 0 {
		return
	}
	calls[0].Signature = ThoughtSignature(calls[0].Name, calls[0].Arguments)
}

// signDeltas puts the signature of ans's first call on the delta that
// starts it.
func signDeltas(deltas []llm.Delta, calls []sim.ToolCall) {
	if len(calls) == 0 {
		return
	}
	for i := range deltas {
		for j := range deltas[i].ToolCalls {
			if d := &deltas[i].ToolCalls[j]; d.ID == calls[0].ID {
				d.Signature = ThoughtSignature(calls[0].Name, calls[0].Arguments)
				return
			}
		}
	}
}

// wholeCallDeltas is ans's tool calls as Google's compatibility endpoint
// streams them: each call whole (id, type, name and all its arguments)
// in a delta of its own, and every one of them at "index": 0, parallel
// calls included — the shape that makes an index-keyed merge glue them
// into one call (NousResearch/hermes-agent#62937: "Gemini (OpenAI-compat)
// parallel tool calls are concatenated into one tool_calls entry").
func wholeCallDeltas(ans sim.Answer) []llm.Delta {
	out := make([]llm.Delta, len(ans.ToolCalls))
	for i, tc := range ans.ToolCalls {
		out[i].ToolCalls = []llm.ToolCallDelta{{ID: tc.ID, Type: callType(tc), Name: tc.Name, Arguments: tc.Arguments}}
	}
	out[0].Role = llm.RoleAssistant
	return out
}

// refuseUnsigned answers Google's 400 for a current-turn call sent
// without its thought signature; it reports whether it did.
func refuseUnsigned(c *call, req *llm.Request) bool {
	name, position := unsignedCall(req.Messages)
	if name == "" {
		return false
	}
	msg := fmt.Sprintf("Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, "+
		"and missing thought_signature may lead to degraded model performance. Additional data, function call `default_api:%s` , position %d. "+
		"Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.", name, position)
	body, _ := json.MarshalIndent([]map[string]any{{"error": map[string]any{"code": http.StatusBadRequest, "message": msg, "status": "INVALID_ARGUMENT"}}}, "", "  ")
	c.writeJSON(http.StatusBadRequest, append(body, '\n'))
	return true
}

// unsignedCall returns the name of the first call of the current turn
// whose message's first call has no signature, and the position (from 1)
// of its message among the contents Gemini makes of msgs; "" for none.
func unsignedCall(msgs []llm.Message) (string, int) {
	return currentTurnCall(msgs, func(m *llm.Message) bool { return m.ToolCalls()[0].Signature == "" })
}

// currentTurnCall returns the name of the first call of the first message
// of the current turn (after the last user message) that has calls and
// for which missing reports what the turn's calls need is missing, and
// the position (from 1) of that message among the contents Gemini makes
// of msgs (system messages left out, consecutive messages of one role
// merged); "" for none.
func currentTurnCall(msgs []llm.Message, missing func(m *llm.Message) bool) (string, int) {
	last := -1
	for i := range msgs {
		if msgs[i].Role == llm.RoleUser {
			last = i
		}
	}
	position, prev := 0, ""
	for i := range msgs {
		role := geminiRole(msgs[i].Role)
		if role == "" {
			continue
		}
		if role != prev {
			position, prev = position+1, role
		}
		if calls := msgs[i].ToolCalls(); i > last && len(calls) > 0 && missing(&msgs[i]) {
			return calls[0].Name, position
		}
	}
	return "", 0
}

// geminiRole is the role of the content a message becomes: model for an
// assistant's, user for a user's or a tool result; "" for a system
// message (its instruction).
func geminiRole(r llm.Role) string {
	switch r {
	case llm.RoleAssistant:
		return "model"
	case llm.RoleUser, llm.RoleTool:
		return "user"
	}
	return ""
}

// refuseUnknownMembers answers OpenAI's 400 for a message that carries
// reasoning_details (OpenRouter's) or a tool call that carries
// extra_content (Google's), members its API does not know; it reports
// whether it did.
func refuseUnknownMembers(c *call, body []byte) bool {
	var r struct {
		Messages []struct {
			Details   json.RawMessage              `json:"reasoning_details"`
			ToolCalls []map[string]json.RawMessage `json:"tool_calls"`
		} `json:"messages"`
	}
	if json.Unmarshal(body, &r) != nil {
		return false
	}
	for i, m := range r.Messages {
		if m.Details != nil {
			c.fail(http.StatusBadRequest, apiError{
				Message: fmt.Sprintf("Additional properties are not allowed ('%s' was unexpected) - 'messages.%d'", keyReasoningDetails, i),
				Type:    "invalid_request_error",
			})
			return true
		}
		for j, tc := range m.ToolCalls {
			if _, ok := tc[keyExtraContent]; ok {
				c.fail(http.StatusBadRequest, apiError{
					Message: fmt.Sprintf("Additional properties are not allowed ('%s' was unexpected) - 'messages.%d.tool_calls.%d'", keyExtraContent, i, j),
					Type:    "invalid_request_error",
				})
				return true
			}
		}
	}
	return false
}

// keyExtraContent is the member of a tool call Google's endpoint writes
// its signature in.
const keyExtraContent = "extra_content"
