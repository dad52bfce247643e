package openai

import (
	"slices"

	"switchyard/llm"
)

// OpenAI's Chat Completions take an assistant turn's calls answered by
// the tool messages right after it: "An assistant message with
// 'tool_calls' must be followed by tool messages responding to each
// 'tool_call_id'." A Responses API history may hold other items between
// a call and its output — the model's text ([function_call, message,
// function_call_output], as Codex CLI sends its turns back:
// cubist38/mlx-openai-server#268), a second call after that text, or a
// user message sent while the tool ran — which OpenAI's Responses API
// takes and the Anthropic and Gemini adapters reorder. callTurns folds
// the assistant messages that follow a calling one into it (their text
// joins its content and their calls its calls, in order) and moves the
// turn's tool messages right after it, the other messages of the turn
// (a user's, a system's) after them, each group in order. A turn with no
// tool message is left as it is (calls never answered: OpenAI's own
// 400).

// callTurns returns msgs with each calling turn so ordered; msgs itself
// when none needs it.
func callTurns(msgs []llm.Message) []llm.Message {
	var out []llm.Message
	for i := 0; i < len(msgs); i++ {
		end, stop := callTurn(msgs, i)
		if stop == 0 {
			if out != nil {
				out = append(out, msgs[i])
			}
			continue
		}
		if out == nil {
			out = append(make([]llm.Message, 0, len(msgs)), msgs[:i]...)
		}
		out = append(out, foldTurn(msgs[i:end]))
		for _, m := range msgs[end:stop] {
			if m.Role == llm.RoleTool {
				out = append(out, m)
			}
		}
		for _, m := range msgs[end:stop] {
			if m.Role != llm.RoleTool {
				out = append(out, m)
			}
		}
		i = stop - 1
	}
	if out == nil {
		return msgs
	}
	return out
}

// callTurn returns, for a calling assistant message at i that needs
// reordering, the end of its run of assistant messages and the end of
// its turn (the next assistant message, or the end of msgs); stop is 0
// when the message at i calls nothing, or its turn is in order already
// (its results right after it, or none at all).
func callTurn(msgs []llm.Message, i int) (end, stop int) {
	if msgs[i].Role != llm.RoleAssistant || len(msgs[i].ToolCalls()) == 0 {
		return 0, 0
	}
	end = i + 1
	for end < len(msgs) && msgs[end].Role == llm.RoleAssistant {
		end++
	}
	stop = end
	results, outOfPlace := 0, false
	for stop < len(msgs) && msgs[stop].Role != llm.RoleAssistant {
		if msgs[stop].Role == llm.RoleTool {
			results++
			outOfPlace = outOfPlace || stop > end+results-1
		}
		stop++
	}
	if results == 0 || end == i+1 && !outOfPlace {
		return 0, 0
	}
	return end, stop
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
