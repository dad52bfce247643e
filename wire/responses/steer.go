package responses

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"switchyard/llm"
)

// This file is the codec of WebSocket mode's response.steer (beta): the
// client's event (decodeSteer, through DecodeClientEvent), and the body
// of the response.create a steer becomes (SuccessorBody, PrependInput).
// The server's steering events are in steer_events.go.

// MaxSteerItems bounds the messages of one response.steer's input.
const MaxSteerItems = 64

// Steer is one response.steer event: input queued for a continuation of
// the response previous_response_id names.
type Steer struct {
	// ID names the submission once accepted ("steer_…"); "" before.
	ID string
	// PreviousResponseID is the response steered; "" when the event named
	// none (then Invalid says so).
	PreviousResponseID string
	// Input is the input as the client sent it, returned in
	// response.steer.failed; nil when the event had none.
	Input json.RawMessage
	// Items is Input as a list of user messages (a string input made one
	// message), the input a continuation is given; nil when Invalid.
	Items []json.RawMessage
	// Invalid says why the event or its input failed validation (the
	// message of an invalid_input failure); "" when it is valid.
	Invalid string
}

// steerFields are the only members response.steer takes.
var steerFields = []string{"type", "previous_response_id", "input"}

// steerContentTypes are the content parts steering input may hold.
var steerContentTypes = []string{"input_text", "input_image", "input_file"}

// decodeSteer reads the members ev of a response.steer event. It never
// fails: an event that does not follow the spec comes back with Invalid
// set, to be answered with response.steer.failed (invalid_input).
func decodeSteer(ev map[string]json.RawMessage) *Steer {
	st := &Steer{Input: ev["input"]}
	if isNull(st.Input) {
		st.Input = nil
	}
	prevOK := json.Unmarshal(ev["previous_response_id"], &st.PreviousResponseID) == nil && st.PreviousResponseID != ""
	switch {
	case ev["stream_id"] != nil:
		st.Invalid = "response.steer takes no stream_id: the response it steers runs on its own lane, and the steering events go to that lane. Leave stream_id out."
	case unknownField(ev) != "":
		st.Invalid = "Unknown parameter: '" + llm.Clip(unknownField(ev)) + "'. response.steer accepts only type, previous_response_id and input."
	case !prevOK:
		st.PreviousResponseID = ""
		st.Invalid = "Missing required parameter: 'previous_response_id': a non-empty string, the id of the response to steer on this connection."
	default:
		st.Items, st.Invalid = steerItems(st.Input)
	}
	if st.Invalid != "" {
		st.Items = nil
	}
	return st
}

// unknownField returns a member of ev that response.steer does not
// take (the first in byte order), or "".
func unknownField(ev map[string]json.RawMessage) string {
	var bad []string
	for k := range ev {
		if !slices.Contains(steerFields, k) {
			bad = append(bad, k)
		}
	}
	if len(bad) == 0 {
		return ""
	}
	slices.Sort(bad)
	return bad[0]
}

// steerItems checks a steer's input (raw) and returns it as a list of
// user messages, or why it is invalid.
func steerItems(raw json.RawMessage) ([]json.RawMessage, string) {
	switch first(raw) {
	case 0:
		return nil, "Missing required parameter: 'input'."
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil || s == "" {
			return nil, "Invalid 'input': an empty string. Send the steering text, or a non-empty array of user messages."
		}
		msg, _ := json.Marshal(map[string]json.RawMessage{"type": json.RawMessage(`"message"`), "role": json.RawMessage(`"user"`), "content": raw})
		return []json.RawMessage{msg}, ""
	case '[':
	default:
		return nil, "Invalid type for 'input': expected a string or an array of user messages, but got " + kindOf(raw) + " instead."
	}
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil, "Invalid 'input': not a valid JSON array."
	}
	if len(items) == 0 || len(items) > MaxSteerItems {
		return nil, "Invalid 'input': expected an array of 1 to " + strconv.Itoa(MaxSteerItems) + " user messages, but got " + strconv.Itoa(len(items)) + "."
	}
	for i, it := range items {
		if msg := steerMessage(it, "input["+strconv.Itoa(i)+"]"); msg != "" {
			return nil, msg
		}
	}
	return items, ""
}

// steerMessage checks one item of a steer's input at path: a message of
// role user with only type ("message"), role and content, its content a
// string or input_text, input_image and input_file parts. It returns why
// the item is invalid, or "".
func steerMessage(raw json.RawMessage, path string) string {
	var m map[string]json.RawMessage
	if first(raw) != '{' || json.Unmarshal(raw, &m) != nil {
		return "Invalid type for '" + path + "': expected a user message object, but got " + kindOf(raw) + " instead."
	}
	for k := range m {
		if k != "type" && k != "role" && k != "content" {
			return "Unknown parameter: '" + path + "." + llm.Clip(k) + "'. A steering message takes only type, role and content."
		}
	}
	var typ, role string
	if t, ok := m["type"]; ok && (json.Unmarshal(t, &typ) != nil || typ != "message") {
		return "Invalid value for '" + path + ".type': steering input holds only items of type 'message'; tool outputs and other items go in response.create."
	}
	if json.Unmarshal(m["role"], &role) != nil || role != "user" {
		return "Invalid value for '" + path + ".role': steering accepts only messages with the 'user' role."
	}
	if msg := steerParts(m["content"], path+".content"); msg != "" {
		return msg
	}
	if _, err := decodeContent(m["content"], llm.RoleUser, path+".content"); err != nil {
		return llm.AsError(err).Message
	}
	return ""
}

// steerParts checks the types of a steering message's content parts:
// input_text, input_image and input_file only.
func steerParts(raw json.RawMessage, path string) string {
	if first(raw) != '[' {
		return ""
	}
	var parts []struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(raw, &parts) != nil {
		return ""
	}
	for i, p := range parts {
		if !slices.Contains(steerContentTypes, p.Type) {
			return "Invalid value for '" + path + "[" + strconv.Itoa(i) + "].type': steering content holds only input_text, input_image and input_file parts."
		}
	}
	return ""
}

// SuccessorBody returns the body of the response.create an automatic
// successor stands for: body (the steered response's create, as the
// router ran it) with input the steers' items, in submission order, and
// previous_response_id the steered response, its other settings kept.
func SuccessorBody(body []byte, parent string, steers []*Steer) []byte {
	var ev map[string]json.RawMessage
	if json.Unmarshal(body, &ev) != nil || ev == nil {
		ev = map[string]json.RawMessage{}
	}
	ev["input"] = joinSteers(nil, steers, nil)
	ev["previous_response_id"], _ = json.Marshal(parent)
	out, _ := json.Marshal(ev) // of decoded raw values: cannot fail
	return out
}

// PrependInput returns body (a response.create's) with the steers'
// items put before its own input, its settings kept. A string input
// becomes a user message after them. The results of the steered
// response's calls that lead the input (function_call_output and the
// other call outputs) stay first, the steers right after them: every
// upstream API wants a call's result right after the call, which OpenAI's
// own Responses API does not. A body that is not a JSON object is
// returned as it is, for the create's decoder to refuse.
func PrependInput(body []byte, steers []*Steer) []byte {
	var ev map[string]json.RawMessage
	if json.Unmarshal(body, &ev) != nil || ev == nil {
		return body
	}
	var own []json.RawMessage
	switch in := ev["input"]; first(in) {
	case '"':
		msg, _ := json.Marshal(map[string]json.RawMessage{"role": json.RawMessage(`"user"`), "content": in})
		own = []json.RawMessage{msg}
	case '[':
		if json.Unmarshal(in, &own) != nil {
			return body
		}
	case 0, 'n':
	default:
		return body // not an input: the decoder says so
	}
	k := leadingResults(own)
	ev["input"] = joinSteers(own[:k:k], steers, own[k:])
	out, _ := json.Marshal(ev)
	return out
}

// leadingResults counts the call results that lead items.
func leadingResults(items []json.RawMessage) int {
	for i, it := range items {
		var v struct {
			Type string `json:"type"`
		}
		json.Unmarshal(it, &v)
		if !strings.HasSuffix(v.Type, "_output") && v.Type != "mcp_approval_response" {
			return i
		}
	}
	return len(items)
}

// joinSteers is the JSON array of head's items, the steers', then
// tail's.
func joinSteers(head []json.RawMessage, steers []*Steer, tail []json.RawMessage) json.RawMessage {
	all := head
	for _, st := range steers {
		all = append(all, st.Items...)
	}
	all = append(all, tail...)
	b, _ := json.Marshal(all)
	return b
}

// PreviousResponseID returns the previous_response_id of a
// response.create's body, or "".
func PreviousResponseID(body []byte) string {
	var b struct {
		Prev string `json:"previous_response_id"`
	}
	json.Unmarshal(body, &b)
	return b.Prev
}
