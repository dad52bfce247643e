package e2e

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"

	"switchyard/config"
	"switchyard/sim"
)

// fastLimitAdmin is TestFastModeLimitE2E's admin key.
const fastLimitAdmin = "sk-fast-limit-admin-0123456789"

// TestFastModeLimitE2E: past fast mode's own rate limit (Anthropic's 429
// to a request in fast mode), an Anthropic SDK client's speed "fast" is
// answered by the same Claude deployment at standard speed at once —
// usage.speed standard, standard prices, the fallback Claude Sonnet 4.5 not
// called — and GET /admin/health shows the fast window, not a rate limit;
// while it lasts, the next fast request goes out at standard speed
// without a refused call first.
func TestFastModeLimitE2E(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, func(c *config.Config) {
		c.Deployments["claude-opus-5-5"] = &config.Deployment{Name: "claude-opus-5-5", Provider: "anthropic", Model: "claude-opus-5-5"}
		c.Routes["agents"] = &config.Route{Name: "agents", Deployments: []string{"claude-opus-5-5", "claude-sonnet-4-5"},
			Policy: config.Policy{Strategy: config.StrategyOrdered}}
		c.Auth.AdminKeys = []config.AdminKey{{Key: fastLimitAdmin, Name: "ops", Role: config.RoleAdmin}}
	})
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultFastRateLimit, Model: "claude-opus-5-5", RetryAfter: 45 * time.Second})
	c := anthropicClient(e, "demo-key")
	call := func() (*sdk.BetaMessage, *http.Response) {
		t.Helper()
		var resp *http.Response
		msg, err := c.Beta.Messages.New(ctxT(t), fastParams("claude-opus-5-5"), sdkoption.WithResponseInto(&resp), sdkoption.WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		return msg, resp
	}
	sent := len(tp.requests())
	msg, resp := call()
	reqs := tp.requests()[sent:]
	if len(reqs) != 2 || msg.Model != "claude-opus-5-5" || msg.Usage.Speed != sdk.BetaUsageSpeedStandard {
		t.Fatalf("%d upstream calls, model %s, usage.speed %q; want 2 calls to claude-opus-5-5, served standard", len(reqs), msg.Model, msg.Usage.Speed)
	}
	if speedOf(t, reqs[0].body) != `"fast"` || speedOf(t, reqs[1].body) != "" {
		t.Errorf("sent speed %s then %s; want fast, then none", speedOf(t, reqs[0].body), speedOf(t, reqs[1].body))
	}
	wantCost(t, resp, opus55USD(msg.Usage, 1))
	if h := fastHealth(t, e, "claude-opus-5-5"); h.FastUnavailableUntil.IsZero() || h.RateLimitedUntil != "" || h.Status != "healthy" {
		t.Errorf("GET /admin/health: %+v; want a fast window only", h)
	}

	sent = len(tp.requests())
	msg, _ = call()
	if reqs := tp.requests()[sent:]; len(reqs) != 1 || speedOf(t, reqs[0].body) != "" || msg.Usage.Speed != sdk.BetaUsageSpeedStandard {
		t.Errorf("in the fast window: %d upstream calls, usage.speed %q; want one call at standard speed", len(reqs), msg.Usage.Speed)
	}
}

// speedOf returns the speed field of an upstream request body ("" when
// absent).
func speedOf(t *testing.T, body []byte) string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	return string(m["speed"])
}

// fastHealthView is one deployment of GET /admin/health.
type fastHealthView struct {
	Deployment           string    `json:"deployment"`
	Status               string    `json:"status"`
	RateLimitedUntil     string    `json:"rate_limited_until"`
	FastUnavailableUntil time.Time `json:"fast_unavailable_until"`
}

func fastHealth(t *testing.T, e *env, dep string) fastHealthView {
	t.Helper()
	code, b := callAs(t, http.MethodGet, e.URL+"/admin/health", fastLimitAdmin)
	var out struct {
		Deployments []fastHealthView `json:"deployments"`
	}
	if code != 200 || json.Unmarshal(b, &out) != nil {
		t.Fatalf("GET /admin/health: %d %s", code, b)
	}
	for _, d := range out.Deployments {
		if d.Deployment == dep {
			return d
		}
	}
	t.Fatalf("GET /admin/health has no %s: %s", dep, b)
	return fastHealthView{}
}

// TestFastModeStandardLimitE2E: a 429 of the model's standard limit
// (anthropic-ratelimit-requests-remaining 0, no fast header at 0) to a
// fast request is an ordinary rate limit: the next candidate answers and
// the deployment is in a rate limit window, not a fast one.
func TestFastModeStandardLimitE2E(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, func(c *config.Config) {
		c.Deployments["claude-opus-5-5"] = &config.Deployment{Name: "claude-opus-5-5", Provider: "anthropic", Model: "claude-opus-5-5"}
		c.Routes["agents"] = &config.Route{Name: "agents", Deployments: []string{"claude-opus-5-5", "claude-sonnet-4-5"},
			Policy: config.Policy{Strategy: config.StrategyOrdered}}
		c.Auth.AdminKeys = []config.AdminKey{{Key: fastLimitAdmin, Name: "ops", Role: config.RoleAdmin}}
	})
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultRateLimit, Model: "claude-opus-5-5", Count: 1, RetryAfter: 30 * time.Second})
	p := fastParams("agents")
	sent := len(tp.requests())
	c := anthropicClient(e, "demo-key")
	msg, err := c.Beta.Messages.New(ctxT(t), p, sdkoption.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	if reqs := tp.requests()[sent:]; len(reqs) != 2 || msg.Model != "claude-sonnet-4-5" {
		t.Errorf("%d upstream calls, served by %s; want the fallback after one 429", len(reqs), msg.Model)
	}
	if h := fastHealth(t, e, "claude-opus-5-5"); h.RateLimitedUntil == "" || !h.FastUnavailableUntil.IsZero() {
		t.Errorf("GET /admin/health: %+v; want a rate limit window and no fast window", h)
	}
}
