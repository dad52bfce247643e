package llm

import (
	"encoding/json"
	"strings"
	"testing"
)

// MaxParts bounds what an answer carries beside its text (hosted tool
// items such as a generated image, audio, citations, signatures): past
// it a chunk's parts are left out and counted, its text kept, and the
// chunk handed in is not changed.
func TestAccumulatorMaxParts(t *testing.T) {
	image := json.RawMessage(`{"type":"image_generation_call","id":"ig_1","status":"completed","result":"` + strings.Repeat("A", 200) + `"}`)
	audio := json.RawMessage(`{"id":"audio_1","data":"` + strings.Repeat("B", 100) + `"}`)
	a := Accumulator{MaxParts: 150}
	chunks := []*Chunk{
		{ID: "c1", Choices: []ChunkChoice{{Delta: Delta{Content: "Here ", Output: &OutputDelta{Audio: audio}}}}},
		{Choices: []ChunkChoice{{Delta: Delta{Content: "it is.", Output: &OutputDelta{Hosted: &BlockDelta{Index: 0, Whole: image, Start: image}}}}}},
		{Choices: []ChunkChoice{{Delta: Delta{Thinking: &ThinkingDelta{Text: "so", Signature: "sig"}, TextBlock: &TextBlockDelta{Index: 0, Citation: json.RawMessage(`{"url":"u"}`)}}}}},
		{Choices: []ChunkChoice{{FinishReason: FinishStop}}},
	}
	for _, c := range chunks {
		a.Add(c)
	}
	r := a.Response()
	m := &r.Choices[0].Message
	if got := m.Text(); got != "Here it is." {
		t.Errorf("text %q, want it whole", got)
	}
	if len(m.Audio()) == 0 || len(m.Hosted()) != 0 {
		t.Errorf("audio %d bytes, %d hosted items; want the audio kept, the image left out", len(m.Audio()), len(m.Hosted()))
	}
	if th := m.Thinking(); len(th) != 1 || th[0].Text != "so" || th[0].Signature != "" {
		t.Errorf("thinking %+v, want its text without its signature", th)
	}
	if want := int64(2*len(image) + len("sig") + len(`{"url":"u"}`)); r.PartsLeftOut != want || r.TextLeftOut != 0 {
		t.Errorf("PartsLeftOut %d, TextLeftOut %d; want %d, 0", r.PartsLeftOut, r.TextLeftOut, want)
	}
	if h := chunks[1].Choices[0].Delta.Output.Hosted; h == nil || chunks[2].Choices[0].Delta.Thinking.Signature != "sig" {
		t.Error("the chunks handed in were changed")
	}
	var whole Accumulator // no bound
	for _, c := range chunks {
		whole.Add(c)
	}
	if r := whole.Response(); r.PartsLeftOut != 0 || len(r.Choices[0].Message.Hosted()) != 1 {
		t.Errorf("without MaxParts: %d hosted items, left out %d", len(r.Choices[0].Message.Hosted()), r.PartsLeftOut)
	}
}
