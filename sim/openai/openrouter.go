package openai

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/openai"
)

// OpenRouter's API (POST /api/v1/chat/completions, the path of
// openrouter.ai's) serves many vendors' models in OpenAI's wire format. A
// Gemini 3 model there ("google/gemini-3…") writes its reasoning as
// reasoning_details when it calls tools: a reasoning.text entry and a
// reasoning.encrypted one holding the call's thought signature
// (ThoughtSignature) with the call's id, format google-gemini-v1;
// streamed, in pieces on the deltas before the call, the text cut in two
// (openrouter.ai/docs/guides/best-practices/reasoning-tokens). It refuses
// a request whose current turn sends an assistant message's tool calls
// back without them, with OpenRouter's 400 around Google's error (peers'
// captures: RooCodeInc/Roo-Code#10307, LibreChat-AI/agents#37).

// keyReasoningDetails is the member OpenRouter writes them in.
const keyReasoningDetails = "reasoning_details"

// detailsOf returns the reasoning_details OpenRouter writes for ans's
// calls, in the pieces a stream sends; nil when it calls none or model
// is not a Gemini 3 model on c's OpenRouter path.
func detailsOf(c *call, model string, ans sim.Answer) []string {
	if !c.openRouter || !wire.GeminiSignsCalls(model) || len(ans.ToolCalls) == 0 {
		return nil
	}
	tc := ans.ToolCalls[0]
	enc, _ := json.Marshal(map[string]any{"type": "reasoning.encrypted", "data": ThoughtSignature(tc.Name, tc.Arguments), "id": tc.ID,
		"format": "google-gemini-v1", "index": 1})
	return []string{
		`[{"type":"reasoning.text","text":"I should call ","format":"google-gemini-v1","index":0}]`,
		`[{"type":"reasoning.text","text":` + quote(tc.Name+".") + `,"index":0}]`,
		`[` + string(enc) + `]`,
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// mergedDetails is the complete answer's reasoning_details: the pieces
// merged.
func mergedDetails(pieces []string) llm.Thinking {
	var merged []map[string]json.RawMessage
	for _, p := range pieces {
		var list []json.RawMessage
		if json.Unmarshal([]byte(p), &list) == nil {
			merged = wire.MergeReasoningDetails(merged, list)
		}
	}
	b, _ := wire.DetailsBlock(merged)
	return b
}

// withDetailsDeltas puts the pieces before the answer's deltas, each as
// a delta's reasoning_details, the role moved onto the first.
func withDetailsDeltas(deltas []llm.Delta, lps []*llm.Logprobs, pieces []string) ([]llm.Delta, []*llm.Logprobs) {
	head := make([]llm.Delta, len(pieces))
	for i, p := range pieces {
		head[i].Thinking = &llm.ThinkingDelta{Redacted: llm.OpenRouterReasoning(p).Redacted}
	}
	head[0].Role = llm.RoleAssistant
	if len(deltas) > 0 {
		deltas[0].Role = ""
	}
	return append(head, deltas...), append(make([]*llm.Logprobs, len(head)), lps...)
}

// refuseWithoutDetails answers OpenRouter's 400 for a Gemini 3 tool loop
// whose current-turn call comes back without its reasoning_details; it
// reports whether it did.
func refuseWithoutDetails(c *call, req *llm.Request) bool {
	if !c.openRouter || !wire.GeminiSignsCalls(req.Model) {
		return false
	}
	name, position := undetailedCall(req.Messages)
	if name == "" {
		return false
	}
	google := fmt.Sprintf("{\n  \"error\": {\n    \"code\": 400,\n    \"message\": \"Function call is missing a thought_signature in functionCall parts. "+
		"This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, "+
		"function call `default_api:%s` , position %d. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.\",\n"+
		"    \"status\": \"INVALID_ARGUMENT\"\n  }\n}\n", name, position)
	body, _ := json.Marshal(map[string]any{"error": map[string]any{"message": "Provider returned error", "code": http.StatusBadRequest,
		"metadata": map[string]any{"raw": "Gemini models require OpenRouter reasoning details to be preserved in each request. Please refer to our docs: " +
			"https://openrouter.ai/docs/guides/best-practices/reasoning-tokens#preserving-reasoning-blocks. Upstream error: " + google,
			"provider_name": "Google AI Studio"}}, "user_id": "user_sim"})
	c.writeJSON(http.StatusBadRequest, append(body, '\n'))
	return true
}

// undetailedCall is unsignedCall for OpenRouter: the first call of the
// current turn whose message's reasoning_details hold no encrypted entry
// with its signature.
func undetailedCall(msgs []llm.Message) (string, int) {
	return currentTurnCall(msgs, func(m *llm.Message) bool {
		c := m.ToolCalls()[0]
		return !strings.Contains(detailsText(m), quote(ThoughtSignature(c.Name, c.Arguments)))
	})
}

// detailsText is the reasoning_details m carries, "" for none.
func detailsText(m *llm.Message) string {
	th := m.Thinking()
	for i := range th {
		if d, ok := th[i].OpenRouterDetails(); ok {
			return d
		}
	}
	return ""
}
