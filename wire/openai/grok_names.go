package openai

import "switchyard/llm"

// xAI's API takes a message's name on a user message alone: a system,
// assistant or tool message with one is a 400 "Only messages of role
// 'user' can have a name." (BerriAI/litellm#9720 on grok-2,
// microsoft/autogen#4715; "Invalid request content: Only message of role
// user can have a name.": pipecat-ai/pipecat#2274), which agent
// frameworks that name each speaker hit on every request. The name only
// tells speakers apart, so a Grok model's non-user messages go without
// it (GrokNames).

// GrokNames returns msgs with the name of every message but a user's
// left out; msgs itself, not a copy, when none has one. msgs is never
// changed.
func GrokNames(msgs []llm.Message) []llm.Message {
	var out []llm.Message
	for i := range msgs {
		if msgs[i].Role == llm.RoleUser || msgs[i].Name() == "" {
			continue
		}
		if out == nil {
			out = make([]llm.Message, len(msgs))
			copy(out, msgs)
		}
		out[i].SetName("") // copy on write: msgs keeps its name
	}
	if out == nil {
		return msgs
	}
	return out
}
