package dispatch

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchyard/health"
	"switchyard/llm"
)

var (
	// errBadKey is provider.ErrorFromResponse's 401: a 502 of its own code.
	errBadKey = &llm.Error{Kind: llm.KindUpstream, Status: http.StatusBadGateway, Code: llm.CodeUpstreamAuth,
		Message: "upstream p rejected the configured credentials (401): invalid x-api-key"}
	// err404Model is an upstream's 404 for a model it does not have.
	err404Model = &llm.Error{Kind: llm.KindNotFound, Code: llm.CodeModelNotFound,
		Message: "upstream o returned 404: The model `gpt-x` does not exist or you do not have access to it."}
	err413 = &llm.Error{Kind: llm.KindTooLarge, Message: "upstream a returned 413: request_too_large: Request exceeds the maximum allowed number of bytes."}
)

// A deployment whose key or model the upstream refuses fails every
// request alike: its breaker opens at the first, and the next request
// goes straight to the fallback.
func TestMisconfiguredDeploymentIsSkippedAfterOneFailure(t *testing.T) {
	for _, bad := range []*llm.Error{errBadKey, err404Model, errNoModel} {
		tr := health.NewTracker(health.Config{}, nil, health.Options{})
		a, b := newFake("a", script{err: bad}, script{err: bad}), newFake("b", script{}, script{})
		d := New(Options{Health: tr})
		for i := range 2 {
			var served llm.Served
			s, err := d.Stream(context.Background(), req(), planOf(time.Second, a, b), &served)
			if err != nil {
				t.Fatalf("%s: request %d: %v", bad.Code, i, err)
			}
			drain(s)
			if served.Deployment != "b" {
				t.Fatalf("%s: request %d served by %+v", bad.Code, i, served)
			}
		}
		if a.Calls() != 1 {
			t.Errorf("%s: a called %d times, want once (then its breaker open)", bad.Code, a.Calls())
		}
		if st := tr.Status("a"); st.Breaker != health.Open {
			t.Errorf("%s: a's breaker %s", bad.Code, st.Breaker)
		}
	}
}

// Alone, a deployment whose model the upstream does not have answers a
// 502 that says so: the client's model (the route) exists; the router's
// configuration is wrong. Its code stays model_not_found.
func TestModelNotFoundAloneIsABadGateway(t *testing.T) {
	for _, bad := range []*llm.Error{err404Model, errNoModel} {
		a := newFake("a", script{err: bad})
		_, err := New(Options{MaxRetries: -1}).Stream(context.Background(), req(), planOf(time.Second, a), &llm.Served{})
		e := llm.AsError(err)
		if e.HTTPStatus() != http.StatusBadGateway || e.Kind != llm.KindUpstream || e.Code != llm.CodeModelNotFound {
			t.Fatalf("%s: got %d %s %q", bad.Message, e.HTTPStatus(), e.Kind, e.Code)
		}
		if !strings.Contains(e.Message, bad.Message) || !strings.Contains(e.Message, "router config") {
			t.Errorf("message %q", e.Message)
		}
		if bad.Kind == llm.KindUpstream || bad.Status != 0 {
			t.Errorf("the upstream's error was changed: %+v", bad)
		}
	}
}

// An upstream's 413 is its own size limit, and providers' limits differ
// (Anthropic's 32 MB, an nginx's 1 MB): the next candidate is tried, the
// refusing one is not marked, and alone the client gets the 413.
func TestTooLargeFailsOverWithoutHealthMark(t *testing.T) {
	tr := health.NewTracker(health.Config{}, nil, health.Options{})
	a, b := newFake("a", script{err: err413}), newFake("b", script{})
	var served llm.Served
	s, err := New(Options{Health: tr}).Stream(context.Background(), req(), planOf(time.Second, a, b), &served)
	if err != nil {
		t.Fatal(err)
	}
	drain(s)
	if served.Deployment != "b" || a.Calls() != 1 {
		t.Fatalf("served %+v, a calls %d", served, a.Calls())
	}
	for _, h := range tr.Snapshot() {
		if h.Deployment == "a" && h.Failures != 0 {
			t.Errorf("a's 413 counted against its health: %+v", h)
		}
	}
	alone := newFake("a", script{err: err413})
	_, err = New(Options{}).Stream(context.Background(), req(), planOf(time.Second, alone), &llm.Served{})
	if e := llm.AsError(err); e.HTTPStatus() != http.StatusRequestEntityTooLarge || alone.Calls() != 1 {
		t.Errorf("alone: %v (%d), calls %d", e, e.HTTPStatus(), alone.Calls())
	}
}
