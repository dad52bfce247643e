package llm

import (
	"encoding/json"
	"slices"
)

// What is left of a request without the optional hosted tools a
// deployment cannot run (WithoutHosted): its tool_choice and its
// conversation.

// withoutHostedChoice is the tool_choice left without the hosted tools k
// (raw, OpenAIHosted.ToolChoice, and tc, Request.ToolChoice): an
// allowed_tools choice naming one of them names it no more — as written
// without it while it names another hosted tool; else, as the Responses
// decoder keeps a choice that names client tools alone, in tc alone
// (ToolChoice.Allowed), which becomes mode none where it allows nothing
// else (the model could call nothing it allows: a choice of mode
// required allowing the dropped tools alone forces them, and nothing is
// dropped then). Any other choice is returned as it is.
func withoutHostedChoice(raw json.RawMessage, tc *ToolChoice, k HostedKinds) (json.RawMessage, *ToolChoice) {
	if typeOf(raw) != "allowed_tools" {
		return raw, tc
	}
	named := allowedHostedKinds(raw)
	switch {
	case named&k == 0:
		return raw, tc
	case named&^k != 0:
		return allowedWithout(raw, k), tc
	case tc != nil && len(tc.Allowed) == 0:
		return nil, &ToolChoice{Mode: ToolChoiceNone}
	}
	return nil, tc
}

// allowedWithout is the allowed_tools choice raw without the hosted
// tools of kinds k in its tools, its other members and tools as written;
// raw itself when it does not decode.
func allowedWithout(raw json.RawMessage, k HostedKinds) json.RawMessage {
	var c struct {
		Mode  json.RawMessage   `json:"mode"`
		Tools []json.RawMessage `json:"tools"`
	}
	if json.Unmarshal(raw, &c) != nil {
		return raw
	}
	out := append(make(json.RawMessage, 0, len(raw)), `{"type":"allowed_tools"`...)
	if len(c.Mode) > 0 {
		out = append(append(out, `,"mode":`...), c.Mode...)
	}
	out = append(out, `,"tools":[`...)
	n := 0
	for _, t := range c.Tools {
		if knownHostedKind(typeOf(t))&k != 0 {
			continue
		}
		if n > 0 {
			out = append(out, ',')
		}
		out = append(out, t...)
		n++
	}
	return append(out, "]}"...)
}

// withoutHostedItems are msgs without the past calls (pastHostedItem) of
// the hosted tools k, and false when they hold none (msgs is then not
// copied); msgs itself is not changed. The text, the calls and the other
// items of a turn stay (the answer that followed a search, its
// citations among them); a turn of such calls alone goes. The other wire
// formats carry no such item, and an item left would hold the request to
// a deployment that runs its tool (OpenAIHostedTools, OnlyResponsesAPI).
func withoutHostedItems(msgs []Message, k HostedKinds) ([]Message, bool) {
	drop := func(b Block) bool {
		t := typeOf(b.Raw)
		return pastHostedItem(t) && k&HostedKindOf(t) != 0
	}
	first := slices.IndexFunc(msgs, func(m Message) bool { return slices.ContainsFunc(m.Hosted(), drop) })
	if first < 0 {
		return msgs, false
	}
	out := append(make([]Message, 0, len(msgs)), msgs[:first]...)
	for _, m := range msgs[first:] {
		if h := m.Hosted(); slices.ContainsFunc(h, drop) {
			left := slices.DeleteFunc(slices.Clone(h), drop)
			if len(left) == 0 {
				left = nil
			}
			m.SetHosted(left)
			if m.Extra == nil && len(m.Content) == 0 {
				continue
			}
		}
		out = append(out, m)
	}
	return out, true
}
