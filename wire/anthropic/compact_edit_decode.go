package anthropic

import (
	"encoding/json"
	"fmt"
)

// This file reads a request's compact_20260112 edit (Claude compacting
// the conversation once its input exceeds the edit's trigger) as far as
// the router acts on it: a deployment that cannot compact the
// conversation itself has the router compact it (api/anthropic).

// The compact edit's trigger: its default and its least value, as the
// API documents them.
const (
	DefaultCompactTrigger = 150000
	MinCompactTrigger     = 50000
)

// CompactEdit is a decoded compact_20260112 edit.
type CompactEdit struct {
	// Trigger is the input tokens the conversation must exceed for the
	// edit to fire (DefaultCompactTrigger when the edit names none).
	Trigger int
	// Pause: the answer stops after the compaction (stop_reason
	// compaction) instead of going on from it.
	Pause bool
	// Instructions replace the default summarizing prompt; "" means the
	// default.
	Instructions string
	// Index is the edit's place in context_management.edits.
	Index int
}

// Fires reports whether the edit fires for a conversation of
// inputTokens: when they exceed its trigger. A nil edit never fires.
func (e *CompactEdit) Fires(inputTokens int) bool {
	return e != nil && inputTokens > e.Trigger
}

// CompactEditOf decodes the compact_20260112 edit of cm, a request's
// context_management (as contextManagement kept it), strictly, as the
// API checks it; nil when cm holds none. Errors are *llm.Error of kind
// invalid_request naming the field ("context_management.edits.0.
// trigger.value: …").
func CompactEditOf(cm json.RawMessage) (*CompactEdit, error) {
	if !CompactsContext(cm) {
		return nil, nil
	}
	var c struct {
		Edits []json.RawMessage `json:"edits"`
	}
	json.Unmarshal(cm, &c) // CompactsContext decoded it
	for i, raw := range c.Edits {
		var h struct {
			Type string `json:"type"`
		}
		if json.Unmarshal(raw, &h); h.Type == EditCompact {
			return decodeCompactEdit(raw, i)
		}
	}
	return nil, nil
}

func decodeCompactEdit(raw json.RawMessage, i int) (*CompactEdit, error) {
	at := fmt.Sprintf("context_management.edits.%d", i)
	var e struct {
		Type    string `json:"type"`
		Trigger *struct {
			Type  string `json:"type"`
			Value *int   `json:"value"`
		} `json:"trigger"`
		Pause        *bool   `json:"pause_after_compaction"`
		Instructions *string `json:"instructions"`
	}
	if err := strictObject(raw, &e); err != nil {
		return nil, param(rejectf("%s.%s", at, err))
	}
	out := &CompactEdit{Trigger: DefaultCompactTrigger, Index: i}
	if t := e.Trigger; t != nil {
		switch {
		case t.Type != "input_tokens":
			return nil, param(rejectf("%s.trigger.type: Input should be 'input_tokens'", at))
		case t.Value == nil:
			return nil, param(rejectf("%s.trigger.value: Field required", at))
		case *t.Value < MinCompactTrigger:
			return nil, param(rejectf("%s.trigger.value: Input should be greater than or equal to %d", at, MinCompactTrigger))
		}
		out.Trigger = *t.Value
	}
	if e.Pause != nil {
		out.Pause = *e.Pause
	}
	if e.Instructions != nil {
		out.Instructions = *e.Instructions
	}
	return out, nil
}

// WithoutCompactEdit is cm without its compact_20260112 edits: what a
// deployment is sent once the edit was honoured elsewhere (by a model
// that cannot take it, or by the router); nil when no edit is left.
func WithoutCompactEdit(cm json.RawMessage) json.RawMessage {
	if !CompactsContext(cm) {
		return cm
	}
	return withoutEdit(cm, EditCompact)
}

// withoutEdit is cm without its edits of type typ; nil when no edit is
// left, cm itself when it cannot be read.
func withoutEdit(cm json.RawMessage, typ string) json.RawMessage {
	var c map[string]json.RawMessage
	var edits []json.RawMessage
	if json.Unmarshal(cm, &c) != nil || json.Unmarshal(c["edits"], &edits) != nil {
		return cm
	}
	kept := edits[:0:0]
	for _, e := range edits {
		var h struct {
			Type string `json:"type"`
		}
		if json.Unmarshal(e, &h); h.Type != typ {
			kept = append(kept, e)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	c["edits"], _ = json.Marshal(kept)
	out, _ := json.Marshal(c)
	return out
}
