package openai

import "switchyard/llm"

// DeepSeek's API takes a message's content only as a string: an array of
// parts, even of text alone, is refused on any message with a 400
// "Failed to deserialize the JSON body into the target type:
// messages[N]: invalid type: sequence, expected a string at line 1
// column C" (cline/cline#230, BerriAI/litellm#6642,
// tailcallhq/forgecode#2008, QwenLM/qwen-code#2318); Groq's refuses one
// on a system message ("'messages.0' : for 'role:system' the following
// must be satisfied[('messages.0.content' : value must be a string)]":
// OpenHands/OpenHands#4643, i-am-bee/beeai-framework#752). An
// Anthropic client's system prompt of several blocks, a Responses
// client's input messages and a Chat client's parts all arrive as
// arrays; ChatOptions.StringContent writes their text as one string.

// appendJoinedText writes the texts of parts as one JSON string, joined
// by a blank line (as a host that takes only a string reads them).
func appendJoinedText(dst []byte, parts []llm.Part) []byte {
	n := 2 * (len(parts) - 1)
	for i := range parts {
		n += len(parts[i].Text)
	}
	b := make([]byte, 0, n)
	for i := range parts {
		if i > 0 {
			b = append(b, "\n\n"...)
		}
		b = append(b, parts[i].Text...)
	}
	return appendString(dst, string(b))
}
