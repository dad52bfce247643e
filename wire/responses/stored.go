package responses

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// This file holds what a stored response keeps for the requests that
// continue it (previous_response_id): its turn as Responses items, each
// with an id, in two JSON arrays. StoredInput is the items the request
// added to the conversation it continued, StoredOutput the output items
// the next turn carries. The store keeps a continuation after the
// response it continued (a chain, docs/store.md), and a Loader returns
// the conversation a response ended as a Prior (JoinItems of the chain's
// arrays); a continuation decodes it, then its own input, as one
// conversation (continued). The instructions are never stored, so a
// continuation's own instructions, or none, apply.

// continued decodes the conversation that the stored response id ended,
// which load returns, into messages, adding its function calls to calls
// and its configuration updates' settings to cfg; open opens its
// reasoning items.
func continued(id string, load Loader, calls map[string]bool, open *Sealer, cfg *turnConfig) (*Prior, []llm.Message, error) {
	prior, err := load(id)
	if err != nil {
		return nil, nil, err
	}
	items := joinArrays(prior.Input, prior.Output)
	if len(items) == 2 { // []: nothing to continue
		return prior, nil, nil
	}
	msgs, err := decodeInput(items, calls, open, cfg)
	if err != nil {
		e := llm.Wrap(llm.KindInternal, err, "The stored conversation of previous_response_id '"+id+"' could not be read.")
		e.Param = "previous_response_id"
		return nil, nil, e
	}
	return prior, msgs, nil
}

// joinArrays returns one JSON array of the elements of the arrays a and
// b (either may be empty or absent).
func joinArrays(a, b json.RawMessage) json.RawMessage { return JoinItems(a, b) }

// JoinItems returns one JSON array of the elements of arrays, in order
// (any may be empty or absent), copying each once.
func JoinItems(arrays ...json.RawMessage) json.RawMessage {
	inners, size := make([][]byte, len(arrays)), 2
	for i, a := range arrays {
		if a = bytes.TrimSpace(a); len(a) >= 2 {
			inners[i] = bytes.TrimSpace(a[1 : len(a)-1])
			size += len(inners[i]) + 1
		}
	}
	out := make([]byte, 1, size)
	out[0] = '['
	for _, in := range inners {
		if len(in) == 0 {
			continue
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(out, in...)
	}
	return append(out, ']')
}

// InputID is the id a stored input item gets: the n-th item (from 0) of
// the input of the response ids names, of type typ.
func (ids IDs) InputID(typ string, n int) string {
	return itemPrefix(typ) + ids.Base + "_i" + strconv.Itoa(n)
}

// StoredInput returns the items r adds to the conversation it continued
// (all of it when it continued none), as a JSON array: r's input, each
// item with an id of ids (InputID: ids the client sent are replaced, so
// that every id is unique in the conversation), its type and status, and
// a string content made the parts it stands for. A stored response keeps
// them after its parent's conversation (Continued).
func StoredInput(r *Request, ids IDs) (json.RawMessage, error) {
	return normalInput(r.Input, ids.InputID, r.config.refs.found)
}

// Continued returns the items of the conversation r continued, as a JSON
// array (its Prior's input, then output), or nil when r continued none.
// With StoredInput after it, they are everything r's model was given
// besides the instructions.
func (r *Request) Continued() json.RawMessage {
	if r.prior == nil {
		return nil
	}
	return joinArrays(r.prior.Input, r.prior.Output)
}

// normalInput returns input (a string, or an array of items that
// decoded) as items with ids, in a JSON array: the n-th item, of type
// typ, gets idOf(typ, n). An item reference is the item refs holds for
// its id.
func normalInput(input json.RawMessage, idOf func(typ string, n int) string, refs map[string]json.RawMessage) (json.RawMessage, error) {
	switch first(input) {
	case 0, 'n': // a stored prompt was the input
		return json.RawMessage("[]"), nil
	case '"':
		var s string
		if err := json.Unmarshal(input, &s); err != nil {
			return nil, err
		}
		text, _ := json.Marshal(s)
		return json.Marshal([]map[string]json.RawMessage{{
			"id": quoted(idOf("message", 0)), "type": quoted("message"), "role": quoted("user"),
			"status": quoted(StatusCompleted), "content": inputTextPart(text, "user"),
		}})
	}
	items, err := canonicalItems(input)
	if err != nil {
		return nil, err
	}
	items = slices.DeleteFunc(items, func(it map[string]json.RawMessage) bool { return string(it["type"]) == `"`+ItemCompactionTrigger+`"` })
	if err := resolveRefs(items, refs); err != nil {
		return nil, err
	}
	for i, it := range items {
		typ := "message"
		if t, ok := it["type"]; ok {
			json.Unmarshal(t, &typ) //nolint:errcheck // decoded before: a string
		}
		if c, ok := it["call_id"]; (!ok || string(c) == "null") && typ == "local_shell_call_output" {
			it["call_id"] = it["id"] // its id names the call it answers
		}
		if _, hosted := hostedItems[typ]; !hosted && !agentTagged(it["agent"]) || it["id"] == nil || string(it["id"]) == "null" {
			it["id"] = quoted(idOf(typ, i)) // a hosted item keeps OpenAI's id
		}
		it["type"] = quoted(typ)
		if _, ok := it["status"]; (!ok || string(it["status"]) == "null") && statuslessPrefixes[typ] == "" && !multiAgentItems[typ] {
			it["status"] = quoted(StatusCompleted)
		}
		if c := it["content"]; typ == "message" && first(c) == '"' {
			var role string
			json.Unmarshal(it["role"], &role) //nolint:errcheck // decoded before: a string
			it["content"] = inputTextPart(c, role)
		}
	}
	return json.Marshal(items)
}

// itemFieldNames are the names of the input items' fields.
var itemFieldNames = []string{"type", "id", "role", "content", "status", "phase", "call_id", "name", "arguments", "output", "input", "summary", "encrypted_content",
	"action", "operation", "environment", "caller", "max_output_length", "reasoning", "text", "tools"}

// canonicalItems returns the items of the array input (items that
// decoded) as maps keyed by their fields' own names: encoding/json, which
// decoded them, matches a name whatever its case ("tYpe" is type), the
// last of two such keys winning, and so does this.
func canonicalItems(input json.RawMessage) ([]map[string]json.RawMessage, error) {
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(input, &items); err != nil {
		return nil, err
	}
	for _, it := range items {
		for k := range it {
			if !slices.Contains(itemFieldNames, k) {
				return namedItems(input)
			}
		}
	}
	return items, nil
}

// namedItems is canonicalItems of items with a key in another case, read
// in order.
func namedItems(input json.RawMessage) ([]map[string]json.RawMessage, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(input, &raws); err != nil {
		return nil, err
	}
	items := make([]map[string]json.RawMessage, len(raws))
	for i, raw := range raws {
		dec := json.NewDecoder(bytes.NewReader(raw))
		if _, err := dec.Token(); err != nil { // {
			return nil, err
		}
		it := make(map[string]json.RawMessage, 6)
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return nil, err
			}
			it[fieldName(k.(string))] = v
		}
		items[i] = it
	}
	return items, nil
}

// fieldName returns the item field that key names, whatever its case, or
// key.
func fieldName(key string) string {
	for _, f := range itemFieldNames {
		if strings.EqualFold(key, f) {
			return f
		}
	}
	return key
}

// inputTextPart returns the content parts a string content text (JSON)
// stands for: an output_text part in an assistant's message, an
// input_text part in the others.
func inputTextPart(text json.RawMessage, role string) json.RawMessage {
	if role == "assistant" {
		return json.RawMessage(`[{"type":"output_text","annotations":[],"text":` + string(text) + `}]`)
	}
	return json.RawMessage(`[{"type":"input_text","text":` + string(text) + `}]`)
}

func quoted(s string) json.RawMessage { return jsonw.String(nil, s) }

// StoredOutput returns the output items of out that the next turn
// carries, as a JSON array: none for a failed response (its partial
// output is not carried), and no message that holds neither text nor
// refusal (an empty assistant turn, which several providers refuse).
func StoredOutput(out *Output) json.RawMessage {
	dst := []byte{'['}
	if out.Status != StatusFailed {
		n := 0
		for i := range out.Items {
			it := &out.Items[i]
			if it.Type == ItemMessage && it.Text == "" && it.Refusal == "" {
				continue
			}
			if n > 0 {
				dst = append(dst, ',')
			}
			dst = appendItem(dst, it, itemStatus(out.Status), true)
			n++
		}
	}
	return append(dst, ']')
}
