package responses

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"switchyard/llm"
)

// An item_reference (its type may be left out, as openai-go leaves it)
// is the stored item its id names, decoded in its
// place: an input or output item of a stored response of the caller's
// (found through the response its id names), or an item of the
// conversation the request is made in. The stored input keeps the item,
// not the reference.
func TestItemReferenceResolves(t *testing.T) {
	first := turn(t, `{"model":"m","input":"What is the weather in Paris?"}`, nil)
	in, err := StoredInput(first, IDs{Base: "1"})
	if err != nil {
		t.Fatal(err)
	}
	out := Output{Status: StatusCompleted, Items: []Item{{Type: ItemFunctionCall, ID: "fc_1_0", CallID: "call_9", Name: "get_weather", Arguments: `{"city":"Paris"}`}}}
	prior := &Prior{Input: in, Output: StoredOutput(&out)}
	r := turn(t, `{"model":"m","input":[{"id":"msg_1_i0"},{"type":"item_reference","id":"fc_1_0"},{"type":"function_call_output","call_id":"call_9","output":"21C"}]}`, prior)
	msgs := r.Chat.Messages
	if len(msgs) != 3 || msgs[0].Text() != "What is the weather in Paris?" || len(msgs[1].ToolCalls()) != 1 || msgs[1].ToolCalls()[0].ID != "call_9" || msgs[2].ToolCallID() != "call_9" {
		t.Fatalf("messages %+v", msgs)
	}
	own, err := StoredInput(r, IDs{Base: "2"})
	if err != nil || strings.Contains(string(own), "item_reference") || !strings.Contains(string(own), `"id":"msg_2_i0"`) || !strings.Contains(string(own), `"id":"fc_2_i1"`) {
		t.Fatalf("stored input %s (%v)", own, err)
	}

	conv := Stored{Previous: func(id string) (*Prior, error) { return nil, PreviousNotFound(id) }, Conversation: func(string) (*Prior, error) {
		return &Prior{Input: json.RawMessage(`[{"type":"message","id":"msg_0123abcd","role":"user","content":[{"type":"input_text","text":"My name is Ada."}],"status":"completed"}]`)}, nil
	}}
	c, err := DecodeRequestStored([]byte(`{"model":"m","conversation":"conv_1","input":[{"type":"item_reference","id":"msg_0123abcd"},{"role":"user","content":"Again?"}]}`), conv)
	if err != nil || len(c.Chat.Messages) != 3 || c.Chat.Messages[1].Text() != "My name is Ada." {
		t.Fatalf("in a conversation: %v %+v", err, c)
	}
}

// An item of the caller's conversations, referenced outside them, is
// found by its id alone (Stored.Item), once no stored response holds it.
func TestItemReferenceFoundByID(t *testing.T) {
	s := Stored{Previous: func(id string) (*Prior, error) { return nil, PreviousNotFound(id) }, Item: func(id string) (json.RawMessage, error) {
		if id == "msg_0123abcd" {
			return json.RawMessage(`{"type":"message","id":"msg_0123abcd","role":"user","content":[{"type":"input_text","text":"I live in Lima."}],"status":"completed"}`), nil
		}
		return nil, nil
	}}
	r, err := DecodeRequestStored([]byte(`{"model":"m","input":[{"id":"msg_0123abcd"},{"role":"user","content":"Where?"}]}`), s)
	if err != nil || len(r.Chat.Messages) != 2 || r.Chat.Messages[0].Text() != "I live in Lima." {
		t.Fatalf("%v %+v", err, r)
	}
	_, err = DecodeRequestStored([]byte(`{"model":"m","input":[{"id":"msg_ffff"}]}`), s)
	if e := llm.AsError(err); e == nil || e.Kind != llm.KindNotFound {
		t.Errorf("an unknown id: %v", err)
	}
}

// An id naming no item of the caller's is a 404 at the reference's id; a
// reference where items are kept is refused; a malformed one is a 400.
func TestItemReferenceErrors(t *testing.T) {
	load := func(id string) (*Prior, error) {
		if id == "resp_1" {
			return &Prior{Input: json.RawMessage(`[{"type":"message","id":"msg_1_i0","role":"user","content":"Hi","status":"completed"}]`)}, nil
		}
		return nil, PreviousNotFound(id) // another tenant's, or none
	}
	for _, id := range []string{"msg_1_i7", "msg_2_i0", "nounderscore", "msg_"} {
		_, err := DecodeRequestWith([]byte(`{"model":"m","input":[{"role":"user","content":"a"},{"type":"item_reference","id":"`+id+`"}]}`), load)
		var e *llm.Error
		if !errors.As(err, &e) || e.Kind != llm.KindNotFound || e.HTTPStatus() != 404 || e.Param != "input[1].id" || e.Message != "Item with id '"+id+"' not found." {
			t.Errorf("%s: %v", id, err)
		}
	}
	_, err := DecodeRequestWith([]byte(`{"model":"m","input":[{"type":"item_reference","id":"msg_1_i0"}]}`), func(string) (*Prior, error) {
		return nil, llm.Errorf(llm.KindInternal, "the store is down")
	})
	if e := llm.AsError(err); e == nil || e.Kind != llm.KindInternal {
		t.Errorf("a store failure: %v", err)
	}
	wantDecodeError(t, `{"model":"m","input":[{"type":"item_reference"}]}`, "input[0].id", "Missing required parameter")
	wantDecodeError(t, `{"model":"m","input":[{"type":"item_reference","id":"x","role":"user"}]}`, "input[0].role", "Unknown parameter")
	if _, err := DecodeAddItems([]byte(`{"items":[{"type":"item_reference","id":"msg_1_i0"}]}`)); err == nil || !strings.Contains(err.Error(), "send the item itself") {
		t.Errorf("a reference added to a conversation: %v", err)
	}
}
