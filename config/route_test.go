package config

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
)

const routeBase = okProvider + `deployments:
  mini: {provider: openai}
  big: {provider: openai}
  o3: {provider: openai}
`

func TestParseRoutePolicy(t *testing.T) {
	c := mustParse(t, []byte(routeBase+`  mini-2: {provider: openai, quality: 0.8, latency: {ttft: 400ms, tokens_per_second: 90}}
routes:
  support:
    deployments: [mini, big, o3]
    strategy: balanced
    prefer: [mini]
    max_price: {input: 3, output: 15}
    max_cost_per_request: 0.02
    latency_budget: {ttft: 2s, total: 60s}
    expected_output_tokens: 400
    require: [streaming]
    min_confidence: 0.5
    reference: o3
    tiers: {count: 4, size: 2, ttft_timeout: [500ms, 1s]}
    categories:
      factual: {deployments: [mini, mini-2]}
      reasoning: {prefer: [o3], max_cost_per_request: 0.05, strategy: best}
      code: {split: {big: 80, mini: 20}}
    rules:
      - name: multilingual
        when: {language: non-english, turn: later, category: [chat, factual], min_prompt_tokens: 10, max_prompt_tokens: 900, has_code: false}
        require: [multilingual]
        prefer: [big]
        exclude: [o3]
        strategy: cheapest
  plain: {deployments: [big]}
`), nil)
	if d := c.Deployments["mini-2"]; d.Quality != 0.8 || d.Latency != (Latency{TTFT: 400 * time.Millisecond, TokensPerSecond: 90}) {
		t.Errorf("mini-2 = %+v", d)
	}
	no := false
	want := &Route{
		Name: "support", Deployments: []string{"mini", "big", "o3"},
		Policy: Policy{
			Strategy: StrategyBalanced, Prefer: []string{"mini"}, MaxPrice: MaxPrice{Input: 3, Output: 15},
			MaxCostPerRequest: 0.02, LatencyBudget: LatencyBudget{TTFT: 2 * time.Second, Total: time.Minute},
			ExpectedOutputTokens: 400, Require: []llm.Capability{llm.CapStreaming},
		},
		MinConfidence: 0.5,
		Reference:     "o3",
		Tiers:         Tiers{Count: 4, Size: 2, TTFTTimeout: []time.Duration{500 * time.Millisecond, time.Second}},
		Categories: map[llm.Category]*RouteCategory{
			llm.CategoryFactual:   {Deployments: []string{"mini", "mini-2"}},
			llm.CategoryReasoning: {Policy: Policy{Prefer: []string{"o3"}, MaxCostPerRequest: 0.05, Strategy: StrategyBest}},
			llm.CategoryCode:      {Policy: Policy{Split: []Weight{{"big", 80}, {"mini", 20}}}},
		},
		Rules: []*Rule{{
			Name: "multilingual",
			When: Condition{Languages: []string{"non-english"}, Turn: "later", Categories: []llm.Category{"chat", "factual"},
				MinPromptTokens: 10, MaxPromptTokens: 900, HasCode: &no},
			Require: []llm.Capability{llm.CapMultilingual}, Prefer: []string{"big"}, Exclude: []string{"o3"}, Strategy: StrategyCheapest,
		}},
	}
	if got := c.Routes["support"]; !reflect.DeepEqual(got, want) {
		t.Errorf("support =\n%+v\nwant\n%+v", got, want)
	}
	if got := c.Routes["plain"]; got.Strategy != "" || got.Tiers.Count != 0 {
		t.Errorf("a deployments-only route gained settings: %+v", got)
	}
	// A single ttft_timeout is a one-element list.
	c = mustParse(t, []byte(routeBase+"routes:\n  r: {deployments: [mini], tiers: {ttft_timeout: 900ms}}\n"), nil)
	if got := c.Routes["r"].Tiers.TTFTTimeout; !reflect.DeepEqual(got, []time.Duration{900 * time.Millisecond}) {
		t.Errorf("ttft_timeout = %v", got)
	}
}

func TestRouteMistakes(t *testing.T) {
	r := func(body string) string { return routeBase + "routes:\n  r:\n    deployments: [mini, big]\n" + body }
	tests := []struct {
		name, yaml, path, problem, hint string
	}{
		{"unknown route field", r("    stratgy: best\n"), "routes.r", `unknown field "stratgy"`, `did you mean "strategy"?`},
		{"unknown strategy", r("    strategy: cheapset\n"), "routes.r.strategy", `unknown strategy "cheapset"`, `did you mean "cheapest"?; strategies: ordered, balanced, cheapest, best`},
		{"prefer outside the set", r("    prefer: [o3]\n"), "routes.r.prefer[0]", `deployment "o3" is not in the route's deployments`, "acceptable: mini, big"},
		{"prefer unknown", r("    prefer: [mnii]\n"), "routes.r.prefer[0]", `deployment "mnii" is not configured`, `did you mean "mini"?`},
		{"split of one", r("    split: {mini: 100}\n"), "routes.r.split", "needs at least two deployments", "prefer: [mini]"},
		{"split weight", r("    split: {mini: 0, big: 10}\n"), "routes.r.split.mini", "weight must be > 0, got 0", ""},
		{"split weight type", r("    split: {mini: lots, big: 10}\n"), "routes.r.split.mini", `must be an integer, got string "lots"`, "weight"},
		{"negative cost", r("    max_cost_per_request: -1\n"), "routes.r.max_cost_per_request", "must be >= 0, got -1", "USD"},
		{"negative price cap", r("    max_price: {output: -2}\n"), "routes.r.max_price.output", "must be >= 0, got -2", "per 1M tokens"},
		{"ttft over total", r("    latency_budget: {ttft: 5s, total: 2s}\n"), "routes.r.latency_budget.ttft", "5s exceeds the total budget 2s", ""},
		{"budget not a duration", r("    latency_budget: {total: 60}\n"), "routes.r.latency_budget.total", `must be a duration, got number 60`, "unit"},
		{"min_confidence", r("    min_confidence: 2\n"), "routes.r.min_confidence", "must be between 0 and 1, got 2", ""},
		{"reference unknown", r("    reference: bgi\n"), "routes.r.reference", `deployment "bgi" is not configured`, `did you mean "big"?`},
		{"reference a list", r("    reference: [big]\n"), "routes.r.reference", "must be a string", ""},
		{"tier count", r("    tiers: {count: 11}\n"), "routes.r.tiers.count", "must be between 1 and 10, got 11", ""},
		{"tier timeout", r("    tiers: {ttft_timeout: [1s, 0s]}\n"), "routes.r.tiers.ttft_timeout[1]", "must be > 0, got 0s", ""},
		{"too many timeouts", r("    tiers: {count: 1, ttft_timeout: [1s, 2s]}\n"), "routes.r.tiers.ttft_timeout", "lists 2 timeouts for 1 tiers", ""},
		{"first-byte timeout zero", r("    first_byte_timeout: {images: 0s}\n"), "routes.r.first_byte_timeout.images", "must be > 0, got 0s", ""},
		{"first-byte timeout endpoint", r("    first_byte_timeout: {image: 20s}\n"), "routes.r.first_byte_timeout", `unknown field "image"`, `did you mean "images"?`},
		{"deployment first-byte timeout", routeBase + "  q: {provider: openai, first_byte_timeout: {speech: -1s}}\n", "deployments.q.first_byte_timeout.speech", "must be > 0, got -1s", ""},
		{"unknown category", r("    categories: {cod: {prefer: [big]}}\n"), "routes.r.categories.cod", `unknown category "cod"`, `did you mean "code"?`},
		{"category set unknown", r("    categories: {code: {deployments: [bgi]}}\n"), "routes.r.categories.code.deployments[0]", `deployment "bgi" is not configured`, `did you mean "big"?`},
		{"category prefer outside its set", r("    categories: {code: {deployments: [mini], prefer: [big]}}\n"), "routes.r.categories.code.prefer[0]", `"big" is not in this category's deployments`, ""},
		{"category unknown field", r("    categories: {code: {prefers: [big]}}\n"), "routes.r.categories.code", `unknown field "prefers"`, `did you mean "prefer"?`},
		{"require unknown capability", r("    categories: {code: {require: [mathh]}}\n"), "routes.r.categories.code.require[0]", `unknown capability "mathh"`, `did you mean "math"?`},
		{"rule without name", r("    rules: [{when: {turn: first}, prefer: [mini]}]\n"), "routes.r.rules[0].name", "is required", ""},
		{"rule twice", r("    rules: [{name: a, prefer: [mini]}, {name: a, prefer: [big]}]\n"), "routes.r.rules[1].name", `rule name "a" is used twice`, ""},
		{"rule without effect", r("    rules: [{name: a, when: {turn: first}}]\n"), "routes.r.rules[0]", "has no effect", "require, prefer, exclude or strategy"},
		{"rule turn", r("    rules: [{name: a, when: {turn: second}, prefer: [mini]}]\n"), "routes.r.rules[0].when.turn", `unknown turn "second"`, "turns: first, later"},
		{"rule language", r("    rules: [{name: a, when: {language: non-englsh}, prefer: [mini]}]\n"), "routes.r.rules[0].when.language[0]", `unknown language "non-englsh"`, `did you mean "non-english"?`},
		{"rule category", r("    rules: [{name: a, when: {category: [chat, mathematics]}, prefer: [mini]}]\n"), "routes.r.rules[0].when.category[1]", `unknown category "mathematics"`, ""},
		{"rule tokens", r("    rules: [{name: a, when: {min_prompt_tokens: 10, max_prompt_tokens: 5}, prefer: [mini]}]\n"), "routes.r.rules[0].when.max_prompt_tokens", "5 is below min_prompt_tokens 10", ""},
		{"rule bool", r("    rules: [{name: a, when: {has_code: maybe}, prefer: [mini]}]\n"), "routes.r.rules[0].when.has_code", `must be true or false, got string "maybe"`, ""},
		{"rule exclude never acceptable", r("    rules: [{name: a, exclude: [o3]}]\n"), "routes.r.rules[0].exclude[0]", `"o3" is not in any of the route's acceptable sets`, ""},
		{"rule unknown field", r("    rules: [{name: a, prefer: [big], prefre: [mini]}]\n"), "routes.r.rules[0]", `unknown field "prefre"`, `did you mean "prefer"?`},
		{"rules not a list", r("    rules: {name: a}\n"), "routes.r.rules", "must be a list, got a mapping", ""},
		{"quality range", routeBase + "  q: {provider: openai, quality: 1.5}\n", "deployments.q.quality", "must be between 0 and 1, got 1.5", ""},
		{"latency type", routeBase + "  q: {provider: openai, latency: {ttft: fast}}\n", "deployments.q.latency.ttft", `must be a duration, got string "fast"`, ""},
		{"tps negative", routeBase + "  q: {provider: openai, latency: {tokens_per_second: -3}}\n", "deployments.q.latency.tokens_per_second", "must be >= 0, got -3", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), nil)
			fe := findError(t, err, tt.path, tt.problem)
			if fe.Line == 0 {
				t.Errorf("no position: %v", fe)
			}
			if !strings.Contains(fe.Hint, tt.hint) {
				t.Errorf("hint = %q, want it to contain %q", fe.Hint, tt.hint)
			}
			if errs := err.(Errors); len(errs) != 1 {
				t.Errorf("%d errors, want 1:\n%v", len(errs), err)
			}
		})
	}
}
