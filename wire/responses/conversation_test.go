package responses

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"switchyard/llm"
)

// convItems is a conversation's items as a Loader returns them: a user's
// message, a function call and its output, an answer.
const convItems = `[{"id":"msg_a","type":"message","role":"user","status":"completed","content":[{"type":"input_text","text":"Weather in Paris?"}]},` +
	`{"id":"fc_b","type":"function_call","status":"completed","call_id":"call_9","name":"get_weather","arguments":"{}"},` +
	`{"id":"fco_c","type":"function_call_output","status":"completed","call_id":"call_9","output":"21C"},` +
	`{"id":"msg_d","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","annotations":[],"text":"It is 21C."}]}]`

// inConv decodes body made in conversation conv_1, whose items are items
// (up to position 7).
func inConv(body, items string) (*Request, error) {
	return DecodeRequestStored([]byte(body), Stored{
		Previous: func(id string) (*Prior, error) { return nil, PreviousNotFound(id) },
		Conversation: func(id string) (*Prior, error) {
			if id != "conv_1" {
				return nil, ConversationNotFound(id, "conversation")
			}
			return &Prior{Input: json.RawMessage(items), Position: 7}, nil
		},
	})
}

// A request made in a conversation, by id or as an object: the
// conversation's items, then the input, after the instructions; the
// position it read up to.
func TestDecodeInConversation(t *testing.T) {
	for _, conv := range []string{`"conv_1"`, `{"id":"conv_1"}`} {
		r, err := inConv(`{"model":"m","instructions":"Be terse.","conversation":`+conv+`,"input":"And in Rome?"}`, convItems)
		if err != nil {
			t.Fatalf("%s: %v", conv, err)
		}
		msgs := r.Chat.Messages
		if len(msgs) != 6 || msgs[0].Text() != "Be terse." || msgs[1].Text() != "Weather in Paris?" ||
			len(msgs[2].ToolCalls()) != 1 || msgs[3].ToolCallID() != "call_9" || msgs[3].Text() != "21C" ||
			msgs[4].Role != llm.RoleAssistant || msgs[4].Text() != "It is 21C." || msgs[5].Text() != "And in Rome?" {
			t.Fatalf("%s: messages %+v", conv, msgs)
		}
		if r.Conversation != "conv_1" || r.ConversationPosition() != 7 || r.PreviousResponseID != "" || r.Continued() == nil {
			t.Errorf("%s: conversation %q at %d", conv, r.Conversation, r.ConversationPosition())
		}
	}
	r, err := inConv(`{"model":"m","conversation":"conv_1","input":"hi"}`, `[]`)
	if err != nil || len(r.Chat.Messages) != 1 || r.ConversationPosition() != 7 {
		t.Fatalf("an empty conversation: %+v, %v", r, err)
	}
	plain, err := DecodeRequest([]byte(`{"model":"m","input":"hi"}`))
	if err != nil || plain.Conversation != "" || plain.ConversationPosition() != 0 {
		t.Errorf("no conversation: %+v, %v", plain, err)
	}
}

// The conversation parameter's refusals, in OpenAI's shapes.
func TestDecodeConversationErrors(t *testing.T) {
	for _, c := range []struct {
		body, items, param, code, msg string
		status                        int
	}{
		{`{"model":"m","conversation":"conv_404","input":"hi"}`, convItems, "conversation", "", "Conversation with id 'conv_404' not found.", 404},
		{`{"model":"m","conversation":"conv_1","previous_response_id":"resp_1","input":"hi"}`, convItems, "", "mutually_exclusive_parameters", "only providing one of: 'previous_response_id' or 'conversation'", 400},
		{`{"model":"m","conversation":7,"input":"hi"}`, convItems, "conversation", "", "expected one of a string or an object", 400},
		{`{"model":"m","conversation":{},"input":"hi"}`, convItems, "conversation.id", "", "Missing required parameter", 400},
		{`{"model":"m","conversation":{"id":"conv_1","x":1},"input":"hi"}`, convItems, "conversation.x", "unknown_parameter", "Unknown parameter", 400},
		{`{"model":"m","conversation":"","input":"hi"}`, convItems, "conversation", "", "empty string", 400},
		{`{"model":"m","conversation":"conv_1","input":"hi"}`, `[{"id":"fco_c","type":"function_call_output","call_id":"call_9","output":"21C"}]`, "conversation", "", "No function call found", 400},
	} {
		_, err := inConv(c.body, c.items)
		var e *llm.Error
		if !errors.As(err, &e) || e.Param != c.param || e.Code != c.code || !strings.Contains(e.Message, c.msg) || e.HTTPStatus() != c.status {
			t.Errorf("%s: %#v, want %d %q at %q (%s)", c.body, err, c.status, c.msg, c.param, c.code)
		}
	}
}

// The response object says its conversation, or null.
func TestResponseNamesConversation(t *testing.T) {
	r, _ := DecodeRequest([]byte(`{"model":"m","input":"hi"}`))
	out := Output{Status: StatusCompleted}
	for conv, want := range map[string]string{"conv_1": `"conversation":{"id":"conv_1"}`, "": `"conversation":null`} {
		b := AppendResponse(nil, r, &Meta{IDs: IDs{Base: "b"}, Conversation: conv}, &out)
		if !json.Valid(b) || !strings.Contains(string(b), want) {
			t.Errorf("conversation %q: %s", conv, b)
		}
	}
}

// The bodies of the Conversations API and their refusals.
func TestDecodeConversationBodies(t *testing.T) {
	twenty := strings.Repeat(`{"role":"user","content":"x"},`, 20)
	b, err := DecodeNewConversation([]byte(`{"metadata":{"topic":"demo"},"items":[` + twenty[:len(twenty)-1] + `]}`))
	if err != nil || b.Metadata["topic"] != "demo" || len(b.Items) == 0 {
		t.Fatalf("create: %+v, %v", b, err)
	}
	if b, err := DecodeNewConversation(nil); err != nil || b.Items != nil || b.Metadata != nil {
		t.Fatalf("an empty body: %+v, %v", b, err)
	}
	if md, err := DecodeUpdateConversation([]byte(`{"metadata":null}`)); err != nil || len(md) != 0 {
		t.Fatalf("update to none: %v, %v", md, err)
	}
	if items, err := DecodeAddItems([]byte(`{"items":[{"type":"function_call_output","call_id":"c","output":"r"}]}`)); err != nil || len(items) == 0 {
		t.Fatalf("an output whose call the conversation holds: %s, %v", items, err)
	}
	many := `{` + strings.Repeat(`"k":"v",`, 0)
	for i := range 17 {
		many += `"k` + string(rune('a'+i)) + `":"v",`
	}
	many = many[:len(many)-1] + `}`
	for _, c := range []struct {
		decode      func([]byte) error
		body, param string
	}{
		{newConv, `{"items":[` + twenty + `{"role":"user","content":"x"}]}`, "items"},
		{newConv, `{"metadata":` + many + `}`, "metadata"},
		{newConv, `{"metadata":{"k":"` + strings.Repeat("v", 513) + `"}}`, "metadata.k"},
		{newConv, `{"items":"hi"}`, "items"},
		{newConv, `{"items":[{"role":"robot","content":"x"}]}`, "items[0].role"},
		{newConv, `{"items":[{"type":"reasoning","summary":{}}]}`, "items[0].summary"},
		{newConv, `{"bogus":1}`, "bogus"},
		{addItems, `{}`, "items"},
		{addItems, `{"items":[` + twenty + `{"role":"user","content":"x"}]}`, "items"},
		{addItems, `{"items":[{"type":"function_call","name":"f"}]}`, "items[0].call_id"},
		{update, `{}`, "metadata"},
		{update, `{"metadata":{"a":1}}`, "metadata"},
		{update, `{"metadata":{"a":"b"},"items":[]}`, "items"},
	} {
		var e *llm.Error
		if err := c.decode([]byte(c.body)); !errors.As(err, &e) || e.Param != c.param || e.HTTPStatus() != 400 || e.Message == "" {
			t.Errorf("%.80s: %#v, want a 400 at %q", c.body, err, c.param)
		}
	}
}

func newConv(b []byte) error           { _, err := DecodeNewConversation(b); return err }
func addItems(b []byte) error          { _, err := DecodeAddItems(b); return err }
func update(b []byte) error            { _, err := DecodeUpdateConversation(b); return err }
func itemID(typ string) *regexp.Regexp { return regexp.MustCompile(`^` + typ + `_[0-9a-f]{48}$`) }

// Items added to a conversation get new ids of OpenAI's shape (those
// sent are replaced), a string content the parts it stands for; they
// decode again as input.
func TestNewItems(t *testing.T) {
	items, err := NewItems(json.RawMessage(`[{"role":"user","content":"hi","id":"mine"},{"type":"function_call","call_id":"c","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c","output":"r"},{"role":"assistant","content":"ok"}]`))
	if err != nil || len(items) != 4 {
		t.Fatalf("NewItems: %v, %v", items, err)
	}
	for i, prefix := range []string{"msg", "fc", "fco", "msg"} {
		var h struct {
			ID, Status string
		}
		if json.Unmarshal(items[i].JSON, &h) != nil || !itemID(prefix).MatchString(items[i].ID) || h.ID != items[i].ID || h.Status != StatusCompleted {
			t.Errorf("item %d: id %q in %s", i, items[i].ID, items[i].JSON)
		}
	}
	if !strings.Contains(string(items[0].JSON), `"content":[{"type":"input_text","text":"hi"}]`) ||
		!strings.Contains(string(items[3].JSON), `"type":"output_text"`) {
		t.Errorf("string contents: %s, %s", items[0].JSON, items[3].JSON)
	}
	if id := NewConversationID(); !itemID("conv").MatchString(id) || id == NewConversationID() {
		t.Errorf("conversation id %q", id)
	}
	list := AppendItemList(nil, items[:2], true)
	var l struct {
		Object, FirstID, LastID string
		HasMore                 bool `json:"has_more"`
	}
	if err := json.Unmarshal(list, &l); err != nil || l.Object != "list" || !l.HasMore {
		t.Errorf("list %s: %v", list, err)
	}
	if empty := AppendItemList(nil, nil, false); string(empty) != `{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}` {
		t.Errorf("an empty list: %s", empty)
	}
}
