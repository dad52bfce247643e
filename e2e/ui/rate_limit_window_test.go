package ui

import (
	"strings"
	"testing"
	"time"

	"switchyard/sim"
)

// TestRateLimitWindowInDashboard runs the dashboard in Chromium after
// gpt-4o-mini answered 429 with a Retry-After: the next request's page
// says it was not called while rate-limited (its path, and its
// candidate's mark), from the stored explanation.
func TestRateLimitWindowInDashboard(t *testing.T) {
	b := newBrowser(t).tab(t) // first: it skips (or fails under CI) without Chromium
	g := startRouter(t, false)
	g.addRouteOf(t, "limited", "{deployments: [gpt-4o-mini, o3-mini], strategy: ordered}")
	g.sim.Faults.Add(sim.Fault{Kind: sim.FaultRateLimit, Model: "gpt-4o-mini", RetryAfter: time.Minute, Count: 1})
	ask := func() string {
		t.Helper()
		resp := g.do(t, "POST", "/v1/chat/completions", clientKey,
			[]byte(`{"model":"limited","messages":[{"role":"user","content":"What is the capital of Peru?"}]}`))
		if resp.StatusCode != 200 {
			t.Fatalf("a request: %d", resp.StatusCode)
		}
		return resp.Header.Get("x-switchyard-request-id")
	}
	met, skipped := ask(), ask()
	g.waitLogged(t, adminKey, met, skipped)

	b.run(t, "open the dashboard", navigate(g.url+"/ui/"))
	b.signIn(t, adminKey)
	b.run(t, "signed in", waitVisible(`nav a[href="#/requests"]`))
	b.show(t, "#/requests/"+skipped, "requests/:id")
	if p := b.text(t, `li[data-step="Rate limits"]`); !strings.Contains(p, "not called while rate-limited") ||
		!strings.Contains(p, "gpt-4o-mini") || !strings.Contains(p, "ran until") {
		t.Errorf("the skipping request's path: %q", p)
	}
	if !strings.Contains(b.html(t), "rate limit window until") {
		t.Error("gpt-4o-mini's candidate is not marked with its rate limit window")
	}
	b.show(t, "#/requests/"+met, "requests/:id")
	if n := b.count(t, `li[data-step="Rate limits"]`); n != 0 {
		t.Error("the request that met the 429 (and called gpt-4o-mini) says it was passed over")
	}
	if strings.Contains(b.html(t), "undefined") {
		t.Error("a page shows an undefined value")
	}
	if errs := b.errors(); len(errs) > 0 {
		t.Errorf("the pages threw or logged errors: %v", errs)
	}
}
