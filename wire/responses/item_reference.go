package responses

import (
	"encoding/json"
	"fmt"
	"strings"

	"switchyard/llm"
)

// This file is the item_reference input item: {"type":"item_reference",
// "id":…} stands for an item the router stored for the caller's tenant,
// sent in its place. An item of a stored response (its input or output,
// or its chain's) is found through its id, which names the response
// (InputID, IDs: msg_<base>_i0, fc_<base>_1…): the Loader of
// previous_response_id, scoped to the tenant, reads that response's
// conversation. An item of the conversation the request is made in is
// found among its items. Anything else (another tenant's, an unknown id,
// an item added to another conversation) is a 404. A response stores the
// item itself, not the reference, so that its continuation does not
// depend on the referenced response living on.

// ItemReference is the item_reference item's type.
const ItemReference = "item_reference"

// itemReferenceItem is an item_reference input item (its type may be
// left out, or null, as the spec allows).
type itemReferenceItem struct {
	Type *string `json:"type"`
	ID   *string `json:"id"`
}

// refResolver finds the items that item references name.
type refResolver struct {
	// load reads a stored response's conversation (Stored.Previous);
	// nil: the router keeps none.
	load Loader
	// conv is the items of the conversation the request is made in; nil
	// for none.
	conv json.RawMessage
	// find finds an item of the caller's conversations by id
	// (Stored.Item); nil: none is.
	find func(id string) (json.RawMessage, error)
	// found are the items resolved, by id (StoredInput keeps them).
	found map[string]json.RawMessage
}

// resolve returns the stored item id names, nil when there is none for
// the caller; an error is the store's failure.
func (rr *refResolver) resolve(id string) (json.RawMessage, error) {
	if it := findItem(rr.conv, id); it != nil {
		return it, nil
	}
	if it, err := rr.inResponse(id); it != nil || err != nil {
		return it, err
	}
	if rr.find == nil {
		return nil, nil
	}
	return rr.find(id)
}

// inResponse returns the item id of the stored response its id names
// (its conversation, the chain included); nil when there is none.
func (rr *refResolver) inResponse(id string) (json.RawMessage, error) {
	base := itemBase(id)
	if rr.load == nil || base == "" {
		return nil, nil
	}
	prior, err := rr.load("resp_" + base)
	if err != nil {
		if e := llm.AsError(err); e.Kind == llm.KindInvalidRequest || e.Kind == llm.KindNotFound {
			return nil, nil // not the caller's response, or gone
		}
		return nil, err
	}
	return findItem(JoinItems(prior.Input, prior.Output), id), nil
}

// itemBase returns the base of the response an item id names: what
// follows its type's prefix, up to the item's index ("" when id has no
// prefix).
func itemBase(id string) string {
	_, rest, ok := strings.Cut(id, "_")
	if !ok {
		return ""
	}
	base, _, _ := strings.Cut(rest, "_")
	return base
}

// findItem returns the item of the JSON array items whose id is id; nil
// when none is.
func findItem(items json.RawMessage, id string) json.RawMessage {
	if len(items) == 0 {
		return nil
	}
	var all []json.RawMessage
	if json.Unmarshal(items, &all) != nil {
		return nil
	}
	for _, it := range all {
		var h struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(it, &h) == nil && h.ID == id {
			return it
		}
	}
	return nil
}

// itemReference decodes an item_reference at path: the item it names,
// decoded in its place.
func (d *inputDecoder) itemReference(raw json.RawMessage, path string) error {
	var ir itemReferenceItem
	if err := decodeStrict(raw, path, &ir); err != nil {
		return err
	}
	if ir.ID == nil || *ir.ID == "" {
		return invalid(path+".id", "Missing required parameter: '%s.id'.", path)
	}
	switch c := d.config; {
	case c == nil || !c.resolving:
		return unsupported(path+".type", "Item references are resolved in a request's 'input' only: send the item itself here.")
	case c.refs.load == nil && c.refs.conv == nil && c.refs.find == nil:
		return unsupported(path+".type", "Item references are not supported while this router keeps no responses (responses.store is false, or store.driver is none): send the item itself.")
	}
	it, err := d.config.refs.resolve(*ir.ID)
	if err != nil {
		return err
	}
	if it == nil {
		e := llm.Errorf(llm.KindNotFound, "Item with id '%s' not found.", llm.Clip(*ir.ID))
		e.Param = path + ".id"
		return e
	}
	if d.config.refs.found == nil {
		d.config.refs.found = make(map[string]json.RawMessage, 2)
	}
	d.config.refs.found[*ir.ID] = it
	return d.item(it, path)
}

// resolveRefs puts in items (canonical maps) the item refs holds for
// each item reference's id.
func resolveRefs(items []map[string]json.RawMessage, refs map[string]json.RawMessage) error {
	for i, it := range items {
		if t, ok := it["type"]; !ok || string(t) != `"`+ItemReference+`"` {
			continue
		}
		var id string
		json.Unmarshal(it["id"], &id) //nolint:errcheck // decoded before: a string
		resolved, err := canonicalItems(JoinItems(json.RawMessage("[" + string(refs[id]) + "]")))
		if err != nil || len(resolved) != 1 {
			return fmt.Errorf("responses: the item %q a reference named is gone: %v", id, err)
		}
		items[i] = resolved[0]
	}
	return nil
}
