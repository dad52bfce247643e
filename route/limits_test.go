package route

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
)

func TestCostCeilings(t *testing.T) {
	p := testPolicy(t)
	t.Run("max_price", func(t *testing.T) {
		plan := mustPlan(t, p, req("cheap-only", llm.CategoryChat))
		if got := order(plan); got != "mini" {
			t.Errorf("order = %s, want mini", got)
		}
		r := findRejection(plan, "big")
		if r == nil || r.Reason != ReasonPrice || !strings.Contains(r.Detail(), "output price $10/1M exceeds route max_price.output $1/1M") {
			t.Errorf("big rejection = %+v %q", r, r.Detail())
		}
	})
	t.Run("max_cost_per_request uses max_tokens", func(t *testing.T) {
		// big: 200 in × $2.5 + 5000 out × $10 per 1M = $0.0505 > 0.05.
		plan := mustPlan(t, p, req("support", llm.CategoryChat, func(in *Input) { in.Features.MaxTokens = 5000 }))
		r := findRejection(plan, "big")
		if r == nil || r.Reason != ReasonCost || r.By != "route" {
			t.Fatalf("big rejection = %+v; plan %s", r, order(plan))
		}
		if !strings.Contains(r.Detail(), "exceeds route max_cost_per_request $0.05") {
			t.Errorf("detail %q", r.Detail())
		}
	})
	t.Run("category raises the ceiling", func(t *testing.T) {
		plan := mustPlan(t, p, req("support", llm.CategoryReasoning, func(in *Input) { in.Features.MaxTokens = 5000 }))
		if !strings.Contains(order(plan), "big") {
			t.Errorf("reasoning (max $0.1) plan %s lacks big", order(plan))
		}
	})
	t.Run("caller cap excluding everything is a 422 naming the header", func(t *testing.T) {
		_, err := p.Plan(req("support", llm.CategoryChat, func(in *Input) { in.Overrides.MaxCostUSD = 1e-9 }))
		e := wantErr(t, err, llm.KindUnprocessable, "no deployment of route support", "x-switchyard-max-cost-usd", "mini estimated cost")
		if e.Param != HeaderMaxCost || e.HTTPStatus() != 422 {
			t.Errorf("param %q status %d", e.Param, e.HTTPStatus())
		}
	})
	t.Run("caller cap narrows", func(t *testing.T) {
		plan := mustPlan(t, p, req("support", llm.CategoryChat, func(in *Input) { in.Overrides.MaxCostUSD = 0.0005 }))
		if got := order(plan); got != "mini" {
			t.Errorf("order = %s, want mini only", got)
		}
	})
}

func TestLatencyBudgets(t *testing.T) {
	p := testPolicy(t)
	// thinker: 900ms + 1500 reasoning tokens / 120 tps = 13.4s; mini 10.3s.
	plan := mustPlan(t, p, req("support", llm.CategoryReasoning, func(in *Input) { in.Overrides.LatencyBudget = 12 * time.Second }))
	if r := findRejection(plan, "thinker"); r == nil || r.Reason != ReasonLatency || r.By != HeaderLatencyBudget {
		t.Errorf("thinker rejection = %+v; plan %s", r, order(plan))
	}
	if plan.Deadline != 12*time.Second {
		t.Errorf("deadline = %s, want the caller's 12s (below the route's 60s)", plan.Deadline)
	}
	if plan = mustPlan(t, p, req("support", llm.CategoryReasoning)); plan.Deadline != 60*time.Second {
		t.Errorf("deadline = %s, want the route's 60s", plan.Deadline)
	}
	// Unknown latency is not checked.
	plan = mustPlan(t, p, req("ordered", llm.CategoryChat, func(in *Input) { in.Overrides.LatencyBudget = time.Millisecond }))
	if got := order(plan); got != "local" {
		t.Errorf("order = %s, want local (latency unknown, so not checked)", got)
	}
}

func TestHealth(t *testing.T) {
	p := testPolicy(t)
	plan := mustPlan(t, p, req("support", llm.CategoryChat, func(in *Input) {
		in.Health = Health{"mini": {Unavailable: true, Reason: "breaker open"}, "haiku": {Demoted: true, Reason: "p95 high"}}
	}))
	if strings.Contains(order(plan), "mini") {
		t.Errorf("plan %s includes unavailable mini", order(plan))
	}
	if r := findRejection(plan, "mini"); r == nil || r.Detail() != "unavailable: breaker open" {
		t.Errorf("mini rejection = %+v", r)
	}
	last := plan.Tiers[len(plan.Tiers)-1].Candidates
	if c := last[len(last)-1]; c.Deployment.Name != "haiku" || !c.Demoted {
		t.Errorf("last candidate = %s (demoted %v), want haiku demoted; plan %s", c.Deployment.Name, c.Demoted, order(plan))
	}
	// Every candidate down: a 503 whose RetryAfter is the soonest a
	// breaker lets a probe through (one whose time is unknown says none).
	down := Health{"mini": {Unavailable: true, RetryIn: 20 * time.Second}, "haiku": {Unavailable: true, RetryIn: 4 * time.Second},
		"big": {Unavailable: true}, "thinker": {Unavailable: true, RetryIn: 9 * time.Second}}
	_, err := p.Plan(req("support", llm.CategoryChat, func(in *Input) { in.Health = down }))
	if e := wantErr(t, err, llm.KindUnavailable, "mini unavailable"); !e.Retryable || e.HTTPStatus() != http.StatusServiceUnavailable || e.RetryAfter != 4*time.Second {
		t.Errorf("retryable %v status %d retry after %s", e.Retryable, e.HTTPStatus(), e.RetryAfter)
	}
}

func TestPins(t *testing.T) {
	p := testPolicy(t)
	t.Run("model name pins with fallback from the home route", func(t *testing.T) {
		plan := mustPlan(t, p, req("big", llm.CategoryChat))
		if plan.Pinned != "big" || plan.First() != "big" || len(plan.Tiers[0].Candidates) != 1 || !plan.Tiers[0].Candidates[0].Pinned {
			t.Fatalf("plan %s pinned %q", order(plan), plan.Pinned)
		}
		if plan.Route != "cheap-only" || order(plan) != "big,mini" {
			t.Errorf("route %s order %s, want the smallest route holding big (cheap-only)", plan.Route, order(plan))
		}
	})
	t.Run("pin outside a route ignores the home route's ceilings", func(t *testing.T) {
		plan := mustPlan(t, p, req("big", llm.CategoryChat, func(in *Input) { in.Features.MaxTokens = 100000 }))
		if plan.First() != "big" {
			t.Errorf("first = %s", plan.First())
		}
	})
	t.Run("header pin inside a route obeys its ceilings", func(t *testing.T) {
		_, err := p.Plan(req("cheap-only", llm.CategoryChat, func(in *Input) { in.Overrides.Model = "big" }))
		wantErr(t, err, llm.KindUnprocessable, "pinned deployment big is not allowed by route cheap-only", "max_price.output")
		plan := mustPlan(t, p, req("support", llm.CategoryChat, func(in *Input) { in.Overrides.Model = "thinker" }))
		if plan.Route != "support" || plan.First() != "thinker" || plan.Len() != 4 {
			t.Errorf("route %s plan %s", plan.Route, order(plan))
		}
	})
	t.Run("no fallback", func(t *testing.T) {
		plan := mustPlan(t, p, req("big", llm.CategoryChat, func(in *Input) { in.Overrides.NoFallback = true }))
		if order(plan) != "big" || len(plan.Tiers) != 1 {
			t.Errorf("plan %s", order(plan))
		}
		_, err := p.Plan(req("big", llm.CategoryChat, func(in *Input) {
			in.Overrides.NoFallback = true
			in.Health = Health{"big": {Unavailable: true, Reason: "down"}}
		}))
		wantErr(t, err, llm.KindUnavailable, "fallback is disabled", "big unavailable: down")
	})
	t.Run("unavailable pin falls back", func(t *testing.T) {
		plan := mustPlan(t, p, req("big", llm.CategoryChat, func(in *Input) { in.Health = Health{"big": {Unavailable: true}} }))
		if order(plan) != "mini" || plan.Pinned != "big" {
			t.Errorf("plan %s pinned %s", order(plan), plan.Pinned)
		}
	})
	t.Run("caller cap on a pin", func(t *testing.T) {
		_, err := p.Plan(req("big", llm.CategoryChat, func(in *Input) { in.Overrides.MaxCostUSD = 1e-9 }))
		if e := wantErr(t, err, llm.KindUnprocessable, "pinned deployment big"); e.Param != HeaderMaxCost {
			t.Errorf("param %q", e.Param)
		}
	})
	t.Run("unknown pin header", func(t *testing.T) {
		_, err := p.Plan(req("support", llm.CategoryChat, func(in *Input) { in.Overrides.Model = "nope" }))
		if e := wantErr(t, err, llm.KindInvalidRequest, "x-switchyard-model"); e.Param != HeaderModel {
			t.Errorf("param %q", e.Param)
		}
	})
	t.Run("a deployment in no route has no fallback", func(t *testing.T) {
		plan := mustPlan(t, p, req("local", llm.CategoryChat))
		if plan.Route != "ordered" {
			t.Errorf("route %q", plan.Route)
		}
	})
}

func TestOverridesAllowed(t *testing.T) {
	p := testPolicy(t)
	cases := []struct {
		name   string
		edit   func(*Input)
		header string
	}{
		{"pin header", func(in *Input) { in.Overrides.Model = "big" }, HeaderModel},
		{"pin by model", func(in *Input) { in.Model = "big" }, "model"},
		{"category", func(in *Input) { in.Overrides.Category = llm.CategoryCode }, HeaderCategory},
		{"cost", func(in *Input) { in.Overrides.MaxCostUSD = 1 }, HeaderMaxCost},
		{"latency", func(in *Input) { in.Overrides.LatencyBudget = time.Second }, HeaderLatencyBudget},
		{"fallback", func(in *Input) { in.Overrides.NoFallback = true }, HeaderFallback},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := req("support", llm.CategoryChat, c.edit, func(in *Input) { in.Overrides.Allowed = 0 })
			_, err := p.Plan(in)
			if e := wantErr(t, err, llm.KindPermission); e.Param != c.header {
				t.Errorf("param %q, want %q", e.Param, c.header)
			}
		})
	}
	if _, err := p.Plan(req("support", llm.CategoryChat, func(in *Input) { in.Overrides.Allowed = 0 })); err != nil {
		t.Errorf("no overrides, none allowed: %v", err)
	}
}

func TestCategoryHint(t *testing.T) {
	p := testPolicy(t)
	plan := mustPlan(t, p, req("support", llm.CategoryChat, func(in *Input) { in.Overrides.Category = llm.CategoryReasoning }))
	e := plan.Explanation
	if plan.First() != "thinker" || e.Category != llm.CategoryReasoning || e.CategorySource != "hint" || e.Features.Category != llm.CategoryChat {
		t.Errorf("first %s explanation %+v", plan.First(), e)
	}
	if s := plan.Summary(0, "thinker", 1); !strings.Contains(s, "category=reasoning(hint)") {
		t.Errorf("summary %q", s)
	}
}

func TestTiers(t *testing.T) {
	p := testPolicy(t)
	plan := mustPlan(t, p, req("support", llm.CategoryChat))
	if len(plan.Tiers) != 3 || plan.Len() != 4 || len(plan.Tiers[2].Candidates) != 2 {
		t.Fatalf("tiers %+v", plan.Tiers)
	}
	for i, want := range []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second} {
		if got := plan.Tiers[i].TTFTTimeout; got != want {
			t.Errorf("tier %d ttft timeout %s, want %s", i+1, got, want)
		}
	}
	plan = mustPlan(t, p, req(Auto, llm.CategoryChat))
	if plan.Tiers[0].TTFTTimeout != 800*time.Millisecond {
		t.Errorf("default ttft timeout %s", plan.Tiers[0].TTFTTimeout)
	}
	// A pin gets its own tier in front of the route's.
	plan = mustPlan(t, p, req("support", llm.CategoryChat, func(in *Input) { in.Overrides.Model = "thinker" }))
	if len(plan.Tiers) != 4 || len(plan.Tiers[0].Candidates) != 1 {
		t.Errorf("pinned tiers: %d", len(plan.Tiers))
	}
	if plan = mustPlan(t, p, req("support", llm.CategoryChat, func(in *Input) { in.Overrides.NoFallback = true })); plan.Len() != 1 {
		t.Errorf("no fallback: %s", order(plan))
	}
}

func TestSummary(t *testing.T) {
	p := testPolicy(t)
	plan := mustPlan(t, p, req("support", llm.CategoryChat, func(in *Input) { in.Features.Confidence = 0.934 }))
	want := "route=support; category=chat(0.93); rule=first-turn-fast; tier=1/3; deployment=mini; attempt=1"
	if got := plan.Summary(0, plan.First(), 1); got != want {
		t.Errorf("summary\n got %q\nwant %q", got, want)
	}
	plan = mustPlan(t, p, req("big", llm.CategoryCode))
	if got := plan.Summary(1, "mini", 2); !strings.HasPrefix(got, "pinned=big; route=cheap-only; category=code(0.90); tier=2/2; deployment=mini; attempt=2") {
		t.Errorf("pinned summary %q", got)
	}
}

func TestModelsAndUnknown(t *testing.T) {
	p := testPolicy(t)
	var names []string
	for _, m := range p.Models() {
		names = append(names, m.Name)
	}
	want := "auto,auto-best,auto-cheap,cheap-only,embeddings,ordered,support,sure"
	if got := strings.Join(names, ","); got != want {
		t.Errorf("models %s, want %s", got, want)
	}
	_, err := p.Plan(req("nope", llm.CategoryChat))
	if e := wantErr(t, err, llm.KindNotFound, "The model `nope` does not exist", "auto, auto-best"); e.Code != "model_not_found" {
		t.Errorf("code %q", e.Code)
	}
}

func TestRouteDeployments(t *testing.T) {
	p := testPolicy(t)
	names := func(route string) string {
		var out []string
		for _, d := range p.RouteDeployments(route) {
			out = append(out, d.Name)
		}
		slices.Sort(out)
		return strings.Join(out, ",")
	}
	for route, want := range map[string]string{
		"support": "big,haiku,mini,thinker", "ordered": "haiku,local,mini", "embeddings": "embed",
		"auto": "big,haiku,local,mini,thinker", // built in: every chat deployment
		"nope": "",
	} {
		if got := names(route); got != want {
			t.Errorf("RouteDeployments(%s) = %s, want %s", route, got, want)
		}
	}
}

func TestParseOverrides(t *testing.T) {
	cases := []struct {
		headers map[string]string
		want    Overrides
		bad     string
	}{
		{map[string]string{}, Overrides{}, ""},
		{map[string]string{HeaderModel: " gpt-4o ", HeaderCategory: "Code", HeaderMaxCost: "0.01", HeaderLatencyBudget: "2500", HeaderFallback: "NONE"},
			Overrides{Model: "gpt-4o", Category: llm.CategoryCode, MaxCostUSD: 0.01, LatencyBudget: 2500 * time.Millisecond, NoFallback: true}, ""},
		{map[string]string{HeaderCategory: "Billing"}, Overrides{Category: "billing"}, ""}, // maybe a semantic category: Plan decides
		{map[string]string{HeaderCategory: "po etry!"}, Overrides{}, HeaderCategory},
		{map[string]string{HeaderMaxCost: "-1"}, Overrides{}, HeaderMaxCost},
		{map[string]string{HeaderMaxCost: "cheap"}, Overrides{}, HeaderMaxCost},
		{map[string]string{HeaderMaxCost: "NaN"}, Overrides{}, HeaderMaxCost},
		{map[string]string{HeaderLatencyBudget: "1.5s"}, Overrides{}, HeaderLatencyBudget},
		{map[string]string{HeaderLatencyBudget: "0"}, Overrides{}, HeaderLatencyBudget},
		{map[string]string{HeaderLatencyBudget: "99999999999999"}, Overrides{}, HeaderLatencyBudget},
		{map[string]string{HeaderFallback: "yes"}, Overrides{}, HeaderFallback},
		{map[string]string{HeaderInferenceGeo: "US"}, Overrides{InferenceGeo: llm.GeoUS}, ""},
		{map[string]string{HeaderInferenceGeo: "global"}, Overrides{}, ""},
		{map[string]string{HeaderInferenceGeo: "eu"}, Overrides{}, HeaderInferenceGeo},
	}
	for _, c := range cases {
		h := http.Header{}
		for k, v := range c.headers {
			h.Set(k, v)
		}
		got, err := ParseOverrides(h.Get)
		if c.bad != "" {
			e := wantErr(t, err, llm.KindInvalidRequest, c.bad)
			if e.Param != c.bad {
				t.Errorf("%v: param %q", c.headers, e.Param)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%v: got %+v, %v; want %+v", c.headers, got, err, c.want)
		}
	}
}

// A deployment in a rate limit window ranks after the others, and the
// explanation says until when.
func TestRateLimitedRanksLastAndIsExplained(t *testing.T) {
	p := testPolicy(t)
	first := mustPlan(t, p, req("support", llm.CategoryChat)).First()
	until := time.Date(2026, 11, 25, 18, 40, 2, 0, time.UTC)
	plan := mustPlan(t, p, req("support", llm.CategoryChat, func(in *Input) {
		in.Health = Health{first: {RateLimitedUntil: until, Reason: "rate limited"}}
	}))
	last := plan.Tiers[len(plan.Tiers)-1].Candidates
	if c := last[len(last)-1]; c.Deployment.Name != first || !c.RateLimitedUntil.Equal(until) {
		t.Fatalf("plan %s: want %s last and rate limited", order(plan), first)
	}
	js, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"rate_limited_until":"2026-11-25T18:40:02Z"`) {
		t.Errorf("explanation does not show the window: %s", js)
	}
}

// A deployment in a flex or fast window keeps its place, and the
// explanation of a request the window concerns (a flex request; one for
// fast mode) says until when (JSON and text); another request's says
// nothing of it, since the window does not hold it back.
func TestWindowsAreExplainedForTheRequestsTheyConcern(t *testing.T) {
	p := testPolicy(t)
	first := mustPlan(t, p, req("support", llm.CategoryChat)).First()
	until := time.Date(2026, 11, 25, 18, 40, 2, 500e6, time.UTC)
	windows := []struct {
		name       string
		status     Status
		json, text string
		ask        []func(*Input) // the window concerns the first
	}{
		{"flex", Status{FlexUnavailableUntil: until}, `"flex_unavailable_until":"2026-11-25T18:40:02.5Z"`, "no flex capacity until 18:40:02.500",
			[]func(*Input){func(in *Input) { in.Features.ServiceTier = llm.TierFlex }, func(*Input) {}, func(in *Input) { in.Features.ServiceTier = llm.TierPriority }}},
		{"fast", Status{FastUnavailableUntil: until}, `"fast_unavailable_until":"2026-11-25T18:40:02.5Z"`, "fast mode limited until 18:40:02.500, standard speed",
			[]func(*Input){func(in *Input) { in.Features.Speed = llm.SpeedFast }, func(*Input) {}, func(in *Input) { in.Features.Speed = llm.SpeedStandard }}},
	}
	for _, w := range windows {
		for i, ask := range w.ask {
			plan := mustPlan(t, p, req("support", llm.CategoryChat, func(in *Input) {
				ask(in)
				in.Health = Health{first: w.status}
			}))
			if plan.First() != first {
				t.Errorf("%s %d: plan %s, want %s first still", w.name, i, order(plan), first)
			}
			js, err := json.Marshal(plan)
			if err != nil {
				t.Fatal(err)
			}
			var text strings.Builder
			if err := plan.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			shown, said := strings.Contains(string(js), w.json), strings.Contains(text.String(), w.text)
			if want := i == 0; shown != want || said != want {
				t.Errorf("%s %d: window in the JSON %v, in the text %v, want %v:\n%s\n%s", w.name, i, shown, said, want, js, text.String())
			}
		}
	}
}

// The summary counts the route's own tiers (tier=N/M) apart from the
// client's refusal-fallback tiers, tried only after a refusal: an answer
// from the route's first tier of two says tier=1/2 whatever fallbacks
// follow, one from the second fallback tier tier=fallback-2/2.
func TestSummaryTierCountsTheRoutesOwn(t *testing.T) {
	plan := &Plan{Route: "r", Tiers: []Tier{{}, {}, {Fallback: 1}, {Fallback: 2}}}
	for _, c := range []struct {
		tier int
		want string
	}{{0, "; tier=1/2;"}, {1, "; tier=2/2;"}, {2, "; tier=fallback-1/2;"}, {3, "; tier=fallback-2/2;"}} {
		if s := plan.Summary(c.tier, "d", 1); !strings.Contains(s, c.want) {
			t.Errorf("tier %d: %q, want %q", c.tier, s, c.want)
		}
	}
	if s := (&Plan{Tiers: []Tier{{}, {}, {}}}).Summary(2, "d", 1); !strings.Contains(s, "; tier=3/3;") {
		t.Errorf("no fallbacks: %q", s)
	}
}
