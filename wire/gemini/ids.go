package gemini

import (
	"crypto/rand"
	"strings"
)

// Gemini responses need not carry a responseId, and functionCall parts
// usually carry no id, while OpenAI clients expect both: a response id, and
// tool call ids that are unique within a conversation (the tool message
// answering a call names it). The translators generate them.

// NewResponseID returns a fresh random response id ("gen-" and 26 base32
// characters) for a response that came without a responseId.
func NewResponseID() string { return "gen-" + strings.ToLower(rand.Text()) }

// newCallID returns a fresh random tool call id ("call_" and 26 base32
// characters), unique in practice across responses and conversations.
func newCallID() string { return "call_" + strings.ToLower(rand.Text()) }
