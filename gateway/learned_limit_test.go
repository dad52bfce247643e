package gateway

import (
	"context"
	"testing"

	"switchyard/config"
	"switchyard/health"
	"switchyard/llm"
	"switchyard/route"
)

// outputLimitConfig is a route over two deployments; model is a's.
func outputLimitConfig(t *testing.T, model string) *config.Config {
	t.Helper()
	cfg, err := config.Parse([]byte(`
providers:
  p: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
deployments:
  a: {provider: p, model: `+model+`}
  b: {provider: p, model: gpt-4o}
routes:
  r: {deployments: [a, b], strategy: ordered}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// The output limit learned from a's refusal reaches the policy with the
// health snapshot, and keeps a off a plan asking for more; a gateway of
// a reloaded configuration sharing the tracker keeps it while a serves
// the model that refused, and drops it once a's model changed.
func TestLearnedOutputLimitReachesPolicy(t *testing.T) {
	tr := health.NewTracker(health.Config{}, nil, health.Options{})
	newGateway := func(model string) *Gateway {
		g, err := New(outputLimitConfig(t, model), Options{Health: tr, Providers: map[string]llm.ChatProvider{"p": newFake(nil)},
			Classify: func(req *llm.Request) route.Features {
				return route.Features{Category: llm.CategoryChat, Confidence: 0.9, MaxTokens: *req.MaxTokens}
			}})
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	rejectedByRefusal := func(g *Gateway) bool {
		req := hello("r")
		req.MaxTokens = new(20000)
		plan, err := g.Route(context.Background(), req, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range plan.Explanation.Rejected {
			if r.Deployment == "a" && r.Reason == route.ReasonMaxOutput && r.By == route.ByRefusal && r.Limit == 16384 {
				return true
			}
		}
		return false
	}
	g := newGateway("gpt-4o-mini")
	if rejectedByRefusal(g) || g.healthView() != nil {
		t.Fatal("a rejected before any refusal, or a health view with nothing to say")
	}
	tr.Record(health.Outcome{Deployment: "a", Model: "gpt-4o-mini", OutputLimit: 16384})
	if !rejectedByRefusal(g) {
		t.Error("the learned limit did not keep a off the plan")
	}
	if !rejectedByRefusal(newGateway("gpt-4o-mini")) {
		t.Error("a reload that kept a's model dropped the learned limit")
	}
	if rejectedByRefusal(newGateway("gpt-4.1-mini")) {
		t.Error("a reload that changed a's model kept the old model's limit")
	}
}
