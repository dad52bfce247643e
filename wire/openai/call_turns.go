package openai

import (
	"slices"

	"switchyard/llm"
)

// OpenAI's Chat Completions take an assistant turn's calls answered by
// the tool messages right after it: "An assistant message with
// 'tool_calls' must be followed by tool messages responding to each
// 'tool_call_id'." A Responses API history may hold the model's text
// between a call and its output — [function_call, message,
// function_call_output], as Codex CLI sends its turns back
// (cubist38/mlx-openai-server#268), or parallel calls with text between
// them — which OpenAI's Responses API takes and Anthropic's and Gemini's
// adapters merge into one turn. callTurns folds the assistant messages
// that follow a calling one, before its tool messages, into it: their
// text joins its content and their calls its calls, in order. A run
// followed by no tool message is left as it is (calls never answered:
// OpenAI's own 400).

// callTurns returns msgs with each assistant turn's messages before its
// tool messages folded into one; msgs itself when there are none.
func callTurns(msgs []llm.Message) []llm.Message {
	var out []llm.Message
	for i := 0; i < len(msgs); i++ {
		end := callRunEnd(msgs, i)
		if end == i+1 {
			if out != nil {
				out = append(out, msgs[i])
			}
			continue
		}
		if out == nil {
			out = append(make([]llm.Message, 0, len(msgs)), msgs[:i]...)
		}
		out = append(out, foldTurn(msgs[i:end]))
		i = end - 1
	}
	if out == nil {
		return msgs
	}
	return out
}

// callRunEnd returns the end of the run of assistant messages that
// starts at i with a calling message and is followed by a tool message;
// i+1 when there is no such run of more than one message.
func callRunEnd(msgs []llm.Message, i int) int {
	if msgs[i].Role != llm.RoleAssistant || len(msgs[i].ToolCalls()) == 0 {
		return i + 1
	}
	end := i + 1
	for end < len(msgs) && msgs[end].Role == llm.RoleAssistant {
		end++
	}
	if end == i+1 || end == len(msgs) || msgs[end].Role != llm.RoleTool {
		return i + 1
	}
	return end
}

// foldTurn is run's messages as one: the first's, with the content and
// calls of the others after its own.
func foldTurn(run []llm.Message) llm.Message {
	m := run[0]
	m.Content = slices.Clone(m.Content)
	calls := slices.Clone(m.ToolCalls())
	for _, next := range run[1:] {
		m.Content = append(m.Content, next.Content...)
		calls = append(calls, next.ToolCalls()...)
	}
	m.SetToolCalls(calls)
	return m
}
