package gateway

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/route"
)

// fake is a provider whose answer per upstream model is scripted.
type fake struct {
	mu    sync.Mutex
	calls []string
	fail  map[string]*llm.Error
	delay time.Duration
}

func (f *fake) Chat(ctx context.Context, req *llm.Request) (*llm.Response, error) {
	f.mu.Lock()
	f.calls = append(f.calls, req.Model)
	err := f.fail[req.Model]
	f.mu.Unlock()
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			return nil, llm.Wrap(llm.KindTimeout, ctx.Err(), "deadline")
		}
	}
	if err != nil {
		return nil, err
	}
	return &llm.Response{Model: req.Model, Usage: &llm.Usage{PromptTokens: 10, CompletionTokens: 10}}, nil
}

// Stream answers like Chat, as one content chunk and a usage chunk.
func (f *fake) Stream(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	r, err := f.Chat(ctx, req)
	if err != nil {
		return nil, err
	}
	return &chunks{list: []*llm.Chunk{
		{Model: r.Model, Choices: []llm.ChunkChoice{{Delta: llm.Delta{Role: llm.RoleAssistant, Content: "ok"}, FinishReason: llm.FinishStop}}},
		{Model: r.Model, Usage: r.Usage},
	}}, nil
}

type chunks struct{ list []*llm.Chunk }

func (c *chunks) Next() (*llm.Chunk, error) {
	if len(c.list) == 0 {
		return nil, io.EOF
	}
	x := c.list[0]
	c.list = c.list[1:]
	return x, nil
}

func (c *chunks) Close() error { return nil }

const gwConfig = `
providers:
  p: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
deployments:
  a: {provider: p, price: {input: 1, output: 1}}
  b: {provider: p, price: {input: 2, output: 2}}
  c: {provider: p, price: {input: 3, output: 3}}
routes:
  r:
    deployments: [a, b, c]
    latency_budget: {total: 50ms}
`

func newTestGateway(t *testing.T, f *fake) *Gateway {
	t.Helper()
	cfg, err := config.Parse([]byte(gwConfig), nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(cfg, Options{
		Providers: map[string]llm.ChatProvider{"p": f},
		Classify: func(req *llm.Request) route.Features {
			return route.Features{Category: llm.CategoryChat, Confidence: 0.8, Needs: route.NeedsOf(req)}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func hello(model string) *llm.Request {
	return &llm.Request{Model: model, Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hello")}}
}

func retryable(msg string) *llm.Error { return llm.Errorf(llm.KindUnavailable, "%s", msg) }

func TestFailoverFollowsThePlan(t *testing.T) {
	f := &fake{fail: map[string]*llm.Error{"a": retryable("a down")}}
	g := newTestGateway(t, f)
	var served llm.Served
	if _, err := g.Chat(context.Background(), hello("r"), nil, &served); err != nil {
		t.Fatal(err)
	}
	// a may be retried once (if the backoff fits the 50ms budget) before b.
	calls := strings.Join(f.calls, ",")
	if (calls != "a,b" && calls != "a,a,b") || served.Deployment != "b" || served.Attempts != len(f.calls) {
		t.Errorf("calls %v served %+v", f.calls, served)
	}
	if want := "route=r; category=chat(0.80); tier=2/3; deployment=b; attempt="; !strings.HasPrefix(served.Summary, want) {
		t.Errorf("summary %q, want %q…", served.Summary, want)
	}
}

// When a pinned deployment and every fallback fail, the caller hears
// about the pin.
func TestPinnedErrorWins(t *testing.T) {
	f := &fake{fail: map[string]*llm.Error{"a": retryable("a down"), "b": retryable("b down"), "c": retryable("c down")}}
	g := newTestGateway(t, f)
	var served llm.Served
	_, err := g.Chat(context.Background(), hello("b"), nil, &served)
	if err == nil || !strings.Contains(err.Error(), "b down") || served.Deployment != "b" || served.Attempts < 3 {
		t.Errorf("err %v served %+v calls %v", err, served, f.calls)
	}
	if served.Route != "" {
		t.Errorf("route %q for a deployment asked by name", served.Route)
	}
}

func TestOverridesReachThePolicy(t *testing.T) {
	f := &fake{}
	g := newTestGateway(t, f)
	var served llm.Served
	_, err := g.Chat(context.Background(), hello("r"), &route.Overrides{Model: "c", NoFallback: true}, &served)
	if err != nil || served.Deployment != "c" || !strings.HasPrefix(served.Summary, "pinned=c; route=r;") {
		t.Errorf("err %v served %+v", err, served)
	}
	_, err = g.Chat(context.Background(), hello("r"), &route.Overrides{MaxCostUSD: 1e-12}, &served)
	if e := llm.AsError(err); e.Kind != llm.KindUnprocessable {
		t.Errorf("err %v", err)
	}
}

// The route's total latency budget is the request's deadline.
func TestPlanDeadline(t *testing.T) {
	f := &fake{delay: time.Second}
	g := newTestGateway(t, f)
	start := time.Now()
	var served llm.Served
	_, err := g.Chat(context.Background(), hello("r"), nil, &served)
	if e := llm.AsError(err); e.Kind != llm.KindTimeout || time.Since(start) > 500*time.Millisecond {
		t.Errorf("err %v after %s", err, time.Since(start))
	}
	if len(f.calls) != 1 {
		t.Errorf("calls after the deadline: %v", f.calls)
	}
}

func TestModelsListBuiltins(t *testing.T) {
	g := newTestGateway(t, &fake{})
	var routes []string
	for _, m := range g.Models() {
		if m.Route {
			routes = append(routes, m.ID)
		}
	}
	if got := strings.Join(routes, ","); got != "auto,auto-best,auto-cheap,r" {
		t.Errorf("routes %s", got)
	}
}

func TestSeedIsStable(t *testing.T) {
	// FNV-1a of "req_1": the same id must always give the same split.
	if got := seed("req_1"); got != 18183392290075372015 || seed("req_2") == got {
		t.Errorf("seed(req_1) = %d: not the stable FNV-1a of the request id", got)
	}
}
