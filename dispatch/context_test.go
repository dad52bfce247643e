package dispatch

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"switchyard/health"
	"switchyard/llm"
)

var errTooLong = &llm.Error{Kind: llm.KindInvalidRequest, Code: llm.CodeContextLength,
	Message: "upstream p returned 400: This model's maximum context length is 8192 tokens"}

func windowed(f *fake, window int) *Target {
	t := target(f)
	t.Deployment.ContextWindow = window
	return t
}

// A context window overflow moves on to the candidates with a larger
// window (skipping the others without calling them), and is a 400 that
// names the limit only when none remains; it never counts against health.
func TestContextLengthMovesToALargerWindow(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cWindow int
		want    string // the serving deployment, or "" for the 400
	}{
		{"larger window remains", 128000, "c"},
		{"no larger window", 8192, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := health.NewTracker(health.Config{}, nil, health.Options{})
			a, b, c := newFake("a", script{err: errTooLong}), newFake("b", script{}), newFake("c", script{err: errTooLong}, script{})
			if tc.want != "" {
				c = newFake("c", script{})
			}
			p := &Plan{Tiers: []Tier{
				{Targets: []*Target{windowed(a, 8192), windowed(b, 4096)}, TTFTTimeout: time.Second},
				{Targets: []*Target{windowed(c, tc.cWindow)}, TTFTTimeout: time.Second},
			}}
			var served llm.Served
			s, err := New(Options{Health: tr}).Stream(context.Background(), req(), p, &served)
			if b.Calls() != 0 {
				t.Errorf("b (a smaller window) was called")
			}
			if tc.want != "" {
				if err != nil {
					t.Fatal(err)
				}
				drain(s)
				if served.Deployment != tc.want || a.Calls() != 1 {
					t.Errorf("served %+v, a calls %d", served, a.Calls())
				}
			} else {
				var e *llm.Error
				if !errors.As(err, &e) || e.HTTPStatus() != 400 || e.Code != llm.CodeContextLength || !strings.Contains(e.Message, "the largest tried allows 8192 tokens") {
					t.Fatalf("err = %v", err)
				}
				// The upstream counted no tokens and the plan estimated none:
				// Anthropic's words without counts.
				if !strings.HasPrefix(e.Message, "prompt is too long: the request does not fit") {
					t.Errorf("message %q", e.Message)
				}
				if c.Calls() != 0 {
					t.Errorf("c (not a larger window) was called")
				}
			}
			if h := tr.Snapshot(); len(h) > 0 && h[0].Failures != 0 {
				t.Errorf("the caller's oversized request counted against %s: %+v", h[0].Deployment, h[0])
			}
		})
	}
}

// A content-policy rejection is the caller's answer: not retried, not
// failed over, its reason kept.
func TestContentFilterReachesTheCaller(t *testing.T) {
	filtered := &llm.Error{Kind: llm.KindInvalidRequest, Code: llm.CodeContentFilter,
		Message: "upstream p returned 400: The response was filtered due to the prompt triggering Azure OpenAI's content management policy."}
	a, b := newFake("a", script{err: filtered}), newFake("b", script{})
	_, err := New(Options{}).Stream(context.Background(), req(), planOf(time.Second, a, b), &llm.Served{})
	var e *llm.Error
	if !errors.As(err, &e) || e.Code != llm.CodeContentFilter || !strings.Contains(e.Message, "content management policy") {
		t.Fatalf("err = %v", err)
	}
	if a.Calls() != 1 || b.Calls() != 0 {
		t.Errorf("calls a=%d b=%d", a.Calls(), b.Calls())
	}
}

// The 400 begins as Anthropic words an overflow, with the counts of the
// last upstream that refused, else the plan's estimate, when they exceed
// the largest window.
func TestContextErrorInAnthropicsWords(t *testing.T) {
	for _, tc := range []struct {
		upstream string
		estimate int
		want     string
	}{
		{"prompt is too long: 9000 tokens > 8192 maximum", 100, "prompt is too long: 9000 tokens > 8192 maximum: "},
		{"This model's maximum context length is 8192 tokens. However, you requested 8300 tokens (8000 in the messages, 300 in the completion).", 100, "prompt is too long: 8300 tokens > 8192 maximum: "},
		{"This model's maximum context length is 8192 tokens", 9500, "prompt is too long: 9500 tokens > 8192 maximum: "},
		{"This model's maximum context length is 8192 tokens", 100, "prompt is too long: the request"},
	} {
		tooLong := &llm.Error{Kind: llm.KindInvalidRequest, Code: llm.CodeContextLength, Message: "upstream p returned 400: " + tc.upstream}
		p := &Plan{PromptTokens: tc.estimate, Tiers: []Tier{{Targets: []*Target{windowed(newFake("a", script{err: tooLong}), 8192)}, TTFTTimeout: time.Second}}}
		_, err := New(Options{}).Stream(context.Background(), req(), p, &llm.Served{})
		if e := llm.AsError(err); e == nil || !strings.HasPrefix(e.Message, tc.want) {
			t.Errorf("upstream %q, estimate %d: %v, want a message beginning %q", tc.upstream, tc.estimate, err, tc.want)
		}
	}
}
