package responses

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"switchyard/llm"
)

func TestBackgroundDecoded(t *testing.T) {
	if r := decodeOK(t, `{"model":"m","input":"hi","background":true,"stream":true}`); !r.Background || !r.Chat.Stream {
		t.Errorf("background true: Background %v, Stream %v", r.Background, r.Chat.Stream)
	}
	for _, body := range []string{`{"model":"m","input":"hi"}`, `{"model":"m","input":"hi","background":false}`, `{"model":"m","input":"hi","background":null}`} {
		if r := decodeOK(t, body); r.Background {
			t.Errorf("%s: decoded as background", body)
		}
	}
}

func TestDecodeCountRequest(t *testing.T) {
	r, err := DecodeCountRequest([]byte(`{"input":"Tell me a joke.","instructions":"Be brief."}`), Stored{})
	if err != nil || r.Chat.Model != "" || len(r.Chat.Messages) != 2 {
		t.Fatalf("without a model: %+v, %v", r, err)
	}
	if r, err := DecodeCountRequest([]byte(`{"model":"gpt-5","input":"hi"}`), Stored{}); err != nil || r.Chat.Model != "gpt-5" {
		t.Fatalf("with a model: %+v, %v", r, err)
	}
	if _, err := DecodeCountRequest([]byte(`{"model":"m","input":"hi","previous_response_id":"resp_1"}`), Stored{}); err == nil {
		t.Error("previous_response_id without a Loader was not refused")
	}
	if _, err := DecodeRequestStored([]byte(`{"input":"hi"}`), Stored{}); err == nil || !strings.Contains(err.Error(), "'model'") {
		t.Errorf("a create request without a model: %v", err)
	}
}

// A background stream opens queued (created, queued), then in progress
// once it runs; its events are numbered from 0 without a gap, Seq being
// the next number, and its response objects say background.
func TestQueuedStream(t *testing.T) {
	r := decodeOK(t, `{"model":"m","input":"hi","background":true,"stream":true}`)
	st := NewStreamer(r, Meta{IDs: IDs{Base: "b"}, Model: "m", Store: true, Background: true})
	var buf []byte
	buf = st.Queued(buf)
	if st.Seq() != 2 {
		t.Fatalf("Seq after Queued = %d, want 2", st.Seq())
	}
	buf = st.Started(buf)
	buf = st.Chunk(buf, textChunk("Hello"))
	buf = st.Finish(buf, "")
	evs := parseEvents(t, buf)
	if got := names(evs); !strings.HasPrefix(got, "created queued in_progress output_item.added") || !strings.HasSuffix(got, "completed") {
		t.Fatalf("events: %s", got)
	}
	if st.Seq() != int64(len(evs)) {
		t.Errorf("Seq = %d after %d events", st.Seq(), len(evs))
	}
	for i, want := range map[int]string{0: "queued", 1: "queued", 2: "in_progress", len(evs) - 1: "completed"} {
		resp := evs[i].data["response"].(map[string]any)
		if resp["status"] != want || resp["background"] != true {
			t.Errorf("event %d (%s): status %v background %v, want %s, true", i, evs[i].name, resp["status"], resp["background"], want)
		}
	}
}

func TestRestatus(t *testing.T) {
	r := decodeOK(t, `{"model":"m","input":"hi","background":true,"metadata":{"k":"v"}}`)
	object := AppendResponse(nil, r, &Meta{IDs: IDs{Base: "b"}, Model: "m", Store: true, Background: true}, &Output{Status: StatusInProgress})
	for _, c := range []struct {
		status string
		e      *llm.Error
		code   any
	}{{StatusCancelled, nil, nil}, {StatusFailed, &llm.Error{Kind: llm.KindUnavailable, Message: "the router stopped"}, "server_error"}} {
		got := Restatus(object, "resp_b", c.status, c.e)
		var m map[string]any
		if err := json.Unmarshal(got, &m); err != nil {
			t.Fatalf("%s: %v in %s", c.status, err, got)
		}
		if m["status"] != c.status || m["id"] != "resp_b" || m["model"] != "m" || m["background"] != true || m["metadata"].(map[string]any)["k"] != "v" {
			t.Errorf("%s: %s", c.status, got)
		}
		switch e, _ := m["error"].(map[string]any); {
		case c.e == nil && m["error"] != nil:
			t.Errorf("%s: error %v, want null", c.status, m["error"])
		case c.e != nil && (e["code"] != c.code || e["message"] != c.e.Message):
			t.Errorf("%s: error %v", c.status, m["error"])
		}
	}
	for _, bad := range []string{"", "garbage", "[1]", "null", `{"id":`} {
		got := Restatus([]byte(bad), "resp_x", StatusFailed, &llm.Error{Kind: llm.KindUnavailable, Message: "gone"})
		var m map[string]any
		if err := json.Unmarshal(got, &m); err != nil || m["id"] != "resp_x" || m["status"] != StatusFailed || m["object"] != "response" {
			t.Errorf("Restatus(%q) = %s, %v", bad, got, err)
		}
	}
}

// FailedEvents end a stream as Fail does: response.failed then error,
// numbered from seq.
func TestFailedEvents(t *testing.T) {
	e := &llm.Error{Kind: llm.KindUnavailable, Code: "background_lease_expired", Message: "stopped"}
	b := FailedEvents(nil, 7, []byte(`{"id":"resp_1","status":"failed"}`), e)
	evs := SplitEvents(b)
	if len(evs) != 2 {
		t.Fatalf("%d events: %q", len(evs), b)
	}
	for i, want := range []string{"response.failed", "error"} {
		lines := strings.SplitN(strings.TrimSuffix(string(evs[i]), "\n\n"), "\n", 2)
		var data map[string]any
		if lines[0] != "event: "+want || json.Unmarshal([]byte(strings.TrimPrefix(lines[1], "data: ")), &data) != nil ||
			data["type"] != want || data["sequence_number"] != float64(7+i) {
			t.Errorf("event %d = %q, want %s numbered %d", i, evs[i], want, 7+i)
		}
	}
	if !bytes.Contains(evs[1], []byte(`"code":"background_lease_expired"`)) {
		t.Errorf("the error event lacks its code: %s", evs[1])
	}
}

func TestSplitEvents(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"event: a\ndata: {}\n\n", []string{"event: a\ndata: {}\n\n"}},
		{"event: a\ndata: {}\n\nevent: b\ndata: {\"x\":\"\\n\"}\n\n", []string{"event: a\ndata: {}\n\n", "event: b\ndata: {\"x\":\"\\n\"}\n\n"}},
		{"event: a\ndata: {}\n\ntrailing", []string{"event: a\ndata: {}\n\n", "trailing"}},
	} {
		got := SplitEvents([]byte(c.in))
		if len(got) != len(c.want) {
			t.Errorf("SplitEvents(%q) = %q", c.in, got)
			continue
		}
		for i := range got {
			if string(got[i]) != c.want[i] {
				t.Errorf("SplitEvents(%q)[%d] = %q, want %q", c.in, i, got[i], c.want[i])
			}
		}
	}
}

func TestAppendInputTokens(t *testing.T) {
	if got := string(AppendInputTokens(nil, 123)); got != `{"object":"response.input_tokens","input_tokens":123}` {
		t.Errorf("AppendInputTokens = %s", got)
	}
}

// FuzzRestatus: any stored bytes give a response object, valid JSON,
// with the status and error asked for.
func FuzzRestatus(f *testing.F) {
	for _, s := range []string{`{"id":"resp_1","status":"in_progress","output":[]}`, `{"status":1,"error":{"x":[]}}`, `[]`, `{`, ``, `"x"`, `{"a":"\ud800"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, object []byte) {
		out := Restatus(object, "resp_f", StatusFailed, &llm.Error{Kind: llm.KindUnavailable, Message: "m"})
		var m map[string]any
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("Restatus(%q) = %q: %v", object, out, err)
		}
		if m["status"] != StatusFailed || m["error"] == nil {
			t.Fatalf("Restatus(%q) = %s", object, out)
		}
	})
}

// FuzzSplitEvents: the events put back together are the data, and every
// one but the last ends with a blank line.
func FuzzSplitEvents(f *testing.F) {
	for _, s := range []string{"", "event: a\ndata: {}\n\n", "a\n\n\n\nb", "\n\n", "x"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		evs := SplitEvents(data)
		if got := bytes.Join(evs, nil); !bytes.Equal(got, data) {
			t.Fatalf("joined %q, want %q", got, data)
		}
		for i, e := range evs {
			if len(e) == 0 || i < len(evs)-1 && !bytes.HasSuffix(e, eventEnd) {
				t.Fatalf("event %d of %q: %q", i, data, e)
			}
		}
	})
}

// FuzzDecodeCountRequest: the input_tokens decoder never panics; it fails
// with an invalid_request error, or yields a request with messages.
func FuzzDecodeCountRequest(f *testing.F) {
	for _, s := range append(fuzzSeeds, `{"input":"no model"}`, `{"input":[{"role":"user","content":"x"}],"tools":[]}`) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeCountRequest(data, Stored{})
		if err != nil {
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Message == "" {
				t.Fatalf("error %#v", err)
			}
			return
		}
		if len(r.Chat.Messages) == 0 {
			t.Fatalf("decoded without messages: %+v", r.Chat)
		}
	})
}

func TestDecodeRetrieveBody(t *testing.T) {
	for _, c := range []struct {
		body   string
		stream bool
		fails  bool
	}{{"", false, false}, {" \n", false, false}, {`{"stream":true}`, true, false}, {`{"stream":false}`, false, false}, {`{}`, false, false},
		{`{"stream":"yes"}`, false, true}, {`{"other":1}`, false, true}, {`[`, false, true}} {
		stream, err := DecodeRetrieveBody([]byte(c.body))
		if stream != c.stream || (err != nil) != c.fails {
			t.Errorf("DecodeRetrieveBody(%q) = %v, %v", c.body, stream, err)
		}
	}
}

// FuzzDecodeRetrieveBody: never panics; fails with an invalid_request
// error or says whether a stream is asked for.
func FuzzDecodeRetrieveBody(f *testing.F) {
	for _, s := range []string{"", `{"stream":true}`, `{"stream":null}`, `{"x":1}`, `{`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := DecodeRetrieveBody(data); err != nil {
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Message == "" {
				t.Fatalf("error %#v", err)
			}
		}
	})
}
