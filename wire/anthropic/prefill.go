package anthropic

import (
	"strings"

	"switchyard/llm"
)

// continuePrefill replaces a final assistant turn of text (a prefill) for
// a model that refuses one (Traits.NoPrefill: "This model does not
// support assistant message prefill. The conversation must end with a
// user message."), as Anthropic's migration guides advise for a
// continuation: the turn is left out, and the user turn before it asks
// the model to continue from that text (ContinueText). It reports whether
// it did; a final turn holding other blocks, or after no user turn, is
// left as it is.
func continuePrefill(out *MessagesRequest) bool {
	n := len(out.Messages)
	if n < 2 || out.Messages[n-1].Role != "assistant" || out.Messages[n-2].Role != "user" {
		return false
	}
	var text strings.Builder
	for _, b := range out.Messages[n-1].Content {
		if b.Type != BlockText {
			return false
		}
		text.WriteString(b.Text)
	}
	prev := &out.Messages[n-2]
	prev.Content = append(prev.Content, ContentBlock{Type: BlockText, Text: ContinueText(text.String())})
	out.Messages = out.Messages[:n-1]
	return true
}

// ContinueText is the user text that asks a model without prefill to go
// on from prefill, in the words of Anthropic's migration guide.
func ContinueText(prefill string) string {
	return "Your previous response was interrupted and ended with\n\n" + prefill + "\n\nContinue from where you left off."
}

// endsWithTextPrefill reports whether msgs end with an assistant turn of
// text alone, not blank, and no tool call: the prefill continuePrefill
// replaces.
func endsWithTextPrefill(msgs []llm.Message) bool {
	if len(msgs) == 0 {
		return false
	}
	m := &msgs[len(msgs)-1]
	if m.Role != llm.RoleAssistant || len(m.ToolCalls()) > 0 || len(m.Blocks()) > 0 {
		return false
	}
	text := false
	for _, p := range m.Content {
		if p.Type != llm.PartText {
			return false
		}
		text = text || strings.TrimSpace(p.Text) != ""
	}
	return text
}
