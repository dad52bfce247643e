package responses

import (
	"encoding/json"
	"errors"
	"testing"

	"switchyard/llm"
)

// conversationSeeds are bodies of the Conversations API, well formed or
// not, for FuzzConversationBodies.
var conversationSeeds = []string{
	`{"metadata":{"topic":"demo"},"items":[{"type":"message","role":"user","content":"Hello!"}]}`,
	`{"items":[{"type":"message","role":"user","content":[{"type":"input_text","text":"Hello!"}]},{"type":"message","role":"user","content":[{"type":"input_text","text":"How are you?"}]}]}`,
	`{"items":[{"type":"function_call","call_id":"c","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c","output":[{"type":"input_text","text":"r"}]}]}`,
	`{"items":[{"type":"function_call_output","call_id":"elsewhere","output":"r"},{"role":"assistant","id":"msg_1","status":"completed","content":[{"type":"output_text","text":"x","annotations":[]}]}]}`,
	`{"metadata":null,"items":null}`, `{"metadata":{"a":1}}`, `{"items":"x"}`, `{"items":[{"type":"reasoning"}]}`,
	`{"items":[{"role":"user","content":[{"type":"input_file","file_data":"data:application/pdf;base64,JVBERi0="}]}]}`,
	``, `{}`, `[]`, `{`, `null`, `{"items":[{"role":"user","content":"\ud800"}]}`,
}

// FuzzConversationBodies: the Conversations API's decoders never panic;
// they either fail with an invalid_request error that says something, or
// yield items that, kept (NewItems), each carry their id, decode again
// as a conversation's items and list as valid JSON; and a request made in
// the conversation holding them decodes or fails likewise.
func FuzzConversationBodies(f *testing.F) {
	for _, s := range conversationSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		wantInvalid := func(err error) {
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Message == "" {
				t.Fatalf("error %#v", err)
			}
		}
		if _, err := DecodeUpdateConversation(data); err != nil {
			wantInvalid(err)
		}
		if _, err := DecodeAddItems(data); err != nil {
			wantInvalid(err)
		}
		b, err := DecodeNewConversation(data)
		if err != nil {
			wantInvalid(err)
			return
		}
		if md := MetadataJSON(b.Metadata); !json.Valid(AppendConversation(nil, "conv_1", 1, md)) {
			t.Fatalf("conversation object of metadata %s", md)
		}
		items, err := NewItems(b.Items)
		if err != nil {
			t.Fatalf("NewItems of items that checked: %v", err)
		}
		arr := []byte{'['}
		for i, it := range items {
			var h struct{ ID string }
			if json.Unmarshal(it.JSON, &h) != nil || h.ID != it.ID || it.ID == "" {
				t.Fatalf("item %d without its id: %s", i, it.JSON)
			}
			if i > 0 {
				arr = append(arr, ',')
			}
			arr = append(arr, it.JSON...)
		}
		arr = append(arr, ']')
		if _, err := decodeItemsAt(arr, nil, nil, nil, "items"); err != nil {
			t.Fatalf("kept items do not decode again: %v\n%s", err, arr)
		}
		if !json.Valid(AppendItemList(nil, items, false)) {
			t.Fatalf("item list is not JSON")
		}
		if _, err := inConv(`{"model":"m","conversation":"conv_1","input":"next"}`, string(arr)); err != nil {
			wantInvalid(err)
		}
	})
}
