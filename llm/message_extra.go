package llm

import "encoding/json"

// MessageExtra holds the rarely set fields of a Message. Treat a
// MessageExtra reachable from a Message as read-only: copies of the
// Message share it.
type MessageExtra struct {
	// Name is the optional participant name.
	Name string
	// ToolCalls are the calls an assistant message makes.
	ToolCalls []ToolCall
	// ToolCallID is the call a tool message answers.
	ToolCallID string
	// Refusal is an assistant's refusal text, if any.
	Refusal string
	// Thinking is an assistant turn's thinking, in order, as the
	// deployment that thought it wrote it (see Thinking).
	Thinking []Thinking
	// TextBlocks divide an answer's text into the blocks that cite the
	// request's documents, as an Anthropic deployment wrote them (see
	// TextBlock); nil for every other message.
	TextBlocks []TextBlock
	// Audio is an OpenAI-format spoken answer's audio object ({"id",
	// "expires_at", "data", "transcript"}), or in a later turn's
	// assistant message the reference to it ({"id"}), as the upstream or
	// the client wrote it; nil for every other message.
	Audio json.RawMessage
	// Annotations is an OpenAI-format answer's annotations (a JSON array
	// of url_citation objects); nil when it has none.
	Annotations json.RawMessage
	// Blocks are an assistant turn's provider blocks (see Block), in
	// order; nil for every other message.
	Blocks []Block
	// Hosted are an assistant turn's OpenAI hosted tool items (see
	// Message.Hosted), in order; nil for every other message.
	Hosted []Block
	// TextAnnotations are a Responses API answer's output_text
	// annotations (see Message.TextAnnotations); nil when it has none.
	TextAnnotations json.RawMessage
	// ToolChanges are a system message's mid-conversation tool changes
	// (see Message.ToolChanges); nil for every other message.
	ToolChanges []Block
	// TurnEffort is a system message's own effort (see
	// Message.TurnEffort); "" for every other message.
	TurnEffort Effort
	// ClientOutput is a tool message's output of an OpenAI
	// client-executed tool's call (shell_call_output,
	// apply_patch_call_output, local_shell_call_output) as a Responses
	// client sent it, the item written whole by the router: an OpenAI
	// Responses API deployment that made the call natively is sent it as
	// it is (the message's text is what every other deployment reads);
	// nil for every other message.
	ClientOutput json.RawMessage
	// ToolError reports that a tool message's result is the tool's
	// failure (an Anthropic tool_result's is_error); false for every
	// other message.
	ToolError bool
}

// TextBlock is one text block of an answer that cites its documents: its
// text starts at byte Start of the message's text and runs to the next
// block's Start (or the end); Citations are its citations as the upstream
// wrote them (JSON objects), none for a block that cites nothing.
type TextBlock struct {
	Start     int
	Citations []json.RawMessage
}

// empty reports whether every field of e is empty.
func (e *MessageExtra) empty() bool {
	return e.Name == "" && len(e.ToolCalls) == 0 && e.ToolCallID == "" && e.Refusal == "" && len(e.Thinking) == 0 &&
		len(e.TextBlocks) == 0 && len(e.Audio) == 0 && len(e.Annotations) == 0 && len(e.Blocks) == 0 &&
		len(e.ToolChanges) == 0 && e.TurnEffort == "" && len(e.Hosted) == 0 && len(e.TextAnnotations) == 0 && len(e.ClientOutput) == 0 && !e.ToolError
}

// ClientOutput returns the output item of a client-executed tool's call
// that m answers (see MessageExtra.ClientOutput), or nil.
func (m *Message) ClientOutput() json.RawMessage {
	if m.Extra == nil {
		return nil
	}
	return m.Extra.ClientOutput
}

// SetClientOutput sets the output item of a client-executed tool's call
// that m answers.
func (m *Message) SetClientOutput(item json.RawMessage) {
	m.setExtra(func(e *MessageExtra) { e.ClientOutput = item })
}

// Audio returns an answer's audio object, or nil.
func (m *Message) Audio() json.RawMessage {
	if m.Extra == nil {
		return nil
	}
	return m.Extra.Audio
}

// SetAudio sets a message's audio object.
func (m *Message) SetAudio(audio json.RawMessage) {
	m.setExtra(func(e *MessageExtra) { e.Audio = audio })
}

// Annotations returns an answer's annotations (a JSON array), or nil.
func (m *Message) Annotations() json.RawMessage {
	if m.Extra == nil {
		return nil
	}
	return m.Extra.Annotations
}

// SetAnnotations sets an answer's annotations (a JSON array).
func (m *Message) SetAnnotations(a json.RawMessage) {
	m.setExtra(func(e *MessageExtra) { e.Annotations = a })
}

// TextBlocks returns how an answer's text divides into the blocks that
// cite its documents, or nil when it cites none.
func (m *Message) TextBlocks() []TextBlock {
	if m.Extra == nil {
		return nil
	}
	return m.Extra.TextBlocks
}

// SetTextBlocks sets an answer's cited text blocks (m keeps blocks).
func (m *Message) SetTextBlocks(blocks []TextBlock) {
	m.setExtra(func(e *MessageExtra) { e.TextBlocks = blocks })
}

// Thinking returns an assistant turn's thinking blocks, or nil.
func (m *Message) Thinking() []Thinking {
	if m.Extra == nil {
		return nil
	}
	return m.Extra.Thinking
}

// SetThinking sets an assistant turn's thinking blocks (m keeps blocks,
// not a copy); see setExtra.
func (m *Message) SetThinking(blocks []Thinking) {
	m.setExtra(func(e *MessageExtra) { e.Thinking = blocks })
}

// Name returns the participant name, or "" when m has none.
func (m *Message) Name() string {
	if m.Extra == nil {
		return ""
	}
	return m.Extra.Name
}

// ToolCalls returns the calls an assistant message makes, or nil.
func (m *Message) ToolCalls() []ToolCall {
	if m.Extra == nil {
		return nil
	}
	return m.Extra.ToolCalls
}

// ToolCallID returns the call a tool message answers, or "".
func (m *Message) ToolCallID() string {
	if m.Extra == nil {
		return ""
	}
	return m.Extra.ToolCallID
}

// ToolError reports whether a tool message's result is the tool's
// failure (see MessageExtra.ToolError).
func (m *Message) ToolError() bool { return m.Extra != nil && m.Extra.ToolError }

// SetToolError marks a tool message's result as the tool's failure, or
// not; see setExtra.
func (m *Message) SetToolError(failed bool) {
	m.setExtra(func(e *MessageExtra) { e.ToolError = failed })
}

// Refusal returns an assistant's refusal text, or "".
func (m *Message) Refusal() string {
	if m.Extra == nil {
		return ""
	}
	return m.Extra.Refusal
}

// SetName sets the participant name; see setExtra.
func (m *Message) SetName(name string) { m.setExtra(func(e *MessageExtra) { e.Name = name }) }

// SetToolCalls sets the calls an assistant message makes (m keeps calls,
// not a copy); see setExtra.
func (m *Message) SetToolCalls(calls []ToolCall) {
	m.setExtra(func(e *MessageExtra) { e.ToolCalls = calls })
}

// SetToolCallID sets the call a tool message answers; see setExtra.
func (m *Message) SetToolCallID(id string) { m.setExtra(func(e *MessageExtra) { e.ToolCallID = id }) }

// SetRefusal sets an assistant's refusal text; see setExtra.
func (m *Message) SetRefusal(text string) { m.setExtra(func(e *MessageExtra) { e.Refusal = text }) }

// setExtra applies set to a copy of m's extra fields and points m at the
// copy, or at nil when every field is then empty: setting an empty value on
// a message without Extra allocates nothing, and a Message copied before
// the call keeps its old values.
func (m *Message) setExtra(set func(*MessageExtra)) {
	var e MessageExtra
	if m.Extra != nil {
		e = *m.Extra
	}
	set(&e)
	if e.empty() {
		m.Extra = nil
		return
	}
	m.Extra = &e
}

// AudioTranscript returns the transcript of a spoken answer's audio, or
// "" when m has none: a spoken answer's text.
func (m *Message) AudioTranscript() string {
	a := m.Audio()
	if len(a) == 0 {
		return ""
	}
	var v struct {
		Transcript string `json:"transcript"`
	}
	json.Unmarshal(a, &v)
	return v.Transcript
}
