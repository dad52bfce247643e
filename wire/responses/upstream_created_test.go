package responses

import (
	"testing"
	"time"

	"switchyard/llm"
)

// A Chat Completions answer served by a Responses API upstream carries
// the response's created_at as its created, on every chunk (the
// openai-go accumulator and npm openai's stream helper take it from the
// chunks), streamed and whole; an upstream that writes none gets the
// time it was read, never 0 (1970 to a client reading it as a time).
func TestUpstreamCreated(t *testing.T) {
	const at = 1741476542
	var d UpstreamDecoder
	var chunks []*llm.Chunk
	for _, ev := range []string{
		`{"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","created_at":1741476542,"model":"gpt-5.5","status":"in_progress","output":[]}}`,
		`{"type":"response.output_text.delta","sequence_number":1,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hi"}`,
		`{"type":"response.completed","sequence_number":2,"response":{"id":"resp_1","object":"response","created_at":1741476542,"model":"gpt-5.5","status":"completed","usage":{"input_tokens":3,"output_tokens":1,"total_tokens":4}}}`,
	} {
		var err error
		if chunks, _, err = d.Event([]byte(ev), chunks); err != nil {
			t.Fatal(err)
		}
	}
	if len(chunks) != 3 {
		t.Fatalf("%d chunks", len(chunks))
	}
	for i, ch := range chunks {
		if ch.Created != at {
			t.Errorf("chunk %d: created %d, want %d", i, ch.Created, at)
		}
	}

	resp, err := DecodeUpstreamResponse([]byte(`{"id":"resp_2","object":"response","created_at":1741476542,"model":"gpt-5.5","status":"completed","output":[{"type":"message","id":"msg_1","role":"assistant","content":[{"type":"output_text","text":"Hi","annotations":[]}]}]}`))
	if err != nil || resp.Created != at {
		t.Errorf("whole: created %d (%v), want %d", resp.Created, err, at)
	}

	before := time.Now().Unix()
	var bare UpstreamDecoder
	out, _, err := bare.Event([]byte(`{"type":"response.output_text.delta","output_index":0,"delta":"Hi"}`), nil)
	if err != nil || len(out) != 1 || out[0].Created < before {
		t.Errorf("without created_at: %v %+v, want created from %d on", err, out, before)
	}
}
