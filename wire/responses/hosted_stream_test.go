package responses

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// webSearchStream is an OpenAI web search answer streamed: the search
// call, then a message citing what it found.
var webSearchStream = []string{
	`{"type":"response.created","sequence_number":0,"response":{"id":"resp_ws","model":"gpt-5.5","status":"in_progress"}}`,
	`{"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"id":"ws_1","type":"web_search_call","status":"in_progress"}}`,
	`{"type":"response.web_search_call.in_progress","sequence_number":2,"output_index":0,"item_id":"ws_1"}`,
	`{"type":"response.web_search_call.searching","sequence_number":3,"output_index":0,"item_id":"ws_1"}`,
	`{"type":"response.web_search_call.completed","sequence_number":4,"output_index":0,"item_id":"ws_1"}`,
	`{"type":"response.output_item.done","sequence_number":5,"output_index":0,"item":{"id":"ws_1","type":"web_search_call","status":"completed","action":{"type":"search","query":"paris weather"}}}`,
	`{"type":"response.output_item.added","sequence_number":6,"output_index":1,"item":{"id":"msg_1","type":"message","status":"in_progress","role":"assistant","content":[]}}`,
	`{"type":"response.output_text.delta","sequence_number":7,"output_index":1,"content_index":0,"item_id":"msg_1","delta":"Sunny in Paris."}`,
	`{"type":"response.output_text.annotation.added","sequence_number":8,"output_index":1,"content_index":0,"item_id":"msg_1","annotation_index":0,"annotation":{"type":"url_citation","url":"https://example.com/paris","title":"Paris","start_index":0,"end_index":15}}`,
	`{"type":"response.output_item.done","sequence_number":9,"output_index":1,"item":{"id":"msg_1","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Sunny in Paris.","annotations":[{"type":"url_citation","url":"https://example.com/paris","title":"Paris","start_index":0,"end_index":15}],"logprobs":[]}]}}`,
	`{"type":"response.completed","sequence_number":10,"response":{"id":"resp_ws","model":"gpt-5.5","status":"completed","usage":{"input_tokens":10,"output_tokens":5,"total_tokens":15}}}`,
}

// hostedChunks decodes events with an UpstreamDecoder.
func hostedChunks(t *testing.T, events []string) []*llm.Chunk {
	t.Helper()
	var d UpstreamDecoder
	var chunks []*llm.Chunk
	for i, ev := range events {
		var err error
		if chunks, _, err = d.Event([]byte(ev), chunks); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	return chunks
}

// TestHostedItemsRoundTrip checks that a web search answer read from an
// upstream's stream reaches a Responses client whole: the search call as
// OpenAI wrote it, then the message with its annotations, complete and
// streamed (with the search's progress events, renumbered), the stream's
// final response the complete one's output.
func TestHostedItemsRoundTrip(t *testing.T) {
	r, err := DecodeRequest([]byte(`{"model":"m","input":"weather?","tools":[{"type":"web_search"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	chunks := hostedChunks(t, webSearchStream)
	var acc llm.Accumulator
	for _, ch := range chunks {
		acc.Add(ch)
	}
	resp := acc.Response()
	m := &resp.Choices[0].Message
	if h := m.Hosted(); len(h) != 1 || h[0].At != 0 || !strings.Contains(string(h[0].Raw), `"action":{"type":"search"`) {
		t.Fatalf("hosted %+v", h)
	}
	if u := resp.Usage; u == nil || u.WebSearchRequests != 1 || u.FileSearchCalls != 0 || u.ContainerSessions != 0 {
		t.Errorf("usage %+v: want one web search counted", u)
	}
	meta := &Meta{IDs: IDs{Base: "x"}, Model: "gpt-5.5"}
	out := OutputOf(r, resp, meta.IDs)
	whole := outputOf(t, AppendResponse(nil, r, meta, &out))
	want := `[{"id":"ws_1","type":"web_search_call","status":"completed","action":{"type":"search","query":"paris weather"}},` +
		`{"id":"msg_x","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","annotations":[{"type":"url_citation","url":"https://example.com/paris","title":"Paris","start_index":0,"end_index":15}],"logprobs":[],"text":"Sunny in Paris."}]}]`
	if string(whole) != want {
		t.Errorf("output\n%s\nwant\n%s", whole, want)
	}
	s := NewStreamer(r, *meta)
	b := s.Start(nil)
	for _, ch := range chunks {
		b = s.Chunk(b, ch)
	}
	evs := parseEvents(t, s.Finish(b, ""))
	if got := names(evs); got != "created in_progress output_item.added web_search_call.in_progress web_search_call.searching web_search_call.completed output_item.done "+
		"output_item.added content_part.added output_text.delta output_text.annotation.added output_text.done content_part.done output_item.done completed" {
		t.Errorf("events %s", got)
	}
	if evs[3].data["item_id"] != "ws_1" || evs[3].data["output_index"] != 0.0 || evs[10].data["output_index"] != 1.0 {
		t.Errorf("search event %v, annotation event %v", evs[3].data, evs[10].data)
	}
	final, _ := json.Marshal(evs[len(evs)-1].data["response"].(map[string]any)["output"])
	var a, w any
	_ = json.Unmarshal(final, &a)
	_ = json.Unmarshal(whole, &w)
	if fa, fw := jsonOf(a), jsonOf(w); fa != fw {
		t.Errorf("streamed output\n%s\nwant\n%s", fa, fw)
	}
}

// outputOf returns the output array of a response object.
func outputOf(t *testing.T, body []byte) json.RawMessage {
	t.Helper()
	var r struct {
		Output json.RawMessage `json:"output"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("%v in %s", err, body)
	}
	return r.Output
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestHostedUpstreamRequest checks what an OpenAI Responses deployment is
// sent for a request with hosted tools continuing a turn that used one:
// the tools as the client wrote them after its functions, the hosted
// tool_choice, the include values, and the earlier search call in place.
func TestHostedUpstreamRequest(t *testing.T) {
	body := `{"model":"m","tools":[{"type":"function","name":"f"},{"type":"web_search","filters":{"allowed_domains":["example.com"]}}],` +
		`"tool_choice":{"type":"web_search"},"include":["web_search_call.action.sources"],"input":[{"role":"user","content":"a"},` +
		`{"type":"web_search_call","id":"ws_1","status":"completed","action":{"type":"search","query":"q"}},` +
		`{"type":"message","role":"assistant","content":[{"type":"output_text","text":"b","annotations":[]}]},{"role":"user","content":"c"}]}`
	r, err := DecodeRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	got, err := EncodeUpstream(r.Chat, UpstreamOptions{Reasoning: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"a"}]},{"type":"web_search_call","id":"ws_1","status":"completed","action":{"type":"search","query":"q"}},{"type":"message","role":"assistant","content":"b"},`,
		`,"tools":[{"type":"function","name":"f","description":null,"parameters":null,"strict":null},{"type":"web_search","filters":{"allowed_domains":["example.com"]}}],"tool_choice":{"type":"web_search"}`,
		`"include":["reasoning.encrypted_content","web_search_call.action.sources"]`,
	} {
		if !strings.Contains(string(got), want) {
			t.Errorf("upstream body\n%s\nlacks\n%s", got, want)
		}
	}
	if !r.Chat.OpenAIHostedTools() {
		t.Error("not a hosted tools request")
	}
}

// FuzzHostedRoundTrip: whatever hosted items and annotations an upstream
// streams, the client's events are valid JSON in sequence, and the
// complete response object is valid JSON.
func FuzzHostedRoundTrip(f *testing.F) {
	f.Add(strings.Join(webSearchStream, "\n"))
	f.Add(strings.Join(multiAgentStream, "\n"))
	f.Add(`{"type":"response.output_item.done","output_index":3,"item":{"type":"code_interpreter_call","id":"ci","code":"print(1)\u2028","status":"completed"}}` + "\n" +
		`{"type":"response.output_item.added","output_index":1,"item":{"type":"mcp_call","status":"failed"}}` + "\n" +
		`{"type":"response.output_item.done","output_index":2,"item":{"type":"message","content":[{"annotations":[1,"x",null]}]}}`)
	f.Add(`{"type":"response.output_item.added","output_index":0,"item":null}` + "\n" + `{"type":"response.output_item.done","output_index":0,"item":"web_search_call"}`)
	f.Fuzz(func(t *testing.T, stream string) {
		r, err := DecodeRequest([]byte(`{"model":"m","input":"hi","stream":true,"tools":[{"type":"web_search"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		var d UpstreamDecoder
		var chunks []*llm.Chunk
		for _, ev := range strings.Split(stream, "\n") {
			chunks, _, _ = d.Event([]byte(ev), chunks)
		}
		var acc llm.Accumulator
		s := NewStreamer(r, Meta{IDs: IDs{Base: "b"}, Model: "m"})
		buf := s.Start(nil)
		for _, ch := range chunks {
			acc.Add(ch)
			buf = s.Chunk(buf, ch)
		}
		parseEvents(t, s.Finish(buf, ""))
		resp := acc.Response()
		out := OutputOf(r, resp, IDs{Base: "b"})
		if b := AppendResponse(nil, r, &Meta{IDs: IDs{Base: "b"}, Model: "m"}, &out); !json.Valid(b) {
			t.Fatalf("response object is not JSON: %s", b)
		}
		if b := StoredOutput(&out); !json.Valid(b) {
			t.Fatalf("stored output is not JSON: %s", b)
		}
	})
}

// TestHostedCallsCounted checks the hosted calls an answer's usage
// counts: each file search, and each code interpreter container once.
func TestHostedCallsCounted(t *testing.T) {
	resp, err := DecodeUpstreamResponse([]byte(`{"id":"r","model":"m","status":"completed","usage":{"input_tokens":1,"output_tokens":1,"total_tokens":2},"output":[` +
		`{"type":"file_search_call","id":"fs_1","status":"completed","queries":["a"],"results":null},{"type":"file_search_call","id":"fs_2","status":"completed","queries":["b"],"results":null},` +
		`{"type":"code_interpreter_call","id":"ci_1","status":"completed","container_id":"cntr_1","code":"1","outputs":null},` +
		`{"type":"code_interpreter_call","id":"ci_2","status":"completed","container_id":"cntr_1","code":"2","outputs":null},` +
		`{"type":"message","role":"assistant","content":[{"type":"output_text","text":"ok","annotations":[{"type":"file_citation","file_id":"f","filename":"a.txt","index":0}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if u := resp.Usage; u.FileSearchCalls != 2 || u.ContainerSessions != 1 || u.WebSearchRequests != 0 {
		t.Errorf("usage %+v", u)
	}
	m := &resp.Choices[0].Message
	if len(m.Hosted()) != 4 || m.Text() != "ok" || string(m.TextAnnotations()) != `[{"type":"file_citation","file_id":"f","filename":"a.txt","index":0}]` {
		t.Errorf("hosted %d, text %q, annotations %s", len(m.Hosted()), m.Text(), m.TextAnnotations())
	}
}
