package openai

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"switchyard/llm"
)

// readEvents reads every event of data one byte at a time.
func readEvents(t testing.TB, data []byte) ([]string, error) {
	er := NewEventReader(iotest.OneByteReader(bytes.NewReader(data)), 0)
	var out []string
	for {
		ev, err := er.Next()
		if err != nil {
			return out, err
		}
		out = append(out, string(ev))
	}
}

// The spec's streamed examples read back as their events, byte for byte,
// and the final event's usage is the documented one.
func TestEventReaderSpecExamples(t *testing.T) {
	for _, c := range []struct {
		file             string
		events           int
		final            string
		in, audio, total int
	}{
		{"images_streaming_events.sse", 2, "image_generation.completed", 50, 0, 100},
		{"image_edits_streaming_events.sse", 2, "image_edit.completed", 50, 0, 100},
		{"transcriptions_streaming_events.sse", 0, "transcript.text.done", 14, 14, 59},
	} {
		data, err := os.ReadFile(filepath.Join("testdata", "spec", c.file))
		if err != nil {
			t.Fatal(err)
		}
		events, err := readEvents(t, data)
		if !errors.Is(err, io.EOF) || strings.Join(events, "") != string(data) || c.events > 0 && len(events) != c.events {
			t.Fatalf("%s: %d events, %v; joined equal: %v", c.file, len(events), err, strings.Join(events, "") == string(data))
		}
		last, err := DecodeMediaEvent(EventData([]byte(events[len(events)-1])))
		if err != nil || last.Type != c.final || !last.Final || last.Usage.PromptTokens != c.in || last.Usage.AudioPromptTokens != c.audio || last.Usage.TotalTokens != c.total {
			t.Errorf("%s: last event %+v, %v", c.file, last, err)
		}
		first, err := DecodeMediaEvent(EventData([]byte(events[0])))
		if err != nil || first.Final {
			t.Errorf("%s: first event %+v, %v", c.file, first, err)
		}
	}
}

func TestEventReaderEdges(t *testing.T) {
	events, err := readEvents(t, []byte("\n\r\ndata: a\r\n\r\n: keep-alive\n\nevent: x\ndata: b\ndata: c\n\n"))
	if !errors.Is(err, io.EOF) || len(events) != 3 || events[0] != "data: a\r\n\r\n" || string(EventData([]byte(events[2]))) != "b\nc" {
		t.Errorf("events %q, %v", events, err)
	}
	if _, err := readEvents(t, []byte("data: a\n\ndata: {\"type\":")); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("cut within an event: %v", err)
	}
	er := NewEventReader(strings.NewReader("data: "+strings.Repeat("x", 100)+"\n\n"), 50)
	if _, err := er.Next(); !errors.Is(err, ErrEventTooLarge) {
		t.Errorf("over the bound: %v", err)
	}
	er = NewEventReader(strings.NewReader("data: "+strings.Repeat("x", 200<<10)+"\n\n"), 100<<10)
	if _, err := er.Next(); !errors.Is(err, ErrEventTooLarge) {
		t.Errorf("a line over the bound: %v", err)
	}
	er = NewEventReader(strings.NewReader("data: "+strings.Repeat("x", 200<<10)+"\n\n"), 0)
	if ev, err := er.Next(); err != nil || len(ev) != 200<<10+8 {
		t.Errorf("a long line: %d, %v", len(ev), err)
	}
}

func TestDecodeMediaEvent(t *testing.T) {
	e, err := DecodeMediaEvent([]byte(`{"error":{"message":"boom","type":"server_error"}}`))
	if err != nil || e.Type != "error" || e.Error != "boom" {
		t.Errorf("error event: %+v, %v", e, err)
	}
	e, err = DecodeMediaEvent([]byte(`{"type":"image_generation.completed","size":"1024x1536","quality":"high","usage":{"input_tokens":5,"output_tokens":7,"total_tokens":12}}`))
	if err != nil || !e.Final || e.Size != "1024x1536" || e.Quality != "high" || e.Usage.CompletionTokens != 7 {
		t.Errorf("completed: %+v, %v", e, err)
	}
	for _, bad := range []string{``, `[]`, `{}`, `{"type":5}`} {
		if _, err := DecodeMediaEvent([]byte(bad)); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
	b := AppendErrorEvent(nil, &llm.Error{Kind: llm.KindUpstream, Message: "cut"})
	if !strings.HasPrefix(string(b), "event: error\ndata: {\"error\":") || !strings.HasSuffix(string(b), "}\n\n") {
		t.Errorf("error event %q", b)
	}
}

// FuzzEventReader: any bytes read as events (no panic, no hang) whose
// concatenation is a prefix of the input with only blank lines left out;
// every event ends with a blank line and decodes or fails cleanly.
func FuzzEventReader(f *testing.F) {
	for _, name := range []string{"images_streaming_events.sse", "image_edits_streaming_events.sse", "transcriptions_streaming_events.sse"} {
		b, err := os.ReadFile(filepath.Join("testdata", "spec", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("\r\n\r\ndata: x\r\n\r\n"))
	f.Add([]byte("data: {\"error\":{}}\n\ndata:"))
	f.Fuzz(func(t *testing.T, data []byte) {
		er := NewEventReader(bytes.NewReader(data), 1<<10)
		total := 0
		for {
			ev, err := er.Next()
			if err != nil {
				break
			}
			total += len(ev)
			if !bytes.HasSuffix(ev, []byte("\n")) || !isBlank(ev[bytes.LastIndexByte(ev[:len(ev)-1], '\n')+1:]) {
				t.Fatalf("event %q does not end with a blank line", ev)
			}
			if m, err := DecodeMediaEvent(EventData(ev)); err == nil && m.Type == "" {
				t.Fatalf("decoded %+v without a type", m)
			}
		}
		if total > len(data) {
			t.Fatalf("read %d bytes of %d", total, len(data))
		}
	})
}

// FuzzDecodeMediaEvent: any data decodes or fails with an error (no
// panic); a decoded event has a type, a final one is one of the three
// final types, and an error event has a message.
func FuzzDecodeMediaEvent(f *testing.F) {
	for _, name := range []string{"images_completed_event.json", "image_edits_partial_image_event.json", "transcript_text_done_event.json", "transcript_text_delta_event.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "spec", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"error":{"message":""}}`))
	f.Add([]byte(`{"type":"transcript.text.done","usage":{"input_tokens":-1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := DecodeMediaEvent(data)
		if err != nil {
			return
		}
		switch {
		case e.Type == "":
			t.Fatalf("no type: %+v", e)
		case e.Type == "error" && e.Error == "":
			t.Fatalf("an error event without a message: %+v", e)
		case e.Final && e.Type != "image_generation.completed" && e.Type != "image_edit.completed" && e.Type != "transcript.text.done":
			t.Fatalf("final %q", e.Type)
		}
	})
}
