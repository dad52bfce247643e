package providertest

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"switchyard/llm"
	"switchyard/provider"
)

// full is a complete response with "Hello" as its text.
func full(f Format) string { return f.Start + f.Text("Hel") + f.Text("lo") + f.Finish + f.End }

// testStream checks a complete stream, with and without the end marker:
// text, finish reason, usage, and io.EOF, sticky.
func testStream(t *testing.T, a Adapter) {
	f := a.Format
	for _, tt := range []struct{ name, body string }{
		{"proper end", full(f)},
		{"no end marker after the finish reason", f.Start + f.Text("Hel") + f.Text("lo") + f.Finish},
		{"keep-alives between events", f.Start + f.Noop + f.Text("Hel") + f.Noop + f.Text("lo") + f.Finish + f.End},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, r := helloStream(t, a, tt.body)
			if u := r.usage; u == nil || u.PromptTokens != 3 || u.CompletionTokens != 5 || u.TotalTokens != 8 {
				t.Errorf("usage %+v, want 3 + 5 = 8", u)
			}
			if _, err := s.Next(); err != io.EOF {
				t.Errorf("Next after the end = %v, want io.EOF again", err)
			}
		})
	}
}

// testFailures checks streams that must fail after the first byte.
func testFailures(t *testing.T, a Adapter) {
	f := a.Format
	for _, tt := range []struct {
		name string
		body string
		kind llm.ErrorKind
	}{
		{"cut before the finish reason", f.Start + f.Text("Hel"), llm.KindUpstream},
		{"cut inside an event", f.Start + f.Text("Hel") + strings.TrimRight(f.Text("lo"), "\r\n"), llm.KindUpstream},
		{"empty body", "", llm.KindUpstream},
		{"error event", f.Start + f.Text("Hel") + f.ErrorEvent, f.ErrorKind},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := open(t, a, context.Background(), script{body: tt.body})
			if err != nil {
				t.Fatal(err)
			}
			r := collect(t, s)
			if r.err == io.EOF {
				t.Fatalf("a failed stream ended with io.EOF (text %q)", r.text)
			}
			if e := asError(t, r.err); e.Kind != tt.kind {
				t.Errorf("kind %q, want %q (%v)", e.Kind, tt.kind, e)
			}
			if _, err := s.Next(); err == nil || err == io.EOF {
				t.Errorf("Next after the failure = %v, want the error again", err)
			}
		})
	}
}

// testBadEvents checks that up to provider.MaxBadEvents undecodable
// events are skipped and counted, that one more fails the stream, and
// that so does an answer whose only content was undecodable.
func testBadEvents(t *testing.T, a Adapter) {
	f := a.Format
	counter := provider.BadEvents.WithLabelValues(Name)
	t.Run("skipped and counted", func(t *testing.T) {
		before := testutil.ToFloat64(counter)
		body := f.Start + f.Bad + f.Text("Hel") + strings.Repeat(f.Bad, provider.MaxBadEvents-1) + f.Text("lo") + f.Finish + f.End
		s, err := open(t, a, context.Background(), script{body: body})
		if err != nil {
			t.Fatal(err)
		}
		r := collect(t, s)
		if r.err != io.EOF || r.text != "Hello" {
			t.Fatalf("got %q, %v; want \"Hello\", io.EOF", r.text, r.err)
		}
		if got := testutil.ToFloat64(counter) - before; got != provider.MaxBadEvents {
			t.Errorf("counted %v bad events, want %d", got, provider.MaxBadEvents)
		}
	})
	// An answer whose only content was an undecodable event would end
	// as an empty answer, the upstream's words lost: it is malformed, and
	// the next candidate may answer.
	t.Run("the only content undecodable", func(t *testing.T) {
		s, err := open(t, a, context.Background(), script{body: f.Start + f.Bad + f.Finish + f.End})
		if err != nil {
			t.Fatal(err)
		}
		r := collect(t, s)
		if e := asError(t, r.err); e.Kind != llm.KindUpstream || !e.Retryable {
			t.Errorf("got %q, %v; want a retryable upstream error", r.text, r.err)
		}
	})
	t.Run("past the limit", func(t *testing.T) {
		body := f.Start + f.Text("Hel") + strings.Repeat(f.Bad, provider.MaxBadEvents+1) + f.Text("lo") + f.Finish + f.End
		s, err := open(t, a, context.Background(), script{body: body})
		if err != nil {
			t.Fatal(err)
		}
		r := collect(t, s)
		if e := asError(t, r.err); e.Kind != llm.KindUpstream || !e.Retryable {
			t.Errorf("got %v (kind %q, retryable %v), want a retryable upstream error", r.err, e.Kind, e.Retryable)
		}
	})
}

// testOpen checks failures before the first byte: Stream itself fails.
func testOpen(t *testing.T, a Adapter) {
	f := a.Format
	for _, tt := range []struct {
		name       string
		sc         script
		kind       llm.ErrorKind
		retryAfter time.Duration
	}{
		{"429 with Retry-After", script{status: 429, contentType: "application/json", header: map[string]string{"Retry-After": "7"}, body: f.ErrorJSON},
			llm.KindRateLimit, 7 * time.Second},
		{"401 quoting the key", script{status: 401, contentType: "application/json", body: `{"error":{"message":"bad key ` + Secret + `, header ` + HeaderSecret + `"}}`},
			llm.KindUpstream, 0},
		{"500 with an HTML page", script{status: 500, contentType: "text/html", body: "<html><body>" + Secret + " " + HeaderSecret + "</body></html>"},
			llm.KindUpstream, 0},
		{"200 with a JSON error instead of a stream", script{contentType: "application/json", header: map[string]string{"Retry-After": "7"}, body: f.ErrorJSON},
			llm.KindRateLimit, 7 * time.Second},
		{"200 with other JSON instead of a stream", script{contentType: "application/json", body: `{"id":"x","object":"other"}`},
			llm.KindUpstream, 0},
		{"200 with HTML instead of a stream", script{contentType: "text/html; charset=utf-8", body: "<!doctype html><html><body>" + f.Start + "</body></html>"},
			llm.KindUpstream, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := open(t, a, context.Background(), tt.sc)
			if err == nil {
				s.Close()
				t.Fatal("Stream succeeded")
			}
			e := asError(t, err)
			if e.Kind != tt.kind || e.RetryAfter != tt.retryAfter {
				t.Errorf("kind %q, Retry-After %v; want %q, %v (%v)", e.Kind, e.RetryAfter, tt.kind, tt.retryAfter, e)
			}
		})
	}
}

// helloStream opens a stream that answers body and checks it ends
// cleanly with the text "Hello" and finish reason stop; the scenarios
// then judge its usage and what the stream does next.
func helloStream(t *testing.T, a Adapter, body string) (llm.Stream, result) {
	t.Helper()
	s, err := open(t, a, context.Background(), script{body: body})
	if err != nil {
		t.Fatal(err)
	}
	r := collect(t, s)
	if r.err != io.EOF {
		t.Fatalf("stream ended with %v, want io.EOF", r.err)
	}
	if r.text != "Hello" || r.finish != llm.FinishStop {
		t.Errorf("text %q, finish %q; want \"Hello\", stop", r.text, r.finish)
	}
	return s, r
}
