package responses

import (
	"reflect"
	"testing"

	"switchyard/llm"
)

// FuzzUpstreamEventPaths: an event reads the same through Event (the fast
// path when it takes the event) as through the general path alone, for
// every event: the same chunks, end and failure. The decoders have read
// the same response.created and an output item, so chunks are stamped
// alike.
func FuzzUpstreamEventPaths(f *testing.F) {
	f.Add(`{"type":"response.output_text.delta","sequence_number":42,"item_id":"msg_1","output_index":1,"content_index":0,"delta":" the sky","logprobs":[]}`)
	f.Add(`{"type":"response.function_call_arguments.delta","sequence_number":9,"item_id":"fc_1","output_index":2,"delta":"{\"city\":"}`)
	f.Add(`{"type":"response.refusal.delta","output_index":0,"delta":"no"}`)
	f.Add(`{"type":"response.output_text.delta","output_index":0,"delta":"Hi","logprobs":[{"token":"Hi","logprob":-0.25,"top_logprobs":[]}]}`)
	f.Add(`{"type":"response.output_text.delta","output_index":0,"delta":"a","\u0064elta":"b"}`)
	// Keys spelled in another case, which encoding/json reads as the
	// lower-case ones (a second delta, type or output_index, a
	// subagent's tag, logprobs; ſ folds to s).
	f.Add(`{"type":"response.output_text.delta","output_index":0,"delta":"a","Delta":"b"}`)
	f.Add(`{"type":"response.output_text.delta","output_index":0,"delta":"a","TYPE":"response.refusal.delta"}`)
	f.Add(`{"type":"response.function_call_arguments.delta","output_index":2,"delta":"x","Output_Index":3}`)
	f.Add(`{"type":"response.output_text.delta","output_index":0,"delta":"a","Agent":{"name":"explorer"}}`)
	f.Add(`{"type":"response.output_text.delta","output_index":0,"delta":"a","logprobſ":[{"token":"a","logprob":-1}]}`)
	f.Add(`{"type":"response.output_text.delta","output_index":0,"Delta":"a"}`)
	f.Add(`{"type":"response.output_text.delta","output_index":0,"delta":"a","item_id":"\"","Delta":"b"}`)
	f.Fuzz(func(t *testing.T, data string) {
		start := []string{
			`{"type":"response.created","response":{"id":"resp_1","created_at":1700000000,"model":"gpt-5","status":"in_progress"}}`,
			`{"type":"response.output_item.added","output_index":2,"item":{"type":"function_call","id":"fc_1","call_id":"call_1","name":"f","arguments":""}}`,
		}
		var both, general UpstreamDecoder
		for _, ev := range start {
			if _, _, err := both.Event([]byte(ev), nil); err != nil {
				t.Fatal(err)
			}
			if _, _, err := general.event([]byte(ev), nil); err != nil {
				t.Fatal(err)
			}
		}
		got, gotEnd, gotErr := both.Event([]byte(data), nil)
		want, wantEnd, wantErr := general.event([]byte(data), nil)
		if gotEnd != wantEnd || (gotErr == nil) != (wantErr == nil) || !sameChunks(got, want) {
			t.Fatalf("%q: Event %s, end %v, err %v; the general path %s, end %v, err %v", data, chunksText(got), gotEnd, gotErr, chunksText(want), wantEnd, wantErr)
		}
	})
}

// sameChunks compares two decoders' chunks.
func sameChunks(a, b []*llm.Chunk) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !reflect.DeepEqual(a[i], b[i]) {
			return false
		}
	}
	return true
}

// chunksText shows chunks for a failure.
func chunksText(cs []*llm.Chunk) string {
	s := "["
	for _, c := range cs {
		for _, ch := range c.Choices {
			d := ch.Delta
			s += " {" + d.Content + "|" + d.Refusal
			for _, tc := range d.ToolCalls {
				s += "|call:" + tc.Arguments
			}
			if ch.Logprobs != nil {
				s += "|logprobs"
			}
			s += "}"
		}
	}
	return s + " ]"
}
