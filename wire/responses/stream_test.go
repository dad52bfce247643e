package responses

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// event is one parsed server-sent event.
type event struct {
	name string
	data map[string]any
}

// parseEvents parses an event stream, checking every event: its name is
// its data's type, its data valid JSON, its sequence number the next.
func parseEvents(t *testing.T, b []byte) []event {
	t.Helper()
	var out []event
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	var name string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			name = line[len("event: "):]
		case strings.HasPrefix(line, "data: "):
			var data map[string]any
			if err := json.Unmarshal([]byte(line[len("data: "):]), &data); err != nil {
				t.Fatalf("event %s: %v in %s", name, err, line)
			}
			if data["type"] != name || data["sequence_number"] != float64(len(out)) {
				t.Fatalf("event %s: type %v, sequence_number %v, want %d", name, data["type"], data["sequence_number"], len(out))
			}
			out = append(out, event{name, data})
		case line != "":
			t.Fatalf("unexpected line %q", line)
		}
	}
	return out
}

func names(evs []event) string {
	var s []string
	for _, e := range evs {
		s = append(s, strings.TrimPrefix(e.name, "response."))
	}
	return strings.Join(s, " ")
}

func textChunk(s string) *llm.Chunk {
	return &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: s}}}}
}

func callChunk(index int, id, name, args string) *llm.Chunk {
	return &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{ToolCalls: []llm.ToolCallDelta{{Index: index, ID: id, Name: name, Arguments: args}}}}}}
}

func finishChunk(f llm.FinishReason) *llm.Chunk {
	return &llm.Chunk{Choices: []llm.ChunkChoice{{FinishReason: f}}}
}

// run streams chunks through a Streamer and returns the events.
func run(t *testing.T, chunks ...*llm.Chunk) []event {
	t.Helper()
	r := decodeOK(t, `{"model":"m","input":"hi","stream":true}`)
	s := NewStreamer(r, Meta{IDs: IDs{Base: "b"}, CreatedAt: 1, Model: "up"})
	b := s.Start(nil)
	for _, c := range chunks {
		b = s.Chunk(b, c)
	}
	return parseEvents(t, s.Finish(b, "0.001"))
}

// response returns the terminal event's response.
func response(evs []event) map[string]any { return evs[len(evs)-1].data["response"].(map[string]any) }

func TestStreamTextThenCallsThenText(t *testing.T) {
	evs := run(t, textChunk("Let me "), textChunk("look."), callChunk(0, "call_a", "f", `{"x":`), callChunk(1, "call_b", "g", `{}`),
		callChunk(0, "", "", `1}`), textChunk("Done."), finishChunk(llm.FinishToolCalls),
		&llm.Chunk{Usage: &llm.Usage{PromptTokens: 9, CompletionTokens: 4, TotalTokens: 13}})
	want := "created in_progress output_item.added content_part.added output_text.delta output_text.delta " +
		"output_text.done content_part.done output_item.done " + // the message closes when a call opens
		"output_item.added function_call_arguments.delta output_item.added function_call_arguments.delta function_call_arguments.delta " +
		"output_item.added content_part.added output_text.delta " + // text after the calls: a new message
		"function_call_arguments.done output_item.done function_call_arguments.done output_item.done " +
		"output_text.done content_part.done output_item.done completed"
	if got := names(evs); got != want {
		t.Fatalf("events:\n%s\nwant\n%s", got, want)
	}
	resp := response(evs)
	out := resp["output"].([]any)
	if len(out) != 4 {
		t.Fatalf("output %v", out)
	}
	ids := []string{"msg_b", "fc_b_0", "fc_b_1", "msg_b_1"}
	for i, it := range out {
		if it.(map[string]any)["id"] != ids[i] || it.(map[string]any)["status"] != "completed" {
			t.Errorf("item %d: %v", i, it)
		}
	}
	if out[1].(map[string]any)["arguments"] != `{"x":1}` || out[1].(map[string]any)["call_id"] != "call_a" {
		t.Errorf("interleaved call arguments: %v", out[1])
	}
	u := resp["usage"].(map[string]any)
	if u["total_tokens"] != 13.0 || u["cost"] != 0.001 || resp["status"] != "completed" || resp["model"] != "up" {
		t.Errorf("response %v", resp)
	}
}

func TestStreamIncompleteAndRefusal(t *testing.T) {
	evs := run(t, &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Refusal: "I can't"}}}}, textChunk("partial"), finishChunk(llm.FinishLength))
	want := "created in_progress output_item.added content_part.added refusal.delta content_part.added output_text.delta " +
		"output_text.done content_part.done refusal.done content_part.done output_item.done incomplete"
	if got := names(evs); got != want {
		t.Fatalf("events:\n%s\nwant\n%s", got, want)
	}
	resp := response(evs)
	if resp["status"] != "incomplete" || resp["incomplete_details"].(map[string]any)["reason"] != "max_output_tokens" {
		t.Errorf("response %v", resp)
	}
	msg := resp["output"].([]any)[0].(map[string]any)
	parts := msg["content"].([]any)
	if msg["status"] != "incomplete" || len(parts) != 2 || parts[0].(map[string]any)["type"] != "output_text" || parts[1].(map[string]any)["refusal"] != "I can't" {
		t.Errorf("message %v", msg)
	}
	if evs[5].data["content_index"] != 1.0 || evs[6].data["content_index"] != 1.0 {
		t.Errorf("the text part follows the refusal part: %v", evs[5].data)
	}
}

// A stream with no output still ends with one (empty) message, as a
// complete answer with none does.
func TestStreamEmpty(t *testing.T) {
	evs := run(t)
	if got := names(evs); got != "created in_progress output_item.added content_part.added output_text.delta output_text.done content_part.done output_item.done completed" {
		t.Fatalf("events %s", got)
	}
	if u := response(evs)["usage"]; u != nil {
		t.Errorf("usage %v with none reported", u)
	}
}

func TestStreamFail(t *testing.T) {
	r := decodeOK(t, `{"model":"m","input":"hi","stream":true}`)
	s := NewStreamer(r, Meta{IDs: IDs{Base: "b"}, Model: "m"})
	b := s.Chunk(s.Start(nil), textChunk("Hel"))
	e := &llm.Error{Kind: llm.KindTimeout, Message: "too slow", Code: "request_timeout"}
	evs := parseEvents(t, s.Fail(b, e))
	if got := names(evs); !strings.HasSuffix(got, "output_text.delta failed error") {
		t.Fatalf("events %s", got)
	}
	failed := evs[len(evs)-2].data["response"].(map[string]any)
	if failed["status"] != "failed" || failed["error"].(map[string]any)["code"] != "server_error" || failed["output"].([]any)[0].(map[string]any)["status"] != "incomplete" {
		t.Errorf("failed response %v", failed)
	}
	ev := evs[len(evs)-1].data
	nested := ev["error"].(map[string]any)
	if ev["code"] != "request_timeout" || ev["message"] != "too slow" || ev["param"] != nil || nested["message"] != "too slow" || nested["type"] != "timeout_error" {
		t.Errorf("error event %v", ev)
	}
}

// A chunk's text or arguments delta costs no allocation once its item is
// open (and its buffers have grown).
func TestStreamChunkDoesNotAllocate(t *testing.T) {
	r := decodeOK(t, `{"model":"m","input":"hi","stream":true}`)
	for _, c := range []struct{ open, delta *llm.Chunk }{
		{textChunk("warm"), textChunk("a \"quoted\" word\n")},
		{callChunk(0, "c", "f", "{"), callChunk(0, "", "", `"x":1`)},
	} {
		s := NewStreamer(r, Meta{IDs: IDs{Base: "b"}, Model: "m"})
		buf := s.Chunk(s.Start(make([]byte, 0, 64<<10)), c.open)
		s.items[0].text = make([]byte, 0, 1<<20)
		s.items[0].args = make([]byte, 0, 1<<20)
		allocs := testing.AllocsPerRun(500, func() { buf = s.Chunk(buf[:0], c.delta) })
		if allocs != 0 {
			t.Errorf("%v allocations per delta", allocs)
		}
		if !bytes.Contains(buf, []byte(`"delta":`)) {
			t.Errorf("last event %s", buf)
		}
	}
}
