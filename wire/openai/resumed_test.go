package openai

import (
	"encoding/json"
	"testing"

	"switchyard/llm"
)

// TestChunkResumedNote: a chunk carrying a resume note is valid JSON with
// the note under x_switchyard; one without has no such field.
func TestChunkResumedNote(t *testing.T) {
	c := &llm.Chunk{ID: "c", Model: "m", Choices: []llm.ChunkChoice{{FinishReason: llm.FinishStop}},
		Resumed: &llm.Resumed{From: "a", To: "b", Offset: 42, Mode: "prefill"}}
	var got struct {
		X *struct {
			From   string `json:"resumed_from"`
			To     string `json:"resumed_to"`
			Offset int    `json:"resumed_at"`
			Mode   string `json:"resume_mode"`
		} `json:"x_switchyard"`
	}
	if err := json.Unmarshal(AppendChunk(nil, c), &got); err != nil || got.X == nil || got.X.From != "a" || got.X.To != "b" || got.X.Offset != 42 || got.X.Mode != "prefill" {
		t.Fatalf("%s: %+v %v", AppendChunk(nil, c), got.X, err)
	}
	c.Resumed = nil
	got.X = nil
	if err := json.Unmarshal(AppendChunkIncludeUsage(nil, c), &got); err != nil || got.X != nil {
		t.Fatalf("note without a resumption: %+v %v", got.X, err)
	}
}
