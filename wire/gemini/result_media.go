package gemini

import (
	"slices"

	"switchyard/llm"
)

// resultMedia returns the parts of what a tool message holds besides
// text (the images of a screenshot tool, say): the function response
// carries the text alone, and these follow the turn's function responses
// in the same user turn.
func resultMedia(m *llm.Message, i int) ([]Part, error) {
	if !slices.ContainsFunc(m.Content, func(p llm.Part) bool { return p.Type != llm.PartText }) {
		return nil, nil
	}
	media := llm.Message{Role: llm.RoleUser}
	for _, p := range m.Content {
		if p.Type != llm.PartText {
			media.Content = append(media.Content, p)
		}
	}
	return userParts(&media, i)
}

// flushMedia adds the media of the tool messages just added to the user
// turn, after their function responses.
func (b *contentBuilder) flushMedia() {
	if len(b.media) > 0 {
		b.append(RoleUser, b.media)
		b.media = nil
	}
}

// resultText is the text of a tool message: its text parts one per line,
// as a client that sent them apart reads them (a Chat Completions tool
// message's several text parts, an Anthropic tool_result's text blocks),
// not run together; a single part as it is, without allocating.
func resultText(m *llm.Message) string {
	n, parts := 0, 0
	for i := range m.Content {
		if m.Content[i].Type == llm.PartText {
			n += len(m.Content[i].Text) + 1
			parts++
		}
	}
	if parts <= 1 {
		return m.Text()
	}
	b, sep := make([]byte, 0, n), false
	for i := range m.Content {
		if p := &m.Content[i]; p.Type == llm.PartText {
			if sep {
				b = append(b, '\n')
			}
			b, sep = append(b, p.Text...), true
		}
	}
	return string(b)
}
