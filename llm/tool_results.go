package llm

import "slices"

// ResultSeparator is the text part put between two results of one call
// that MergeRepeatedResults joins.
const ResultSeparator = "\n"

// MergeRepeatedResults returns msgs with each tool call of an assistant
// message answered by one tool message. A client may answer a call twice
// (a tool submission retried after a network error and kept in the
// history, an agent that appended a result again), which OpenAI's Chat
// Completions and Responses APIs take; Claude refuses it ("each tool_use
// must have a single result. Found multiple `tool_result` blocks with id",
// BerriAI/litellm#16711, router-for-me/CLIProxyAPI#4998) and Gemini wants
// as many function responses as calls. A tool message answering a call id
// that a tool message after the same assistant message already answered
// is merged into that one, in its place: dropped when it holds the same
// text (a resent result), else its parts follow the first's after a
// ResultSeparator text part, so the model reads both, as OpenAI's would.
// Ids repeated across assistant messages are other calls, left alone.
//
// msgs is returned as is, with no allocation, when no call is answered
// twice; otherwise a new slice, msgs and its messages unchanged.
func MergeRepeatedResults(msgs []Message) []Message {
	if !answersTwice(msgs) {
		return msgs
	}
	out := make([]Message, 0, len(msgs))
	turn := 0 // where the messages after the last assistant message start in out
	for _, m := range msgs {
		switch m.Role {
		case RoleAssistant:
			turn = len(out) + 1
		case RoleTool:
			if k := answerIn(out[turn:], m.ToolCallID()); k >= 0 {
				out[turn+k] = mergedResult(out[turn+k], m)
				continue
			}
		}
		out = append(out, m)
	}
	return out
}

// answersTwice reports whether a tool message of msgs answers a call id
// that an earlier one after the same assistant message answered.
func answersTwice(msgs []Message) bool {
	turn := 0
	for i := range msgs {
		switch msgs[i].Role {
		case RoleAssistant:
			turn = i + 1
		case RoleTool:
			if answerIn(msgs[turn:i], msgs[i].ToolCallID()) >= 0 {
				return true
			}
		}
	}
	return false
}

// answerIn returns the index of the tool message of msgs answering the
// call id, or -1; an empty id answers nothing.
func answerIn(msgs []Message, id string) int {
	if id == "" {
		return -1
	}
	for k := range msgs {
		if msgs[k].Role == RoleTool && msgs[k].ToolCallID() == id {
			return k
		}
	}
	return -1
}

// mergedResult is first with again's parts after it, or first alone when
// again holds text only, the same as first's.
func mergedResult(first, again Message) Message {
	if first.Text() == again.Text() && !slices.ContainsFunc(again.Content, func(p Part) bool { return p.Type != PartText }) {
		return first
	}
	first.Content = slices.Concat(first.Content, []Part{{Type: PartText, Text: ResultSeparator}}, again.Content)
	return first
}
