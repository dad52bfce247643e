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

// A DeepSeek model in thinking mode (wire.DeepSeekThinking: deepseek-
// reasoner, the V4 models, deepseek-chat with thinking enabled) answers
// as DeepSeek's API does (api-docs.deepseek.com/guides/thinking_mode):
// its chain of thought comes first, in reasoning_content beside content
// (on the message; on the stream, deltas {"content":null,
// "reasoning_content":…} before the answer's), and a request whose user
// turn called tools must carry reasoning_content on each of that turn's
// assistant messages ("" is taken), else 400 with DeepSeek's words. It
// takes DeepSeek's thinking parameter ({"type":"enabled"|"disabled"}),
// which OpenAI's API does not know. The stream's first chunk carries the
// role with the first piece of reasoning (DeepSeek's carries the role
// with an empty one).

// deepSeekModel reports whether model is one of DeepSeek's, which take
// its thinking parameter.
func deepSeekModel(model string) bool {
	return strings.HasPrefix(strings.ToLower(model), "deepseek-")
}

// deepSeekReasoning is the chain of thought the simulated model writes
// before ans, cut in the pieces a stream sends.
func deepSeekReasoning(a sim.Ask, ans sim.Answer) []string {
	out := []string{"The user asks: ", fmt.Sprintf("%q. ", a.Prompt)}
	switch {
	case len(ans.ToolCalls) > 0:
		out = append(out, "I should call "+ans.ToolCalls[0].Name+".")
	case a.HasToolResult:
		out = append(out, "The tool answered; I can reply now.")
	default:
		out = append(out, "I can answer directly.")
	}
	return out
}

// withReasoningDeltas puts the reasoning pieces before the answer's
// deltas, the role moved onto the first piece (a role-only delta left
// empty is dropped); lps, the deltas' logprobs, are kept aligned.
func withReasoningDeltas(deltas []llm.Delta, lps []*llm.Logprobs, pieces []string) ([]llm.Delta, []*llm.Logprobs) {
	head := make([]llm.Delta, len(pieces))
	for i, p := range pieces {
		head[i].Thinking = &llm.ThinkingDelta{Text: p}
	}
	head[0].Role = llm.RoleAssistant
	if len(deltas) > 0 {
		deltas[0].Role = ""
		if d := deltas[0]; d.Content == "" && len(d.ToolCalls) == 0 && d.Output == nil && lps[0] == nil {
			deltas, lps = deltas[1:], lps[1:]
		}
	}
	return append(head, deltas...), append(make([]*llm.Logprobs, len(head)), lps...)
}

// missingReasoningContent is the index of the first assistant message of
// body's messages that lacks reasoning_content (absent or null) in a user
// turn that called tools; -1 for none.
func missingReasoningContent(body []byte) int {
	var r struct {
		Messages []struct {
			Role             string          `json:"role"`
			ToolCalls        json.RawMessage `json:"tool_calls"`
			ReasoningContent *string         `json:"reasoning_content"`
		} `json:"messages"`
	}
	if json.Unmarshal(body, &r) != nil {
		return -1
	}
	start := 0
	for i := 0; i <= len(r.Messages); i++ {
		if i < len(r.Messages) && r.Messages[i].Role != string(llm.RoleUser) {
			continue
		}
		turn, called := r.Messages[start:i], false
		for _, m := range turn {
			called = called || m.Role == string(llm.RoleAssistant) && len(m.ToolCalls) > 0 && string(m.ToolCalls) != "null" && string(m.ToolCalls) != "[]"
		}
		for j, m := range turn {
			if called && m.Role == string(llm.RoleAssistant) && m.ReasoningContent == nil {
				return start + j
			}
		}
		start = i + 1
	}
	return -1
}

// refuseWithoutReasoning answers DeepSeek's 400 for a tool loop sent
// without its reasoning_content; it reports whether it did.
func refuseWithoutReasoning(c *call, body []byte) bool {
	i := missingReasoningContent(body)
	if i < 0 {
		return false
	}
	c.fail(http.StatusBadRequest, apiError{
		Message: fmt.Sprintf("Missing `reasoning_content` field in the assistant message at message index %d. For more information, please refer to https://api-docs.deepseek.com/guides/thinking_mode#tool-calls", i),
		Type:    "invalid_request_error",
		Code:    "invalid_request_error",
	})
	return true
}

// thinksAsDeepSeek reports whether the sim answers req as a DeepSeek
// model in thinking mode.
func thinksAsDeepSeek(req *llm.Request) bool { return wire.DeepSeekThinking(req) }
