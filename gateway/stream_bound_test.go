package gateway

import (
	"encoding/json"
	"io"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/llm/llmtest"
)

// A long streamed answer is relayed whole, but the copy the record keeps
// of it (for the quality signals and the request log) stops at
// maxKeptAnswer bytes of text: the router's memory does not grow with the
// length of a stream, which an upstream may make endless. The record says
// how much it left out.
func TestStreamedAnswerKeptWithinABound(t *testing.T) {
	piece := strings.Repeat("lorem ipsum ", 1000) // 12,000 bytes
	const pieces = 400                            // 4.8 MB in all
	events := make([]llmtest.Event, pieces)
	for i := range events {
		events[i] = llmtest.Event{Chunk: llmtest.TextChunk("a", piece)}
	}
	events = append(events, llmtest.Event{Chunk: &llm.Chunk{Model: "a", Choices: []llm.ChunkChoice{{FinishReason: llm.FinishStop}}}})
	p := &llmtest.Provider{Scripts: []llmtest.Script{{Events: events}}}
	g, _, flush := budgetGateway(t, p, "  []\n")
	s, err := g.Stream(callerCtx(), hello("r"), nil, new(llm.Served))
	if err != nil {
		t.Fatal(err)
	}
	relayed := 0
	for {
		c, err := s.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range c.Choices {
			relayed += len(ch.Delta.Content)
		}
	}
	s.Close()
	if relayed != pieces*len(piece) {
		t.Fatalf("relayed %d bytes, want %d", relayed, pieces*len(piece))
	}
	recs := flush()
	if len(recs) != 1 || recs[0].Answer == nil || len(recs[0].Answer.Choices) != 1 {
		t.Fatalf("records %+v", recs)
	}
	ans := recs[0].Answer
	kept := len(ans.Choices[0].Message.Text())
	if kept > maxKeptAnswer || kept == 0 {
		t.Errorf("the record kept %d bytes of the answer, want at most %d", kept, maxKeptAnswer)
	}
	if kept+int(ans.TextLeftOut) != relayed {
		t.Errorf("the record kept %d bytes and says it left out %d, of %d", kept, ans.TextLeftOut, relayed)
	}
	if ans.Choices[0].FinishReason != llm.FinishStop {
		t.Errorf("finish reason %q past the bound, want stop", ans.Choices[0].FinishReason)
	}
}

// What a streamed answer carries beside its text (here generated images,
// hosted tool items of 20,000 bytes each) is kept by the record up to
// server.max_answer_bytes, the limit of an answer held whole: the stream
// is relayed whole, the record keeps the items within the limit and says
// how many bytes it left out.
func TestStreamedAnswerPartsKeptWithinTheAnswerLimit(t *testing.T) {
	item := json.RawMessage(`{"type":"image_generation_call","id":"ig","status":"completed","result":"` + strings.Repeat("A", 20000) + `"}`)
	const items = 10 // 200 KB in all, past the 64 KiB limit
	events := make([]llmtest.Event, 0, items+1)
	for i := range items {
		c := llmtest.TextChunk("a", "x")
		c.Choices[0].Delta.Output = &llm.OutputDelta{Hosted: &llm.BlockDelta{Index: i, Start: item, Whole: item}}
		events = append(events, llmtest.Event{Chunk: c})
	}
	events = append(events, llmtest.Event{Chunk: &llm.Chunk{Model: "a", Choices: []llm.ChunkChoice{{FinishReason: llm.FinishStop}}}})
	p := &llmtest.Provider{Scripts: []llmtest.Script{{Events: events}}}
	g, _, flush := budgetGatewayOn(t, p, "server: {max_answer_bytes: 65536}\n"+recConfig, "  []\n")
	s, err := g.Stream(callerCtx(), hello("r"), nil, new(llm.Served))
	if err != nil {
		t.Fatal(err)
	}
	relayed := 0
	for {
		c, err := s.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if od := c.Choices[0].Delta.Output; od != nil && od.Hosted != nil {
			relayed++
		}
	}
	s.Close()
	if relayed != items {
		t.Fatalf("relayed %d items, want %d", relayed, items)
	}
	recs := flush()
	if len(recs) != 1 || recs[0].Answer == nil || len(recs[0].Answer.Choices) != 1 {
		t.Fatalf("records %+v", recs)
	}
	ans := recs[0].Answer
	kept := len(ans.Choices[0].Message.Hosted())
	if per := 2 * len(item); kept != 65536/per || ans.PartsLeftOut != int64((items-kept)*per) {
		t.Errorf("the record kept %d items and says it left out %d bytes; want %d and %d", kept, ans.PartsLeftOut, 65536/per, (items-65536/per)*per)
	}
	if ans.Choices[0].Message.Text() != strings.Repeat("x", items) {
		t.Errorf("text %q, want it whole", ans.Choices[0].Message.Text())
	}
}
