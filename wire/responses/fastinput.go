package responses

import (
	"encoding/json"
	"strconv"

	"switchyard/llm"
)

// The one-pass decoding of the input items. decodeItems decodes every
// item twice (once for its type, once strictly into that type's struct)
// after the array itself: each byte of a long prompt was scanned about
// twelve times. decodeItemsFast decodes the whole array in one strict
// pass into anyItem, which has the fields of every item type, then holds
// each item to its own type's fields with a mask. It only decides what a
// well-formed request means: whenever the one pass meets something
// malformed (a syntax or type error, an unknown field, a null item, a
// field of another item type), it gives up and decodeItems, which knows
// the exact path and wording, answers instead. FuzzFastInputMatchesSlow
// holds the two to the same result.

// anyItem is an input item of any type the router reads; which fields
// may be set depends on the type (checked by itemFieldsFit).
// The fields that only some types have are optStrings or RawMessages,
// which tell a null from an absent field: a strict decoding into a type
// without the field refuses it even when null.
type anyItem struct {
	Type      *string         `json:"type"`
	ID        *string         `json:"id"`
	Role      optString       `json:"role"`
	Content   json.RawMessage `json:"content"`
	Status    *string         `json:"status"`
	Phase     optString       `json:"phase"`
	CallID    optString       `json:"call_id"`
	Name      optString       `json:"name"`
	Arguments optString       `json:"arguments"`
	Output    json.RawMessage `json:"output"`
}

// optString is a JSON string field that remembers whether it was sent,
// and whether as null.
type optString struct {
	v             string
	present, null bool
}

func (o *optString) UnmarshalJSON(b []byte) error {
	o.present = true
	if string(b) == "null" {
		o.null = true
		return nil
	}
	return json.Unmarshal(b, &o.v)
}

// ptr returns the string as a *string field would hold it: nil when
// absent or null.
func (o *optString) ptr() *string {
	if !o.present || o.null {
		return nil
	}
	return &o.v
}

// The fields of an input item, as bits of a mask.
const (
	iType uint16 = 1 << iota
	iID
	iRole
	iContent
	iStatus
	iPhase
	iCallID
	iName
	iArguments
	iOutput
)

// itemFields are the fields each item type may carry, as the strict
// decoding into messageItem, functionCallItem and functionCallOutputItem
// allows them.
var itemFields = map[string]uint16{
	"message":              iType | iID | iRole | iContent | iStatus | iPhase,
	"function_call":        iType | iID | iCallID | iName | iArguments | iStatus,
	"function_call_output": iType | iID | iCallID | iOutput | iStatus | iName,
}

// fieldsSet returns the mask of the fields sent in the JSON, null ones included.
func (it *anyItem) fieldsSet() uint16 {
	var set uint16
	for bit, present := range [...]bool{it.Type != nil, it.ID != nil, it.Role.present, it.Content != nil,
		it.Status != nil, it.Phase.present, it.CallID.present, it.Name.present, it.Arguments.present, it.Output != nil} {
		if present {
			set |= 1 << bit
		}
	}
	return set
}

// decodeItemsFast decodes the input array raw in one pass. ok false
// means it gave up and decodeItems must answer; with ok true, msgs and
// err are the answer (err is then about what the items mean, worded as
// decodeItems words it). calls is as for decodeItems; it is only changed
// when ok is true.
func decodeItemsFast(raw json.RawMessage, calls map[string]bool) (msgs []llm.Message, err error, ok bool) {
	var items []anyItem
	if decodeStrict(raw, "input", &items) != nil {
		return nil, nil, false
	}
	if len(items) == 0 {
		return nil, emptyInput(), true
	}
	for i := range items {
		if !itemFieldsFit(&items[i]) {
			return nil, nil, false
		}
	}
	d := inputDecoder{msgs: make([]llm.Message, 0, len(items)), calls: calls}
	for i := range items {
		if err := d.addAny(&items[i], "input["+strconv.Itoa(i)+"]"); err != nil {
			return nil, err, true
		}
	}
	return d.msgs, nil, true
}

// itemFieldsFit reports whether it is an item of a type the router reads
// with only that type's fields: not a null item (every field absent),
// not a field of another type, not an item without type or role.
func itemFieldsFit(it *anyItem) bool {
	set := it.fieldsSet()
	if set == 0 || it.Type == nil && !it.Role.present {
		return false // nothing, or an item reference without its type
	}
	typ := "message"
	if it.Type != nil {
		typ = *it.Type
	}
	allowed, known := itemFields[typ]
	return known && set&^allowed == 0
}

// addAny adds the item it, whose fields fit its type, at path.
func (d *inputDecoder) addAny(it *anyItem, path string) error {
	switch typ := deref(it.Type); typ {
	case "", "message":
		return d.addMessage(&messageItem{Type: it.Type, ID: it.ID, Role: it.Role.v, Content: it.Content,
			Status: it.Status, Phase: it.Phase.ptr()}, path)
	case "function_call":
		return d.addFunctionCall(&functionCallItem{Type: typ, ID: it.ID, CallID: it.CallID.v, Name: it.Name.v,
			Arguments: it.Arguments.v, Status: it.Status}, path)
	default: // function_call_output: itemFieldsFit knows no other
		return d.addFunctionCallOutput(&functionCallOutputItem{Type: typ, ID: it.ID, CallID: it.CallID.v,
			Output: it.Output, Status: it.Status, Name: it.Name.ptr()}, path)
	}
}

// decodePartsFast decodes the content parts array raw in one pass into
// m. ok false means it gave up (something malformed, a null part) and
// the part-by-part decoding must answer.
func decodePartsFast(raw json.RawMessage, m *llm.Message, path string) (err error, ok bool) {
	var parts []contentPart
	if decodeStrict(raw, path, &parts) != nil {
		return nil, false
	}
	for i := range parts {
		if parts[i].isNull() {
			return nil, false
		}
	}
	m.Content = make([]llm.Part, 0, len(parts))
	for i := range parts {
		if err := addPart(m, &parts[i], path+"["+strconv.Itoa(i)+"]"); err != nil {
			return err, true
		}
	}
	return nil, true
}

// isNull reports whether p decoded from a JSON null or an object with no
// field the router reads: both have every field absent.
func (p *contentPart) isNull() bool {
	return p.Type == "" && p.Text == nil && p.Refusal == nil && p.ImageURL == nil && p.FileID == nil &&
		p.FileData == nil && p.FileURL == nil && p.Filename == nil && p.Detail == nil && p.Annots == nil && p.Logprobs == nil && p.PromptCacheBreakpoint == nil
}

// deref returns *s, or "" for nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
