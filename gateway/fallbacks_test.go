package gateway

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"switchyard/config"
	"switchyard/cost"
	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/record"
	"switchyard/route"
	"switchyard/tenant"
	"switchyard/wire/anthropic"
)

const fallbackConfig = `
providers:
  p: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
resilience: {retries: 0}
deployments:
  a: {provider: p, price: {input: 1, output: 1}}
  b: {provider: p, price: {input: 2, output: 2}}
  c: {provider: p, price: {input: 3, output: 3}}
routes:
  r:
    deployments: [a, b]
    latency_budget: {total: 1m}
  final:
    deployments: [a, b]
    on_refusal: return
`

// refuses answers with a refusal after a usage count.
func refuses(req *llm.Request) llmtest.Script {
	m := req.Model
	return llmtest.Script{Events: []llmtest.Event{
		chunk(m, llm.Delta{Role: llm.RoleAssistant}, ""), chunk(m, llm.Delta{}, llm.FinishContentFilter), usageEvent(m, 10, 1),
	}}
}

func fallbackGateway(t *testing.T, p llm.ChatProvider) (*Gateway, func() []*record.Record) {
	t.Helper()
	cost.Warm()
	cfg, err := config.Parse([]byte(fallbackConfig), nil)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var recs []*record.Record
	rc := record.NewRecorder(16, record.SinkFunc(func(r *record.Record) { mu.Lock(); recs = append(recs, r); mu.Unlock() }))
	g, err := New(cfg, Options{Recorder: rc, Providers: map[string]llm.ChatProvider{"p": p},
		Classify: func(req *llm.Request) route.Features {
			return route.Features{Category: llm.CategoryChat, Confidence: 0.8, PromptTokens: 12, Needs: route.NeedsOf(req)}
		}})
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	closeRC := func() { once.Do(func() { rc.Close(context.Background()) }) }
	t.Cleanup(closeRC)
	return g, func() []*record.Record {
		closeRC()
		mu.Lock()
		defer mu.Unlock()
		return recs
	}
}

func withFallbacks(model string, fb *llm.Fallbacks) *llm.Request {
	req := hello(model)
	req.Fallbacks = fb
	return req
}

// A list's model answers a refusal of the route's first candidate —
// before the route's next one — sent its own max_tokens; the answer names
// the hand-over; the record has the fallback tier in its plan, the
// refusal then the answer in its trail, both billed.
func TestFallbacksListAnswersARefusal(t *testing.T) {
	up := upstream(map[string]behaviour{"a": refuses})
	g, flush := fallbackGateway(t, up)
	mt := 9
	var served llm.Served
	resp, err := g.Chat(callerCtx(), withFallbacks("r", &llm.Fallbacks{Models: []llm.FallbackModel{{Model: "c", MaxTokens: &mt}}}), nil, &served)
	if err != nil {
		t.Fatal(err)
	}
	if served.Deployment != "c" || strings.Join(up.Models(), ",") != "a,c" {
		t.Fatalf("served %s after calls %v, want a's refusal then c", served.Deployment, up.Models())
	}
	if reqs := up.Requests(); reqs[1].MaxTokens == nil || *reqs[1].MaxTokens != 9 {
		t.Errorf("c was sent max_tokens %v, want the entry's 9", reqs[1].MaxTokens)
	}
	hops := resp.Fallbacks
	if len(hops) != 1 || hops[0].From != "r" || hops[0].FromID != "a" || hops[0].To != "c" || hops[0].Usage == nil || hops[0].Usage.PromptTokens != 10 {
		t.Errorf("hops %+v", hops)
	}
	if !strings.Contains(served.Summary, "fallback=a>c") || len(served.Fallbacks) != 1 {
		t.Errorf("summary %q", served.Summary)
	}
	recs := flush()
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	r := recs[0]
	if got := trailOf(r); got != "a1:refused:$ c3:ok:$" {
		t.Errorf("trail %s", got)
	}
	if tiers := r.Plan.Tiers; len(tiers) != 3 || tiers[2].Fallback != 1 || tiers[2].Candidates[0].Deployment.Name != "c" {
		t.Errorf("plan tiers %+v", tiers)
	}
}

// A failure is no refusal: the route's next candidate takes it, the
// fallback model is not called, and the answer names no hand-over.
func TestFallbacksIgnoreFailures(t *testing.T) {
	up := upstream(map[string]behaviour{"a": fails})
	g, _ := fallbackGateway(t, up)
	var served llm.Served
	resp, err := g.Chat(callerCtx(), withFallbacks("r", &llm.Fallbacks{Models: []llm.FallbackModel{{Model: "c"}}}), nil, &served)
	if err != nil || served.Deployment != "b" || len(resp.Fallbacks) != 0 {
		t.Errorf("%v: served %s, hops %+v", err, served.Deployment, resp.Fallbacks)
	}
}

// A model the router does not serve is a 400 naming the entry, before
// any call; a list on a route configured on_refusal: return is a 400;
// "default" there runs alone, its refusal the answer, and on a route
// without a policy it is the route's next candidate.
func TestFallbacksRefusedAndDefault(t *testing.T) {
	up := upstream(map[string]behaviour{"a": refuses})
	g, _ := fallbackGateway(t, up)
	for _, tt := range []struct {
		req   *llm.Request
		param string
	}{
		{withFallbacks("r", &llm.Fallbacks{Models: []llm.FallbackModel{{Model: "c"}, {Model: "nope"}}}), "fallbacks.1.model"},
		{withFallbacks("final", &llm.Fallbacks{Models: []llm.FallbackModel{{Model: "c"}}}), "fallbacks"},
	} {
		_, err := g.Chat(callerCtx(), tt.req, nil, &llm.Served{})
		var e *llm.Error
		if !errors.As(err, &e) || e.HTTPStatus() != 400 || e.Param != tt.param {
			t.Errorf("%s: %v, want a 400 on %s", tt.req.Model, err, tt.param)
		}
	}
	if up.Calls() != 0 {
		t.Errorf("%d calls before the 400s", up.Calls())
	}
	var served llm.Served
	resp, err := g.Chat(callerCtx(), withFallbacks("final", &llm.Fallbacks{Default: true}), nil, &served)
	if err != nil || served.Deployment != "a" || resp.Choices[0].FinishReason != llm.FinishContentFilter {
		t.Errorf("default on final: %v from %s", err, served.Deployment)
	}
	s, err := g.Stream(callerCtx(), withFallbacks("r", &llm.Fallbacks{Default: true}), nil, &served)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if served.Deployment != "b" || len(served.Fallbacks) != 1 || served.Fallbacks[0].To != "b" {
		t.Errorf("default on r, streamed: from %s, hops %+v", served.Deployment, served.Fallbacks)
	}
}

// A fallback model is held to the caller's grant as the request's model
// is: one its key may not use is refused naming the entry, before any
// call.
func TestFallbackModelsHeldToTheGrant(t *testing.T) {
	up := upstream(map[string]behaviour{"a": refuses})
	g, _ := fallbackGateway(t, up)
	gr := tenant.NewGrant("k", "bot", "acme", config.Access{Deployments: []string{"a", "b"}}, config.Limits{}, nil)
	ctx := WithCaller(llm.WithRequestID(context.Background(), "req_g"), Caller{Name: "bot", Tenant: "acme", Allowed: route.AllowAll, Grant: gr})
	_, err := g.Chat(ctx, withFallbacks("r", &llm.Fallbacks{Models: []llm.FallbackModel{{Model: "c"}}}), nil, &llm.Served{})
	var e *llm.Error
	if !errors.As(err, &e) || e.HTTPStatus() != 403 || e.Param != "fallbacks.0.model" || up.Calls() != 0 {
		t.Errorf("%v (param %q) after %d calls, want a 403 naming fallbacks.0.model before any", err, paramOf(err), up.Calls())
	}
}

func paramOf(err error) string {
	var e *llm.Error
	if errors.As(err, &e) {
		return e.Param
	}
	return ""
}

// A fallback entry's own effort (fallbacks[].output_config.effort) is the
// effort of the attempt on its model: it replaces the client's per-turn
// efforts as well as its top-level one (the entry was written for that
// model). Without one the attempt keeps the request's: the last
// per-turn effort, else the top-level one.
func TestFallbackEffortOverTurnEffort(t *testing.T) {
	sys := llm.Message{Role: llm.RoleSystem}
	sys.SetTurnEffort(llm.EffortLow)
	req := &llm.Request{Model: "claude-opus-5-5", OutputEffort: llm.EffortHigh, TurnEffort: llm.EffortLow,
		Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "Hi"), sys}}
	for _, tc := range []struct {
		entry llm.Effort
		want  llm.Effort
	}{{llm.EffortMedium, llm.EffortMedium}, {"", llm.EffortLow}} {
		fr := fallbackRequest(req, &llm.FallbackModel{Model: "claude-sonnet-5", Effort: tc.entry})
		if got := fr.AnthropicEffort(); got != tc.want {
			t.Errorf("entry effort %q: the attempt's effort %q, want %q", tc.entry, got, tc.want)
		}
		fr.Model = "claude-opus-4-8"
		m, err := anthropic.FromLLM(fr)
		if err != nil {
			t.Fatal(err)
		}
		if m.OutputConfig == nil || m.OutputConfig.Effort != string(tc.want) {
			t.Errorf("entry effort %q: Claude is sent %+v, want effort %q", tc.entry, m.OutputConfig, tc.want)
		}
	}
	if req.TurnEffort != llm.EffortLow || req.OutputEffort != llm.EffortHigh {
		t.Errorf("the request was changed: %+v", req)
	}
}
