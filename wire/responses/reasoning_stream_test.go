package responses

import (
	"encoding/json"
	"testing"

	"switchyard/llm"
)

func thinkingChunk(index int, text, signature, redacted string) *llm.Chunk {
	return &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Thinking: &llm.ThinkingDelta{Index: index, Text: text, Signature: signature, Redacted: redacted}}}}}
}

// streamSealed streams chunks for the request body, sealed by sl, and
// returns the events.
func streamSealed(t *testing.T, body string, sl *Sealer, chunks ...*llm.Chunk) ([]event, Output) {
	t.Helper()
	r := decodeSealed(t, body, sl)
	s := NewStreamer(r, Meta{IDs: IDs{Base: "b"}, CreatedAt: 1, Model: "up"})
	b := s.Start(nil)
	for _, c := range chunks {
		b = s.Chunk(b, c)
	}
	final := s.Final("")
	return parseEvents(t, s.Finish(b, "")), final
}

// A streamed answer that thought: the reasoning item first (added with
// summary []), a summary part per block with text (added, deltas, done,
// part done), closed whole (its encrypted_content) when the message
// starts; the message and the call after it at the next output indexes,
// the sequence numbers consecutive (parseEvents checks them).
func TestReasoningStreamed(t *testing.T) {
	sl := testSealer(t, 1, "acme")
	chunks := []*llm.Chunk{
		thinkingChunk(0, "Weighing ", "", ""), thinkingChunk(0, "the city.", "", ""), thinkingChunk(0, "", "sig-1", ""),
		thinkingChunk(1, "", "", "RED=="), thinkingChunk(2, "Then call.", "sig-2", ""),
		textChunk("Sunny."), callChunk(0, "call_1", "f", "{}"), finishChunk(llm.FinishToolCalls),
	}
	evs, final := streamSealed(t, reasoningBody, sl, chunks...)
	want := "created in_progress output_item.added " +
		"reasoning_summary_part.added reasoning_summary_text.delta reasoning_summary_text.delta " +
		"reasoning_summary_text.done reasoning_summary_part.done " +
		"reasoning_summary_part.added reasoning_summary_text.delta reasoning_summary_text.done reasoning_summary_part.done " +
		"output_item.done output_item.added content_part.added output_text.delta " +
		"output_text.done content_part.done output_item.done output_item.added function_call_arguments.delta " +
		"function_call_arguments.done output_item.done completed"
	if got := names(evs); got != want {
		t.Fatalf("events\n got %s\nwant %s", got, want)
	}
	added := evs[2].data["item"].(map[string]any)
	if added["id"] != "rs_b" || added["type"] != "reasoning" || len(added["summary"].([]any)) != 0 || evs[2].data["output_index"] != 0.0 {
		t.Errorf("reasoning added %v", evs[2].data)
	}
	if d := evs[3].data; d["summary_index"] != 0.0 || d["item_id"] != "rs_b" || d["output_index"] != 0.0 || d["part"].(map[string]any)["text"] != "" {
		t.Errorf("part added %v", d)
	}
	if d := evs[7].data; d["part"].(map[string]any)["text"] != "Weighing the city." || d["summary_index"] != 0.0 {
		t.Errorf("part done %v", d)
	}
	if d := evs[8].data; d["summary_index"] != 1.0 {
		t.Errorf("second part added %v", d)
	}
	if d := evs[10].data; d["text"] != "Then call." || d["summary_index"] != 1.0 {
		t.Errorf("second text done %v", d)
	}
	done := evs[12].data["item"].(map[string]any)
	blob, _ := done["encrypted_content"].(string)
	got, ok := sl.Open(blob)
	if !ok || len(got) != 3 || got[0] != thoughtBlocks[0] || got[1] != thoughtBlocks[1] || got[2].Signature != "sig-2" {
		t.Errorf("reasoning done %v opens to %v %v", done, got, ok)
	}
	if sum, _ := json.Marshal(done["summary"]); string(sum) != `[{"text":"Weighing the city.","type":"summary_text"},{"text":"Then call.","type":"summary_text"}]` {
		t.Errorf("summary %s", sum)
	}
	if evs[13].data["output_index"] != 1.0 || evs[19].data["output_index"] != 2.0 {
		t.Errorf("message at %v, call at %v", evs[13].data["output_index"], evs[19].data["output_index"])
	}
	out := evs[len(evs)-1].data["response"].(map[string]any)["output"].([]any)
	if len(out) != 3 || out[0].(map[string]any)["encrypted_content"] != blob || final.Items[0].Encrypted != blob {
		t.Errorf("the completed response's reasoning item differs from the streamed one: %v", out[0])
	}
}

// Without summary asked, the reasoning item streams no part (summary []);
// without include, its done event has no encrypted_content; thinking
// alone still ends with an (empty) message after it.
func TestReasoningStreamedQuiet(t *testing.T) {
	sl := testSealer(t, 1, "acme")
	evs, final := streamSealed(t, `{"model":"m","input":"hi","stream":true,"reasoning":{"effort":"low"}}`, sl,
		thinkingChunk(0, "Hmm.", "sig", ""), finishChunk(llm.FinishStop))
	want := "created in_progress output_item.added output_item.done output_item.added content_part.added output_text.delta " +
		"output_text.done content_part.done output_item.done completed"
	if got := names(evs); got != want {
		t.Fatalf("events\n got %s\nwant %s", got, want)
	}
	done := evs[3].data["item"].(map[string]any)
	if _, ok := done["encrypted_content"]; ok || len(done["summary"].([]any)) != 0 {
		t.Errorf("reasoning done %v", done)
	}
	if len(final.Items) != 2 || final.Items[0].Type != ItemReasoning || final.Items[1].Type != ItemMessage || final.Items[0].Encrypted == "" {
		t.Errorf("final %+v", final.Items)
	}
	// No reasoning asked: the thinking deltas (shown to another API) make no item.
	evs, _ = streamSealed(t, `{"model":"m","input":"hi","stream":true}`, sl, thinkingChunk(0, "Hmm.", "sig", ""), textChunk("x"))
	if got := names(evs); got != "created in_progress output_item.added content_part.added output_text.delta output_text.done content_part.done output_item.done completed" {
		t.Errorf("no reasoning asked: %s", got)
	}
}
