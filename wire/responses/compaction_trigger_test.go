package responses

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// A compaction_trigger ending the input asks for the conversation's
// compaction: it is no message, it is not stored, and one anywhere but
// last, or among a conversation's items, is a 400.
func TestCompactionTriggerDecode(t *testing.T) {
	r := decodeOK(t, `{"model":"m","input":[{"role":"user","content":"Hi"},{"type":"compaction_trigger","id":null}]}`)
	if !r.CompactionTrigger || len(r.Chat.Messages) != 1 {
		t.Fatalf("trigger %v, messages %+v", r.CompactionTrigger, r.Chat.Messages)
	}
	in, err := StoredInput(r, IDs{Base: "1"})
	if err != nil || strings.Contains(string(in), "compaction_trigger") || !strings.Contains(string(in), `"msg_1_i0"`) {
		t.Errorf("stored input %s (%v)", in, err)
	}
	if plain := decodeOK(t, `{"model":"m","input":"Hi"}`); plain.CompactionTrigger {
		t.Error("a request without a trigger asks for compaction")
	}
	wantDecodeError(t, `{"model":"m","input":[{"role":"user","content":"Hi"},{"type":"compaction_trigger"},{"role":"user","content":"More"}]}`,
		"input[1]", "The 'compaction_trigger' item must be the final input item.")
	wantDecodeError(t, `{"model":"m","input":[{"role":"user","content":"Hi"},{"type":"compaction_trigger","summary":"x"}]}`, "input[1].summary", "Unknown parameter")
	wantDecodeError(t, `{"model":"m","input":[{"type":"compaction_trigger"}]}`, "input", "holds no message")
	if _, err := DecodeAddItems([]byte(`{"items":[{"type":"compaction_trigger"}]}`)); err == nil || !strings.Contains(err.Error(), "cannot be kept in a conversation") {
		t.Errorf("a trigger added to a conversation: %v", err)
	}
}

// The answer to a trigger is one compaction item, whole in the response
// object and in the stream's events.
func TestCompactionTriggerOutput(t *testing.T) {
	r := decodeOK(t, `{"model":"m","stream":true,"input":[{"role":"user","content":"Hi"},{"type":"compaction_trigger"}]}`)
	ids := IDs{Base: "b"}
	out := CompactionOutput(ids, "swy1.blob", &llm.Usage{PromptTokens: 9, CompletionTokens: 3, TotalTokens: 12}, "0.001")
	var obj struct {
		Status string
		Output []map[string]string
	}
	if err := json.Unmarshal(AppendResponse(nil, r, &Meta{IDs: ids, Model: "m"}, &out), &obj); err != nil || obj.Status != "completed" || len(obj.Output) != 1 ||
		obj.Output[0]["type"] != "compaction" || obj.Output[0]["id"] != "cmp_b" || obj.Output[0]["encrypted_content"] != "swy1.blob" {
		t.Fatalf("response %+v (%v)", obj, err)
	}
	s := NewStreamer(r, Meta{IDs: ids, Model: "m"})
	evs := parseEvents(t, s.Compacted(s.Start(nil), &out))
	var types []string
	for _, ev := range evs {
		types = append(types, ev.name)
	}
	if got := strings.Join(types, " "); got != "response.created response.in_progress response.output_item.added response.output_item.done response.completed" {
		t.Errorf("events %s", got)
	}
	if stored := string(StoredOutput(&out)); stored != `[{"id":"cmp_b","type":"compaction","encrypted_content":"swy1.blob"}]` {
		t.Errorf("stored output %s", stored)
	}
}
