package responses

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// upstreamLogprobsStream is an answer whose text deltas carry logprobs,
// as OpenAI writes them (type first: the fast path's shape).
var upstreamLogprobsStream = []string{
	`{"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hi","logprobs":[{"token":"Hi","logprob":-0.25,"top_logprobs":[{"token":"Hi","logprob":-0.25},{"token":"Hey","logprob":-1.5}]}]}`,
	`{"type":"response.output_text.delta","sequence_number":5,"item_id":"msg_1","output_index":0,"content_index":0,"delta":" there","logprobs":[]}`,
	`{"type":"response.completed","response":{"id":"r","status":"completed"}}`,
}

// TestUpstreamLogprobs: the text deltas' logprobs are the chunks'
// (streamed, and whole with their bytes); logprobs asked for are sent as
// include message.output_text.logprobs and top_logprobs.
func TestUpstreamLogprobs(t *testing.T) {
	var d UpstreamDecoder
	var acc llm.Accumulator
	for _, ev := range upstreamLogprobsStream {
		out, _, err := d.Event([]byte(ev), nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range out {
			acc.Add(ch)
		}
	}
	resp := acc.Response()
	lp := resp.Choices[0].Logprobs
	if resp.Choices[0].Message.Text() != "Hi there" || lp == nil || len(lp.Content) != 1 || lp.Content[0].Token != "Hi" || lp.Content[0].Logprob != -0.25 ||
		len(lp.Content[0].TopLogprobs) != 2 || lp.Content[0].TopLogprobs[1].Token != "Hey" {
		t.Fatalf("response %+v logprobs %+v", resp.Choices[0], lp)
	}
	whole, err := DecodeUpstreamResponse([]byte(`{"id":"r","status":"completed","output":[{"type":"message","content":[{"type":"output_text","text":"Hi",` +
		`"logprobs":[{"token":"Hi","logprob":-0.5,"bytes":[72,105],"top_logprobs":[]}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if lp := whole.Choices[0].Logprobs; lp == nil || len(lp.Content) != 1 || string(lp.Content[0].Bytes) != "Hi" {
		t.Errorf("whole logprobs %+v", lp)
	}
	for _, o := range []UpstreamOptions{{}, {Reasoning: true}} {
		req := &llm.Request{Model: "gpt-4.1", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")}, Logprobs: true, TopLogprobs: 3}
		body, err := EncodeUpstream(req, o)
		want := `"include":["message.output_text.logprobs"],"top_logprobs":3`
		if o.Reasoning {
			want = `"include":["reasoning.encrypted_content","message.output_text.logprobs"],"top_logprobs":3`
		}
		if err != nil || !strings.Contains(string(body), want) {
			t.Errorf("sent %s (%v), want %s", body, err, want)
		}
	}
}
