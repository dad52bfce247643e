package e2e

import (
	"net/http"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/sim"
)

// flexRoute adds the ordered route "flexible": gpt-4o-mini, then gpt-4o.
func flexRoute(cfg *config.Config) {
	cfg.Routes["flexible"] = &config.Route{Name: "flexible", Deployments: []string{"gpt-4o-mini", "gpt-4o"},
		Policy: config.Policy{Strategy: config.StrategyOrdered}}
}

// gpt4oCost is what usage u costs on the demo's gpt-4o (2.50 / 10.00 /
// 1.25 cached per 1M tokens) with every price times m.
func gpt4oCost(u llm.Usage, m float64) float64 {
	d := llm.Deployment{InputPricePerM: 2.50 * m, OutputPricePerM: 10.00 * m, CachedInputPricePerM: 1.25 * m}
	u.ServiceTier = ""
	return d.Cost(u)
}

// A flex request on a route whose first deployment (gpt-4o-mini) has no
// flex capacity — OpenAI's 429 resource_unavailable, with a Retry-After
// — is answered by the next (gpt-4o) at flex, priced at gpt-4o's flex
// price (its batch discount), through openai-go; the record's trail says
// why gpt-4o-mini was passed over. For the Retry-After, a flex request
// (streamed, here) goes to gpt-4o without calling gpt-4o-mini. The
// shortage does not limit gpt-4o-mini's standard traffic: a default
// request on the route right after is served by gpt-4o-mini, which the
// health tracker does not hold rate limited.
func TestFlexUnavailableFailsOverE2E(t *testing.T) {
	t.Parallel()
	e := newEnv(t, flexRoute)
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultFlexUnavailable, Model: "gpt-4o-mini", RetryAfter: 30 * time.Second})
	params := openai.ChatCompletionNewParams{Model: "flexible", ServiceTier: openai.ChatCompletionNewParamsServiceTierFlex,
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi there")}}
	var hr *http.Response
	resp, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&hr), option.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	if resp.ServiceTier != openai.ChatCompletionServiceTierFlex {
		t.Errorf("service tier %q, want flex", resp.ServiceTier)
	}
	checkFlexFailover(t, e, hr.Header.Get("x-switchyard-request-id"), "gpt-4o-mini", "gpt-4o")

	params.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
	stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), params, option.WithResponseInto(&hr), option.WithMaxRetries(0))
	chunks := 0
	for stream.Next() {
		if c := stream.Current(); c.ServiceTier != openai.ChatCompletionChunkServiceTierFlex {
			t.Errorf("chunk %d: service tier %q", chunks, c.ServiceTier)
		}
		chunks++
	}
	if err := stream.Err(); err != nil || chunks < 2 {
		t.Fatalf("stream: %v after %d chunks", err, chunks)
	}
	stream.Close()
	checkFlexFailover(t, e, hr.Header.Get("x-switchyard-request-id"), "gpt-4o")
	if n := e.Sim.Faults.Seen("gpt-4o-mini"); n != 1 {
		t.Errorf("gpt-4o-mini called %d times, want once: the flex window skips it", n)
	}

	params.ServiceTier, params.StreamOptions = "", openai.ChatCompletionStreamOptionsParam{}
	resp, err = e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&hr), option.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	r := recordOf(t, e, hr.Header.Get("x-switchyard-request-id"))
	if resp.ServiceTier != openai.ChatCompletionServiceTierDefault || r.Deployment != "gpt-4o-mini" || len(r.Trail) != 1 {
		t.Errorf("default request after the flex shortage: tier %q, served by %s after %d attempts", resp.ServiceTier, r.Deployment, len(r.Trail))
	}
	if until := e.Router.Gateway.Health().Status("gpt-4o-mini").RateLimitedUntil; !until.IsZero() {
		t.Errorf("gpt-4o-mini rate limited until %s by a flex shortage", until)
	}
}

// checkFlexFailover checks the record of a flex request gpt-4o-mini had
// no capacity for: gpt-4o answered at its flex price, after the calls of
// trail (gpt-4o-mini's refused with resource_unavailable).
func checkFlexFailover(t *testing.T, e *env, id string, trail ...string) {
	t.Helper()
	r := recordOf(t, e, id)
	if want := gpt4oCost(r.Usage, 0.5); r.Deployment != "gpt-4o" || r.Usage.ServiceTier != llm.TierFlex || r.CostUSD != want || r.CostUSD == 0 || r.TierPrice != "batch discount" {
		t.Errorf("served by %s at tier %q: cost %v by %q, want %v by batch discount", r.Deployment, r.Usage.ServiceTier, r.CostUSD, r.TierPrice, want)
	}
	if len(r.Trail) != len(trail) {
		t.Fatalf("trail %+v, want calls to %v", r.Trail, trail)
	}
	for i, a := range r.Trail {
		refused := a.ErrorKind == llm.KindRateLimit && a.ErrorCode == llm.CodeFlexUnavailable
		if a.Deployment != trail[i] || refused != (a.Deployment == "gpt-4o-mini") {
			t.Errorf("attempt %d: %+v", i, a)
		}
	}
}

// OpenAI may serve a priority request on the default tier (past its ramp
// rate limit); openai-go reads default, complete, streamed and from the
// Responses API, and the router prices the answer at the standard price
// (no tier price on record). Once the simulator serves priority again,
// the answer is priced at OpenAI's listed priority price.
func TestPriorityServedAsDefaultE2E(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultPriorityDowngrade, Model: "gpt-4o-mini", Count: 3})
	params := openai.ChatCompletionNewParams{Model: "gpt-4o-mini", ServiceTier: openai.ChatCompletionNewParamsServiceTierPriority,
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi there")}}
	check := func(name, id string, served llm.ServiceTier, factor float64, price string) {
		t.Helper()
		r := recordOf(t, e, id)
		want := tierCost(r.Usage, factor)
		if served == llm.TierPriority {
			want = priorityCost(r.Usage)
		}
		if r.Usage.ServiceTier != served || r.CostUSD != want || r.CostUSD == 0 || r.TierPrice != price {
			t.Errorf("%s: tier %q, cost %v by %q, want %s: %v by %q", name, r.Usage.ServiceTier, r.CostUSD, r.TierPrice, served, want, price)
		}
	}
	var hr *http.Response
	resp, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&hr))
	if err != nil || resp.ServiceTier != openai.ChatCompletionServiceTierDefault {
		t.Fatalf("complete: %v, tier %q", err, resp.ServiceTier)
	}
	check("complete", hr.Header.Get("x-switchyard-request-id"), llm.TierDefault, 1, "")

	params.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
	stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), params, option.WithResponseInto(&hr))
	chunks := 0
	for stream.Next() {
		if c := stream.Current(); c.ServiceTier != openai.ChatCompletionChunkServiceTierDefault {
			t.Errorf("chunk %d: service tier %q", chunks, c.ServiceTier)
		}
		chunks++
	}
	if err := stream.Err(); err != nil || chunks < 2 {
		t.Fatalf("stream: %v after %d chunks", err, chunks)
	}
	stream.Close()
	check("streamed", hr.Header.Get("x-switchyard-request-id"), llm.TierDefault, 1, "")

	r, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", Input: inputText("Hi there"),
		ServiceTier: responses.ResponseNewParamsServiceTierPriority}, option.WithResponseInto(&hr))
	if err != nil || r.ServiceTier != responses.ResponseServiceTierDefault {
		t.Fatalf("Responses: %v, tier %q", err, r.ServiceTier)
	}
	check("Responses", hr.Header.Get("x-switchyard-request-id"), llm.TierDefault, 1, "")

	params.StreamOptions = openai.ChatCompletionStreamOptionsParam{}
	resp, err = e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&hr))
	if err != nil || resp.ServiceTier != openai.ChatCompletionServiceTierPriority {
		t.Fatalf("after the downgrades: %v, tier %q", err, resp.ServiceTier)
	}
	check("priority", hr.Header.Get("x-switchyard-request-id"), llm.TierPriority, 0, "catalog")
}
