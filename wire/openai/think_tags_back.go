package openai

import (
	"strings"

	"switchyard/llm"
)

// MiniMax-M2 is an interleaved thinking model whose card asks that the
// reasoning of the assistant's earlier turns be kept in the history "in
// its original format": the <think>…</think> block the model wrote at the
// start of its content (MiniMaxAI/MiniMax-M2 model card; its chat
// template renders an assistant message's reasoning as "<think>\n" +
// reasoning + "\n</think>\n\n" + content, reads it back out of a content
// that holds the block, and drops that of turns before the last user
// message itself, so the whole history can be sent). Where the router
// split the block out of the answer (think_tags), the client sends the
// reasoning back, if at all, as reasoning_content or a thinking block,
// and the host would get none: SendsThinkTags decides, ThinkTagsBack
// puts it back into the content.

// SendsThinkTags reports whether req's assistant messages are sent their
// reasoning text in their content between <think> tags: as its
// deployment's reasoning_content setting says ("tags"), else for a
// MiniMax-M2 model (minimax-m2, -m2.1 …, with or without a vendor
// prefix, any case).
func SendsThinkTags(req *llm.Request) bool {
	switch req.ReasoningContent {
	case llm.ReasoningContentTags:
		return true
	case llm.ReasoningContentAuto:
		return miniMaxM2(req.ModelID())
	}
	return false
}

// miniMaxM2 reports whether model is a MiniMax-M2 id, without a copy
// (every chat request asks).
func miniMaxM2(model string) bool {
	const prefix = "minimax-m2"
	m := model[strings.LastIndexByte(model, '/')+1:]
	return len(m) >= len(prefix) && strings.EqualFold(m[:len(prefix)], prefix)
}

// ThinkTagsBack returns msgs with each assistant message that has
// reasoning text (ReasoningText) written as "<think>\n" + the reasoning +
// "\n</think>\n\n" + its content, as MiniMax-M2's template renders one; a
// message whose content already opens with <think> is left as it is.
// msgs is not changed: the slice is copied when a message is.
func ThinkTagsBack(msgs []llm.Message) []llm.Message {
	out := msgs
	for i := range msgs {
		m := &msgs[i]
		if m.Role != llm.RoleAssistant {
			continue
		}
		r := strings.TrimSpace(ReasoningText(m))
		if r == "" || strings.HasPrefix(trimSpace(m.Text()), openTag) {
			continue
		}
		if &out[0] == &msgs[0] {
			out = append([]llm.Message(nil), msgs...)
		}
		out[i] = withThinkTags(*m, r)
	}
	return out
}

// withThinkTags returns m with reasoning r written before its content:
// into its first part when that is text, else as a text part of its own.
func withThinkTags(m llm.Message, r string) llm.Message {
	head := openTag + "\n" + r + "\n" + closeTag + "\n\n"
	parts := make([]llm.Part, 0, len(m.Content)+1)
	if len(m.Content) > 0 && m.Content[0].Type == llm.PartText {
		p := m.Content[0]
		p.Text = head + p.Text
		parts = append(append(parts, p), m.Content[1:]...)
	} else {
		parts = append(append(parts, llm.Part{Type: llm.PartText, Text: strings.TrimSuffix(head, "\n\n")}), m.Content...)
		m.StringContent = len(parts) == 1
	}
	m.Content = parts
	return m
}
