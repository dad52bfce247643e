package ui

import (
	"strings"
	"testing"
)

// TestDashboard runs the dashboard in Chromium, in front of one router
// that served a few requests, as each kind of operator, each in a tab of
// its own.
func TestDashboard(t *testing.T) {
	b := newBrowser(t) // first: it skips (or fails under CI) without Chromium
	g := startRouter(t, false)
	g.ratePairs(t, 60)
	tr := g.sendTraffic(t)
	t.Run("admin", func(t *testing.T) { testAsAdmin(t, g, tr, b.tab(t)) })
	t.Run("viewer", func(t *testing.T) { testAsViewer(t, g, tr, b.tab(t)) })
	t.Run("demo", func(t *testing.T) { testDemo(t, b.tab(t)) })
}

// testDemo: in demo mode (serve --demo), where the admin API needs no
// key, the dashboard opens without asking for one, as every view's
// admin, and keeps nothing in the tab's storage.
func testDemo(t *testing.T, b *page) {
	g := startRouter(t, true)
	id, status := g.chat(t, "auto", "What is the capital of France?")
	if status != 200 {
		t.Fatalf("a demo request: %d", status)
	}
	g.waitLogged(t, "", id)
	b.run(t, "open the dashboard", navigate(g.url+"/ui/"), waitVisible(`nav a[href="#/keys"]`))
	if who := b.text(t, "#who [data-who]"); who != "demo (no key needed)" {
		t.Errorf("demo mode shows %q", who)
	}
	if n := b.count(t, "#who button"); n != 0 {
		t.Error("demo mode offers to sign out")
	}
	b.show(t, "#/requests/"+id, "requests/:id")
	if d := b.text(t, "[data-field=deployment]"); d == "" || d == "—" {
		t.Errorf("the demo request's deployment: %q", d)
	}
	if s := b.sessionStorage(t); len(s) != 0 {
		t.Errorf("demo mode kept %v", s)
	}
	// A batch line sent through the provider's batch API says so.
	line := g.forwardedLine(t)
	g.waitLogged(t, "", line)
	b.show(t, "#/requests/"+line, "requests/:id")
	if p := b.text(t, `li[data-step="Batch"]`); !strings.Contains(p, "provider's own batch API") {
		t.Errorf("a forwarded batch line's path: %q", p)
	}
	// A weighted split's draw is part of the request's path, and its pick
	// is marked among the candidates.
	pair, _ := g.chat(t, "pair", "What is the capital of France?")
	g.waitLogged(t, "", pair)
	b.show(t, "#/requests/"+pair, "requests/:id")
	if p := b.text(t, `li[data-step="Split"]`); !strings.Contains(p, "weighted split drew") || !strings.Contains(p, "its chance") {
		t.Errorf("a split request's path: %q", p)
	}
	if !strings.Contains(b.html(t), "split pick") {
		t.Error("the split's pick is not marked among the candidates")
	}
	// A flex request's tier and how it was priced are part of its path.
	flex := g.do(t, "POST", "/v1/chat/completions", clientKey, []byte(`{"model":"gpt-4o-mini","service_tier":"flex","messages":[{"role":"user","content":"What is the capital of Peru?"}]}`))
	if flex.StatusCode != 200 {
		t.Fatalf("a flex request: %d", flex.StatusCode)
	}
	g.waitLogged(t, "", flex.Header.Get("x-switchyard-request-id"))
	b.show(t, "#/requests/"+flex.Header.Get("x-switchyard-request-id"), "requests/:id")
	if p := b.text(t, `li[data-step="Tier"]`); !strings.Contains(p, "flex tier") || !strings.Contains(p, "priced by the batch discount") {
		t.Errorf("a flex request's path: %q", p)
	}
	// An embedding of two tokens costs $0.00000004: shown so, not $0.000000.
	embed := g.do(t, "POST", "/v1/embeddings", clientKey, []byte(`{"model":"text-embedding-3-small","input":"two words"}`))
	if embed.StatusCode != 200 {
		t.Fatalf("an embedding: %d", embed.StatusCode)
	}
	g.waitLogged(t, "", embed.Header.Get("x-switchyard-request-id"))
	// The health panel prices media deployments in their own units.
	b.show(t, "#/overview", "overview")
	html := b.html(t)
	if strings.Contains(html, "$0.000000<") {
		t.Error("the overview shows a cost of a few tokens as $0.000000")
	}
	for _, want := range []string{"$0.006 per minute", "$15 per 1M characters", "per image by size and quality"} {
		if !strings.Contains(html, want) {
			t.Errorf("the overview's health panel lacks %q", want)
		}
	}
	if strings.Contains(html, "undefined") {
		t.Error("the overview shows an undefined value")
	}
	if errs := b.errors(); len(errs) > 0 {
		t.Errorf("the pages threw or logged errors: %v", errs)
	}
}

// noScriptRan fails when the page holds an element made from request
// text (an img or script in main) or a script it carried ran.
func noScriptRan(t *testing.T, b *page) {
	t.Helper()
	if n := b.count(t, "main img, main script"); n != 0 {
		t.Errorf("%d img or script elements made from request text", n)
	}
	if title := eval[string](t, b, "document.title"); title != "Switchyard" {
		t.Errorf("a script from request text ran: the title is %q", title)
	}
}

// testAsViewer: a viewer sees the request log but neither key
// management, nor the health reset, nor a rollback; the keys view, asked
// for by its address, says the key may not open it.
func testAsViewer(t *testing.T, g *rig, tr traffic, b *page) {
	b.run(t, "open the dashboard", navigate(g.url+"/ui/"))
	b.signIn(t, viewerKey)
	b.run(t, "signed in", waitVisible(`nav a[href="#/requests"]`))
	if n := b.count(t, `nav a[href="#/keys"]`); n != 0 {
		t.Error("a viewer sees the keys view in the nav")
	}
	b.show(t, "#/overview", "overview")
	if n := b.count(t, "main button.danger"); n != 0 {
		t.Errorf("a viewer sees %d health resets", n)
	}
	b.show(t, "#/requests/"+tr.failed, "requests/:id")
	if p := b.text(t, "ol.path"); !strings.Contains(p, "failed after") || !strings.Contains(p, "gpt-4o error unavailable") {
		t.Errorf("the failed request's path:\n%s", p)
	}
	b.show(t, "#/config/versions/1", "config/versions/:version")
	if n := b.count(t, "main button.danger"); n != 0 {
		t.Error("a viewer sees a rollback")
	}
	b.show(t, "#/keys", "denied")
	if msg := b.text(t, "main .notice"); !strings.Contains(msg, "may not open this view") {
		t.Errorf("keys as a viewer: %q", msg)
	}
	noSecret(t, "the page's HTML", b.html(t), viewerKey)
	if errs := b.errors(); len(errs) > 0 {
		t.Errorf("the pages threw or logged errors: %v", errs)
	}
}
