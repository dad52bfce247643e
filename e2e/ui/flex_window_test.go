package ui

import (
	"strings"
	"testing"
	"time"

	"switchyard/sim"
)

// TestFlexWindowInDashboard runs the dashboard in Chromium after
// gpt-4o-mini answered a flex request 429 resource_unavailable with a
// Retry-After: the overview's health panel says flex requests skip it
// until when and why, and the next flex request's page says it was not
// called for want of flex capacity (its path, and its candidate's mark).
func TestFlexWindowInDashboard(t *testing.T) {
	b := newBrowser(t).tab(t) // first: it skips (or fails under CI) without Chromium
	g := startRouter(t, false)
	g.addRouteOf(t, "flexible", "{deployments: [gpt-4o-mini, o3-mini], strategy: ordered}")
	g.sim.Faults.Add(sim.Fault{Kind: sim.FaultFlexUnavailable, Model: "gpt-4o-mini", RetryAfter: time.Minute})
	flex := func() string {
		t.Helper()
		resp := g.do(t, "POST", "/v1/chat/completions", clientKey,
			[]byte(`{"model":"flexible","service_tier":"flex","messages":[{"role":"user","content":"What is the capital of Peru?"}]}`))
		if resp.StatusCode != 200 {
			t.Fatalf("a flex request: %d", resp.StatusCode)
		}
		return resp.Header.Get("x-switchyard-request-id")
	}
	met, skipped := flex(), flex()
	g.waitLogged(t, adminKey, met, skipped)

	b.run(t, "open the dashboard", navigate(g.url+"/ui/"))
	b.signIn(t, adminKey)
	b.run(t, "signed in", waitVisible(`nav a[href="#/requests"]`))
	b.show(t, "#/overview", "overview")
	if w := b.text(t, `[data-flex-window="gpt-4o-mini"]`); !strings.Contains(w, "no flex capacity") ||
		!strings.Contains(w, "until ") || !strings.Contains(w, "resource_unavailable") {
		t.Errorf("gpt-4o-mini's flex window in the health panel: %q", w)
	}
	if n := b.count(t, `[data-flex-window="o3-mini"]`); n != 0 {
		t.Error("o3-mini shows a flex window")
	}

	b.show(t, "#/requests/"+skipped, "requests/:id")
	if p := b.text(t, `li[data-step="Flex"]`); !strings.Contains(p, "not called for want of flex capacity: gpt-4o-mini") ||
		!strings.Contains(p, "ran until") {
		t.Errorf("the skipping request's path: %q", p)
	}
	if !strings.Contains(b.html(t), "flex window until") {
		t.Error("gpt-4o-mini's candidate is not marked with its flex window")
	}
	b.show(t, "#/requests/"+met, "requests/:id")
	if n := b.count(t, `li[data-step="Flex"]`); n != 0 {
		t.Error("the request that met the shortage (and called gpt-4o-mini) says it was passed over")
	}
	if strings.Contains(b.html(t), "undefined") {
		t.Error("a page shows an undefined value")
	}
	if errs := b.errors(); len(errs) > 0 {
		t.Errorf("the pages threw or logged errors: %v", errs)
	}
}
