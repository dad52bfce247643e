package openai

import (
	"slices"

	"switchyard/llm"
)

// mediaAfterResults returns msgs with the images and documents of tool
// messages (a Responses client's function_call_output holding a
// screenshot, say) moved out: Chat Completions' tool message holds text
// only, and nothing may come between the tool messages answering one
// assistant turn's calls. So each tool message keeps its text, and the
// media of a run of tool messages follow the run as one user message, as
// the Anthropic decoder does with a tool_result's images (resultsAt).
// msgs is returned as is when no tool message holds more than text.
func mediaAfterResults(msgs []llm.Message) []llm.Message {
	if !anyToolMedia(msgs) {
		return msgs
	}
	out := make([]llm.Message, 0, len(msgs)+1)
	var media []llm.Part
	for i := range msgs {
		m := msgs[i]
		if toolMessageWithMedia(&m) {
			text := make([]llm.Part, 0, len(m.Content))
			for _, p := range m.Content {
				if p.Type == llm.PartText {
					text = append(text, p)
				} else {
					media = append(media, p)
				}
			}
			m.Content = text
			if len(text) == 0 {
				m.Content = nil // written "": OpenAI refuses an empty array
			}
		}
		out = append(out, m)
		if len(media) > 0 && (i+1 == len(msgs) || msgs[i+1].Role != llm.RoleTool) {
			out = append(out, llm.Message{Role: llm.RoleUser, Content: media})
			media = nil
		}
	}
	return out
}

// anyToolMedia reports whether a tool message of msgs holds more than
// text.
func anyToolMedia(msgs []llm.Message) bool {
	for i := range msgs {
		if toolMessageWithMedia(&msgs[i]) {
			return true
		}
	}
	return false
}

// toolMessageWithMedia reports whether m is a tool message holding more
// than text.
func toolMessageWithMedia(m *llm.Message) bool {
	return m.Role == llm.RoleTool && slices.ContainsFunc(m.Content, func(p llm.Part) bool { return p.Type != llm.PartText })
}
