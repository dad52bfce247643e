package responses

import (
	"encoding/json"
	"strconv"

	"switchyard/llm"
)

// This file decodes the reasoning items a client sends back in input. One
// whose encrypted_content opens (Sealer.Open: the router made it, for
// this tenant) puts its thinking on the assistant turn that follows it
// (the one the next message or function call items make), so that
// Claude gets its signed thinking back whichever router serves the turn.
// Any other (no encrypted_content, OpenAI's own, another key's or
// tenant's, altered) is left out: the turn goes without thinking, as it
// would have without the item.

// reasoningInputItem is a reasoning item sent back.
type reasoningInputItem struct {
	Type             string          `json:"type"`
	ID               *string         `json:"id"`
	Summary          json.RawMessage `json:"summary"`
	Content          json.RawMessage `json:"content"`
	EncryptedContent *string         `json:"encrypted_content"`
	Status           *string         `json:"status"`
}

// reasoningPart is a summary_text or reasoning_text part.
type reasoningPart struct {
	Type *string `json:"type"`
	Text *string `json:"text"`
}

// reasoning decodes a reasoning item: its thinking, when it opens, waits
// for the next assistant turn.
func (d *inputDecoder) reasoning(raw json.RawMessage, path string) error {
	var ri reasoningInputItem
	if err := decodeStrict(raw, path, &ri); err != nil {
		return err
	}
	if err := checkReasoningParts(ri.Summary, "summary_text", path+".summary"); err != nil {
		return err
	}
	if err := checkReasoningParts(ri.Content, "reasoning_text", path+".content"); err != nil {
		return err
	}
	if st := ri.Status; st != nil {
		switch *st {
		case StatusInProgress, StatusCompleted, StatusIncomplete:
		default:
			return invalid(path+".status", "Invalid value: '%s'. Supported values are: 'in_progress', 'completed' and 'incomplete'.", llm.Clip(*st))
		}
	}
	if ri.EncryptedContent == nil {
		return nil
	}
	if blocks, ok := d.open.Open(*ri.EncryptedContent); ok {
		d.thinking = append(d.thinking, d.takeSignatures(blocks)...)
	}
	return nil
}

// checkReasoningParts checks the parts array raw at path (absent or null
// is none): each an object of type typ with a text.
func checkReasoningParts(raw json.RawMessage, typ, path string) error {
	if isNull(raw) {
		return nil
	}
	if first(raw) != '[' {
		return invalid(path, "Invalid type for '%s': expected an array of %s parts, but got %s instead.", path, typ, kindOf(raw))
	}
	var parts []json.RawMessage
	if err := json.Unmarshal(raw, &parts); err != nil {
		return jsonError(err, path)
	}
	for i, p := range parts {
		at := path + "[" + strconv.Itoa(i) + "]"
		if first(p) != '{' {
			return invalid(at, "Invalid type for '%s': expected an object, but got %s instead.", at, kindOf(p))
		}
		var rp reasoningPart
		if err := decodeStrict(p, at, &rp); err != nil {
			return err
		}
		switch {
		case rp.Type == nil:
			return invalid(at+".type", "Missing required parameter: '%s.type'.", at)
		case *rp.Type != typ:
			return invalid(at+".type", "Invalid value: '%s'. Supported values are: '%s'.", llm.Clip(*rp.Type), typ)
		case rp.Text == nil:
			return invalid(at+".text", "Missing required parameter: '%s.text'.", at)
		}
	}
	return nil
}

// settle gives m, the message the input adds next (or the assistant turn
// it extends), the thinking the reasoning items before it held, after
// any it has, when it is an assistant's turn; any other message drops it
// (the reasoning led to no assistant turn).
func (d *inputDecoder) settle(m *llm.Message) {
	if len(d.thinking) == 0 {
		return
	}
	if m.Role == llm.RoleAssistant {
		m.SetThinking(append(m.Thinking()[:len(m.Thinking()):len(m.Thinking())], d.thinking...))
	}
	d.thinking = nil
}
