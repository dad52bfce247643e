package providertest

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"strconv"
	"strings"
	"testing"

	"switchyard/llm"
)

// lf returns body with every line ending "\n".
func lf(body string) string { return strings.ReplaceAll(body, "\r\n", "\n") }

// testFraming checks that the legal ways of framing the same events (the
// SSE spec's line endings, comments, fields and split data lines, and the
// sizes a giant tool-call argument reaches) change nothing the adapter
// yields.
func testFraming(t *testing.T, a Adapter) {
	f := a.Format
	body := full(f)
	for _, tt := range []struct{ name, body string }{
		{"LF line endings", lf(body)},
		{"CRLF line endings", strings.ReplaceAll(lf(body), "\n", "\r\n")},
		{"CR line endings", strings.ReplaceAll(lf(body), "\n", "\r")},
		{"comment lines", ": OPENROUTER PROCESSING\n\n" + f.Start + ": keep-alive\n\n" + f.Text("Hel") +
			": OPENROUTER PROCESSING\n" + f.Text("lo") + f.Finish + f.End},
		{"no space after the colon", strings.NewReplacer("data: ", "data:", "event: ", "event:").Replace(body)},
		{"data split over several data lines", strings.ReplaceAll(body, "data: {", "data: {\ndata: ")},
		{"id and retry fields", strings.ReplaceAll(body, "data: ", "id: 7\nretry: 3000\ndata: ")},
		{"byte order mark first", "\uFEFF" + body},
		{"no blank line after the last event", strings.TrimRight(body, "\r\n") + "\n"},
	} {
		t.Run(tt.name, func(t *testing.T) { helloStream(t, a, tt.body) })
	}
	for _, n := range []int{64<<10 + 1, 1<<20 + 1} {
		t.Run("a "+strconv.Itoa(n)+"-byte line", func(t *testing.T) {
			big := strings.Repeat("x", n)
			s, err := open(t, a, context.Background(), script{body: f.Start + f.Text(big) + f.Text("lo") + f.Finish + f.End})
			if err != nil {
				t.Fatal(err)
			}
			r := collect(t, s)
			if r.err != io.EOF || r.text != big+"lo" {
				t.Fatalf("got %d bytes of text, %v; want %d, io.EOF", len(r.text), r.err, n+2)
			}
		})
	}
}

// gzipped returns s compressed with gzip.
func gzipped(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	io.WriteString(w, s)
	w.Close()
	return b.String()
}

// testBodies checks bodies that are not what the headers promise: a
// gzip body the client did not ask for is read; a JSON error body sent as
// an event stream is the error it holds; bytes after the JSON value
// of an event are ignored (its content is not lost); a body shorter than
// its Content-Length is a cut stream.
func testBodies(t *testing.T, a Adapter) {
	f := a.Format
	t.Run("gzip body not asked for", func(t *testing.T) {
		sc := script{header: map[string]string{"Content-Encoding": "gzip"}, body: gzipped(full(f))}
		s, err := open(t, a, context.Background(), sc)
		if err != nil {
			t.Fatal(err)
		}
		if r := collect(t, s); r.err != io.EOF || r.text != "Hello" {
			t.Fatalf("got %q, %v; want \"Hello\", io.EOF", r.text, r.err)
		}
	})
	t.Run("bytes after an event's JSON", func(t *testing.T) {
		garbled := strings.NewReplacer("}\n", "} x\n", "}\r\n", "}\tgarbage\r\n").Replace(f.Text("Hel"))
		helloStream(t, a, f.Start+garbled+f.Text("lo")+f.Finish+f.End)
	})
	t.Run("a JSON error labelled as an event stream", func(t *testing.T) {
		for _, body := range []string{f.ErrorJSON, "\n  " + f.ErrorJSON + "\n"} {
			s, err := open(t, a, context.Background(), script{body: body})
			if err == nil {
				err = collect(t, s).err
			}
			if e := asError(t, err); e.Kind != llm.KindRateLimit {
				t.Errorf("got %v (kind %q), want the rate limit the body holds", e, e.Kind)
			}
		}
	})
	t.Run("Content-Length longer than the body", func(t *testing.T) {
		body := f.Start + f.Text("Hel") + f.Text("lo")
		sc := script{header: map[string]string{"Content-Length": strconv.Itoa(len(full(f)))}, body: body}
		s, err := open(t, a, context.Background(), sc)
		if err != nil {
			t.Fatal(err)
		}
		r := collect(t, s)
		if r.err == io.EOF {
			t.Fatalf("a cut body ended cleanly (text %q)", r.text)
		}
		if e := asError(t, r.err); e.Kind != llm.KindUpstream || !e.Retryable {
			t.Errorf("got %v (kind %q, retryable %v), want a retryable upstream error", e, e.Kind, e.Retryable)
		}
	})
}
