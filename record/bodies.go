package record

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"

	"switchyard/guard"
	"switchyard/llm"
	"switchyard/store"
)

// The bounds of what a row keeps of a prompt and of an answer, in bytes
// of redacted text. The newest messages of a longer prompt are kept and
// the older ones counted as omitted; a text longer than what is left is
// cut (and marked) at the bound.
const (
	BodyPromptBytes = 64 << 10
	BodyAnswerBytes = 32 << 10
)

// redactMargin is how far past the bound a long text is read before it is
// redacted and cut: a secret or personal datum that starts before the
// bound is seen whole (PEM private keys, the longest, stay under 4 KiB),
// so cutting never leaves a part of one unmasked.
const redactMargin = 16 << 10

// truncMark ends a text cut at the bound.
const truncMark = "…[truncated]"

// Bodies returns what the request log keeps of r's prompt and answer:
// their text, every piece masked by red, within BodyPromptBytes and
// BodyAnswerBytes, marked truncated when cut there or when r kept the
// answer in part (llm.Response.TextLeftOut, PartsLeftOut). It returns nil when r kept neither (the gateway keeps
// them only when asked: gateway.Options.KeepAnswers).
func Bodies(r *Record, red *guard.Redactor) *store.Bodies {
	if r.Request == nil && r.Answer == nil {
		return nil
	}
	b := &store.Bodies{}
	if r.Request != nil {
		pb := &budget{left: BodyPromptBytes, red: red}
		b.Messages, b.OmittedMessages = promptBodies(r.Request.Messages, pb)
		b.Truncated = pb.truncated
	}
	if r.Answer != nil && len(r.Answer.Choices) > 0 {
		ab := &budget{left: BodyAnswerBytes, red: red}
		b.Answer = answerBody(&r.Answer.Choices[0], ab)
		// A streamed answer the record kept in part is cut too, though
		// what is left may fit.
		b.Truncated = b.Truncated || ab.truncated || r.Answer.TextLeftOut > 0 || r.Answer.PartsLeftOut > 0
	}
	return b
}

// budget redacts texts and keeps them within the bytes left.
type budget struct {
	left      int
	red       *guard.Redactor
	truncated bool // a text was cut
}

// take returns s redacted and cut to the bytes left (plus a mark), and
// counts what it returns against them. Only the first left+redactMargin
// bytes of a long s are redacted.
func (b *budget) take(s string) string {
	if s == "" {
		return ""
	}
	limit := max(b.left, 0)
	long := len(s) > limit+redactMargin
	if long {
		s = s[:limit+redactMargin]
	}
	s = b.red.Redact(s)
	if long || len(s) > limit {
		b.truncated = true
		cut := min(limit, len(s))
		for cut > 0 && cut < len(s) && !utf8.RuneStart(s[cut]) {
			cut--
		}
		// The pre-cut may have split a rune that redaction then moved
		// before the bound.
		s = strings.ToValidUTF8(s[:cut], "") + truncMark
	}
	b.left -= len(s)
	return s
}

// promptBodies keeps the newest messages that fit in the budget, the
// oldest kept one cut to what is left, and returns how many older ones it
// left out.
func promptBodies(msgs []llm.Message, b *budget) ([]store.BodyMessage, int) {
	first := len(msgs) // the oldest message kept
	var rev []store.BodyMessage
	for i := len(msgs) - 1; i >= 0 && b.left > 0; i-- {
		rev = append(rev, messageBody(&msgs[i], b))
		first = i
	}
	slices.Reverse(rev)
	return rev, first
}

// messageBody converts one message.
func messageBody(m *llm.Message, b *budget) store.BodyMessage {
	return store.BodyMessage{
		Role:       string(m.Role),
		Text:       b.take(partsText(m.Content)),
		Refusal:    b.take(m.Refusal()),
		ToolCallID: b.take(m.ToolCallID()),
		ToolCalls:  toolCallBodies(m.ToolCalls(), b),
	}
}

// answerBody converts the answer's first choice.
func answerBody(c *llm.Choice, b *budget) *store.BodyAnswer {
	return &store.BodyAnswer{
		Text:         b.take(partsText(c.Message.Content)),
		Refusal:      b.take(c.Message.Refusal()),
		ToolCalls:    toolCallBodies(c.Message.ToolCalls(), b),
		FinishReason: string(c.FinishReason),
		Hosted:       hostedBodies(c.Message.Hosted(), b),
		Annotations:  b.take(string(c.Message.TextAnnotations())),
	}
}

// hostedBodies converts an answer's hosted tool items: each item's JSON
// text redacted as a text is, its type read from it.
func hostedBodies(items []llm.Block, b *budget) []store.BodyHosted {
	if len(items) == 0 {
		return nil
	}
	out := make([]store.BodyHosted, len(items))
	for i, it := range items {
		var h struct {
			Type string `json:"type"`
		}
		_ = json.Unmarshal(it.Raw, &h)
		out[i] = store.BodyHosted{Type: b.take(h.Type), Item: b.take(string(it.Raw))}
	}
	return out
}

func toolCallBodies(calls []llm.ToolCall, b *budget) []store.BodyToolCall {
	if len(calls) == 0 {
		return nil
	}
	out := make([]store.BodyToolCall, len(calls))
	for i, c := range calls {
		out[i] = store.BodyToolCall{ID: b.take(c.ID), Name: b.take(c.Name), Arguments: b.take(c.Arguments)}
	}
	return out
}

// partsText joins a message's text parts; a part that is not text is a
// marker, never its content or URL.
func partsText(parts []llm.Part) string {
	if len(parts) == 1 && parts[0].Type == llm.PartText {
		return parts[0].Text
	}
	var sb strings.Builder
	for i := range parts {
		switch parts[i].Type {
		case llm.PartText:
			sb.WriteString(parts[i].Text)
		case llm.PartImage:
			sb.WriteString("[image]")
		case llm.PartDocument:
			sb.WriteString("[document]")
		default:
			sb.WriteString("[other]")
		}
	}
	return sb.String()
}
