package gateway

import (
	"context"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/route"
)

// answer is how a fake upstream answers model: one content chunk and a
// usage chunk.
func answer(model string) llmtest.Script {
	return llmtest.Script{Events: llmtest.Chunks(
		&llm.Chunk{Model: model, Choices: []llm.ChunkChoice{{Delta: llm.Delta{Role: llm.RoleAssistant, Content: "ok"}, FinishReason: llm.FinishStop}}},
		&llm.Chunk{Model: model, Usage: &llm.Usage{PromptTokens: 10, CompletionTokens: 10}},
	)}
}

// newFake returns a scripted upstream that answers every model with
// answer, except the models in fail, which fail with their error at once.
func newFake(fail map[string]*llm.Error) *llmtest.Provider {
	return &llmtest.Provider{Func: func(_ context.Context, req *llm.Request, _ int) llmtest.Script {
		if err := fail[req.Model]; err != nil {
			return llmtest.Script{Err: err}
		}
		return answer(req.Model)
	}}
}

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

func newTestGateway(t *testing.T, f llm.ChatProvider) *Gateway {
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
	f := newFake(map[string]*llm.Error{"a": retryable("a down")})
	g := newTestGateway(t, f)
	var served llm.Served
	if _, err := g.Chat(context.Background(), hello("r"), nil, &served); err != nil {
		t.Fatal(err)
	}
	// a may be retried once (if the backoff fits the 50ms budget) before b.
	calls := strings.Join(f.Models(), ",")
	if (calls != "a,b" && calls != "a,a,b") || served.Deployment != "b" || served.Attempts != f.Calls() {
		t.Errorf("calls %v served %+v", f.Models(), served)
	}
	if want := "route=r; category=chat(0.80); tier=2/3; deployment=b; attempt="; !strings.HasPrefix(served.Summary, want) {
		t.Errorf("summary %q, want %q…", served.Summary, want)
	}
}

// When a pinned deployment and every fallback fail, the caller hears
// about the pin.
func TestPinnedErrorWins(t *testing.T) {
	f := newFake(map[string]*llm.Error{"a": retryable("a down"), "b": retryable("b down"), "c": retryable("c down")})
	g := newTestGateway(t, f)
	var served llm.Served
	_, err := g.Chat(context.Background(), hello("b"), nil, &served)
	if err == nil || !strings.Contains(err.Error(), "b down") || served.Deployment != "b" || served.Attempts < 3 {
		t.Errorf("err %v served %+v calls %v", err, served, f.Models())
	}
	if served.Route != "" {
		t.Errorf("route %q for a deployment asked by name", served.Route)
	}
}

func TestOverridesReachThePolicy(t *testing.T) {
	f := newFake(nil)
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

// The route's total latency budget (50ms) is the request's deadline: the
// upstream's context carries it and a hung upstream ends in a timeout.
// (Checked by the deadline the upstream sees, not by wall-clock time.)
func TestPlanDeadline(t *testing.T) {
	never := make(chan struct{}) // the first token never comes
	var deadline, entered time.Time
	f := &llmtest.Provider{Func: func(ctx context.Context, _ *llm.Request, _ int) llmtest.Script {
		entered = time.Now()
		dl, ok := ctx.Deadline()
		if !ok {
			return llmtest.Script{Err: llm.Errorf(llm.KindInternal, "no deadline")}
		}
		deadline = dl
		return llmtest.Script{Events: []llmtest.Event{{Gate: never}}}
	}}
	g := newTestGateway(t, f)
	start := time.Now()
	var served llm.Served
	_, err := g.Chat(context.Background(), hello("r"), nil, &served)
	if e := llm.AsError(err); e.Kind != llm.KindTimeout {
		t.Errorf("err %v, want a timeout", err)
	}
	if f.Calls() != 1 {
		t.Fatalf("calls after the deadline: %v", f.Models())
	}
	if budget := 50 * time.Millisecond; deadline.Before(start.Add(budget)) || deadline.After(entered.Add(budget)) {
		t.Errorf("upstream deadline %s after the call began, want the 50ms budget", deadline.Sub(start))
	}
}

func TestModelsListBuiltins(t *testing.T) {
	g := newTestGateway(t, newFake(nil))
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
