package openai

import (
	"fmt"
	"strings"

	"switchyard/llm"
)

// ToolTurnError checks the pairing of tool calls and tool messages of a
// Chat Completions conversation as the real API does: every tool message
// answers a call of the assistant message before it (tool messages in
// between), and every call of an assistant message is answered before
// the next non-tool message. It returns the API's message and param, or
// "" for a valid conversation. The simulator refuses what it refuses;
// tests of the router's translation call it directly.
func ToolTurnError(msgs []llm.Message) (msg, param string) {
	var open map[string]bool // calls of the last assistant message not yet answered
	var from int             // that message's index
	for i, m := range msgs {
		if m.Role == llm.RoleTool {
			if open == nil || !open[m.ToolCallID()] && !callOf(msgs[from], m.ToolCallID()) {
				return "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
					fmt.Sprintf("messages.[%d].role", i)
			}
			delete(open, m.ToolCallID())
			continue
		}
		if len(open) > 0 {
			return unanswered(open, from)
		}
		open = nil
		if m.Role == llm.RoleAssistant && len(m.ToolCalls()) > 0 {
			open, from = map[string]bool{}, i
			for _, tc := range m.ToolCalls() {
				open[tc.ID] = true
			}
		}
	}
	if len(open) > 0 {
		return unanswered(open, from)
	}
	return "", ""
}

// callOf reports whether id names one of asst's tool calls (answered
// already: a repeated answer is allowed).
func callOf(asst llm.Message, id string) bool {
	for _, tc := range asst.ToolCalls() {
		if tc.ID == id {
			return true
		}
	}
	return false
}

func unanswered(open map[string]bool, at int) (string, string) {
	ids := make([]string, 0, len(open))
	for id := range open {
		ids = append(ids, id)
	}
	return "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: " +
		strings.Join(ids, ", "), fmt.Sprintf("messages.[%d].role", at)
}

// ResponsesTurnError checks, as the Responses API does, that every
// function (or custom tool) call of a request's input has its output
// there: a call left unanswered is refused with "No tool output found for
// function call call_….", param "input" (the error peers hit when a proxy
// drops or reorders a tool result: router-for-me/CLIProxyAPI#2368). An
// output with no call before it is refused by the decoder
// (responses.DecodeRequest). It returns the message and param, or "".
func ResponsesTurnError(msgs []llm.Message) (msg, param string) {
	answered := map[string]bool{}
	for _, m := range msgs {
		if m.Role == llm.RoleTool {
			answered[m.ToolCallID()] = true
		}
	}
	for _, m := range msgs {
		for _, tc := range m.ToolCalls() {
			if (tc.Type == "" || tc.Type == "function" || tc.Type == "custom") && !answered[tc.ID] {
				return "No tool output found for function call " + tc.ID + ".", "input"
			}
		}
	}
	return "", ""
}
