package providertest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"switchyard/llm"
)

// testRedirect checks that a 3xx answer is not followed: the host it
// points to receives nothing (neither the key nor the request body), and
// the stream fails with a retryable upstream error that says why.
func testRedirect(t *testing.T, a Adapter) {
	var reached atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, full(a.Format))
	}))
	t.Cleanup(elsewhere.Close)
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			sc := script{status: status, contentType: "text/html", header: map[string]string{"Location": elsewhere.URL + "/v1/stolen"}, body: "<a>moved</a>"}
			s, err := open(t, a, context.Background(), sc)
			if err == nil {
				r := collect(t, s)
				t.Fatalf("Stream followed the redirect: got %q, %v", r.text, r.err)
			}
			e := asError(t, err)
			if e.Kind != llm.KindUpstream || !e.Retryable || !strings.Contains(e.Message, "redirect") {
				t.Errorf("got %v (kind %q, retryable %v), want a retryable upstream error naming the redirect", e, e.Kind, e.Retryable)
			}
			if n := reached.Load(); n != 0 {
				t.Fatalf("the redirect's target received %d requests", n)
			}
		})
	}
}

// testEndBeforeFinish checks that the format's end marker arriving before
// any finish reason is a cut stream, not a complete one (OpenAI's adapter
// infers tool_calls after a call only; text so ended is cut).
func testEndBeforeFinish(t *testing.T, a Adapter) {
	f := a.Format
	if f.End == "" {
		t.Skip("the format has no end marker; a body's end before the finish reason is tested as a cut")
	}
	s, err := open(t, a, context.Background(), script{body: f.Start + f.Text("Hel") + f.End})
	if err != nil {
		t.Fatal(err)
	}
	r := collect(t, s)
	if r.err == io.EOF {
		t.Fatalf("the end marker before any finish reason ended the stream cleanly (text %q)", r.text)
	}
	if e := asError(t, r.err); e.Kind != llm.KindUpstream || !e.Retryable {
		t.Errorf("got %v (kind %q, retryable %v), want a retryable upstream error", e, e.Kind, e.Retryable)
	}
}

// testImplausibleUsage checks that usage counts no upstream can mean
// (negative, absurdly large, past int64, not an integer at all) are
// dropped, the rest of their event kept: the stream ends cleanly with its
// text and finish reason, and reports no usage (the router estimates it).
func testImplausibleUsage(t *testing.T, a Adapter) {
	f := a.Format
	for _, tt := range []struct{ name, prompt, completion string }{
		{"negative", "-3", "5"},
		{"negative completion", "3", "-1"},
		{"1e30", "3", "1e30"},
		{"past int64", "99999999999999999999999", "5"},
		{"a trillion", "1000000000000", "5"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body := f.Start + f.Text("Hel") + f.Text("lo") + f.FinishUsage(tt.prompt, tt.completion) + f.End
			_, r := helloStream(t, a, body)
			if r.usage != nil {
				t.Errorf("usage %+v passed on, want none", *r.usage)
			}
		})
	}
}
