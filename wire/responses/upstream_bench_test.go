package responses

import (
	"encoding/json"
	"testing"

	"switchyard/llm"
)

// BenchmarkUpstreamTextDelta decodes the event an answer is mostly made
// of.
func BenchmarkUpstreamTextDelta(b *testing.B) {
	ev := []byte(`{"type":"response.output_text.delta","sequence_number":42,"item_id":"msg_68af3c2e5b8c81a0b1c2d3e4f5a6b7c8","output_index":1,"content_index":0,"delta":" the sky","logprobs":[],"obfuscation":"aB3dE"}`)
	var d UpstreamDecoder
	out := make([]*llm.Chunk, 0, 4)
	b.ReportAllocs()
	for b.Loop() {
		out, _, _ = d.Event(ev, out[:0])
	}
}

// FuzzUpstreamFastDelta: whatever the fast path reads, encoding/json
// reads the same type, output_index and delta from; the general path is
// the reference.
func FuzzUpstreamFastDelta(f *testing.F) {
	f.Add(`{"type":"response.output_text.delta","sequence_number":42,"item_id":"msg_1","output_index":1,"content_index":0,"delta":" the sky","logprobs":[]}`)
	f.Add(`{"type":"response.function_call_arguments.delta","sequence_number":9,"item_id":"fc_1","output_index":2,"delta":"{\"city\":"}`)
	f.Add(`{"type":"response.refusal.delta","output_index":0,"delta":"no","type":"error"}`)
	f.Add(`{"type":"response.output_text.delta","output_index":0,"x":{"delta":"a"},"delta":"b"}`)
	f.Add(`{"type":"response.output_text.delta","output_index":0,"delta":"\xff"}`)
	f.Add(`{"type":"response.output_text.delta","output_index":3,"delta":"ok","output_index":4}`)
	f.Add(`{"type":"response.output_text.delta","output_index":0,"delta":"Hi","logprobs":[{"token":"Hi","logprob":-0.25,"top_logprobs":[]}]}`)
	f.Add(`{"type":"response.output_text.delta","output_index":0,"delta":"Hi","logprobs" : [ {"token":"Hi","logprob":-0.25}]}`)
	// Keys spelled with \u escapes (valid JSON): a second delta, a
	// subagent's tag; and white space before the tag's colon.
	f.Add(`{"type":"response.output_text.delta","output_index":0,"delta":"a","\u0064elta":"b"}`)
	f.Add(`{"type":"response.output_text.delta","output_index":0,"delta":"a","\u0061gent":{"name":"explorer"}}`)
	f.Add(`{"type":"response.output_text.delta","output_index":0,"delta":"a","agent" :{"name":"explorer"}}`)
	f.Fuzz(func(t *testing.T, data string) {
		typ, index, delta, ok := fastDelta([]byte(data))
		if !ok {
			return
		}
		var ev struct {
			Type        string            `json:"type"`
			OutputIndex int               `json:"output_index"`
			Delta       string            `json:"delta"`
			Logprobs    []json.RawMessage `json:"logprobs"`
			Agent       json.RawMessage   `json:"agent"`
		}
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			t.Fatalf("fast path read %q, encoding/json fails: %v", data, err)
		}
		if agentTagged(ev.Agent) { // a subagent's delta, which the general path drops
			t.Fatalf("%q: fast path reads a delta tagged with its agent %s", data, ev.Agent)
		}
		if ev.Type != typ || ev.OutputIndex != index || ev.Delta != string(delta) || len(ev.Logprobs) > 0 {
			t.Fatalf("%q: fast %q %d %q, encoding/json %q %d %q", data, typ, index, delta, ev.Type, ev.OutputIndex, ev.Delta)
		}
	})
}
