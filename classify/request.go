package classify

import (
	"strings"

	"switchyard/classify/internal/feature"
	"switchyard/llm"
)

// Token overheads of the bare-prompt estimates (ClassifyText,
// ClassifyPrompt), the same as a request's (llm.PromptTokens).
const (
	perMessageTokens   = llm.TokensPerMessage
	replyPrimingTokens = llm.TokensReplyPriming
)

// requestInput builds the classifier's view of a request. The main text is
// the human's instruction: the last user message that has text (a user
// turn holding only tool results or attachments says nothing of what the
// human asked; tool and assistant messages are never read). The first
// system or developer message and up to two earlier user turns with text
// are context; the request-level signals come along.
func requestInput(req *llm.Request) feature.Input {
	var in feature.Input
	last := -1
	for i := len(req.Messages) - 1; i >= 0; i-- {
		if m := &req.Messages[i]; m.Role == llm.RoleUser && hasText(m) {
			last = i
			break
		}
	}
	for i := range req.Messages {
		m := &req.Messages[i]
		for j := range m.Content {
			if m.Content[j].Type == llm.PartImage {
				in.Images = true
			}
		}
		switch m.Role {
		case llm.RoleSystem, llm.RoleDeveloper:
			if in.System == "" {
				in.System = messageText(m)
			}
		case llm.RoleUser:
			if i < last && hasText(m) {
				in.Turn++
				in.History[1] = in.History[0]
				in.History[0] = messageText(m)
			}
		}
	}
	if last >= 0 {
		in.Main = messageText(&req.Messages[last])
	} else {
		in.Main, in.System = in.System, ""
	}
	in.Tools = len(req.Tools) > 0
	if rf := req.ResponseFormat; rf != nil && (rf.Type == llm.FormatJSONObject || rf.Type == llm.FormatJSONSchema) {
		in.JSON = true // one feature: the training data does not tell the two apart
	}
	return in
}

// hasText reports whether a message has a non-empty text part.
func hasText(m *llm.Message) bool {
	for j := range m.Content {
		if m.Content[j].Type == llm.PartText && strings.TrimSpace(m.Content[j].Text) != "" {
			return true
		}
	}
	return false
}

// messageText returns a message's text without allocating when it has at
// most one non-empty text part (the usual case).
func messageText(m *llm.Message) string {
	n, idx := 0, -1
	for j := range m.Content {
		if m.Content[j].Type == llm.PartText && m.Content[j].Text != "" {
			n++
			idx = j
		}
	}
	switch n {
	case 0:
		return ""
	case 1:
		return m.Content[idx].Text
	}
	return m.Text()
}

// promptTokens estimates the prompt tokens of the whole request: every
// message's text, images, documents, tool calls and tool definitions (see
// llm.PromptTokens), each text by textTokens.
func promptTokens(req *llm.Request) int { return llm.PromptTokens(req, textTokens) }

// textTokens estimates the tokens of a text by byte classes, as BPE
// vocabularies of the cl100k/o200k kind split them: about four ASCII bytes,
// two 2-byte runes (accented Latin, Cyrillic, Arabic) or one 3-byte rune
// (CJK) per token, and two tokens per 4-byte rune (emoji).
func textTokens(s string) int {
	var ascii, two, three, four int
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if load64(s[i:i+8])&0x8080808080808080 == 0 {
			ascii += 8
			continue
		}
		for _, c := range []byte(s[i : i+8]) {
			ascii, two, three, four = countByte(c, ascii, two, three, four)
		}
	}
	for ; i < len(s); i++ {
		ascii, two, three, four = countByte(s[i], ascii, two, three, four)
	}
	return (ascii+3)/4 + (two+1)/2 + three + 2*four
}

// countByte adds one byte to the counts of ASCII bytes and of the lead
// bytes of 2-, 3- and 4-byte runes.
func countByte(c byte, ascii, two, three, four int) (int, int, int, int) {
	switch {
	case c < 0x80:
		ascii++
	case c >= 0xF0:
		four++
	case c >= 0xE0:
		three++
	case c >= 0xC0:
		two++
	}
	return ascii, two, three, four
}

// load64 reads 8 bytes of s as a little-endian word (one load on amd64).
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}
