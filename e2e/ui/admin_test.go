package ui

import (
	"strings"
	"testing"
)

// testAsAdmin signs in with an admin key and walks the views: a wrong
// key is refused with the API's message; the key lives in one
// sessionStorage entry and nowhere in the page; the request log lists
// the requests sent, and a request's page says where it went and why;
// HTML in a prompt and in an audited path shows as text; the scores and
// the report's recommendation show, and its savings cards the API's
// figures; a rollback goes through its
// confirmation; a key made is shown once; signing out clears the tab's
// storage; opening the dashboard left no failed login.
func testAsAdmin(t *testing.T, g *rig, tr traffic, b *page) {
	adminSignsIn(t, g, b)
	adminReadsRequests(t, tr, b)
	textStaysText(t, tr, b)
	adminReadsLearning(t, b)
	adminReadsSavings(t, g, b)
	adminReadsCharts(t, g, b)
	adminRollsBack(t, g, b)
	adminMakesKey(t, b)
	adminSignsOut(t, g, b)
}

// adminSignsIn: a wrong key is refused and not kept; the admin key is
// kept in one sessionStorage entry only.
func adminSignsIn(t *testing.T, g *rig, b *page) {
	b.run(t, "open the dashboard", navigate(g.url+"/ui"))
	b.show(t, "#/overview", "signin")
	b.screenshot(t, "signin")

	b.signIn(t, "wrong-key-0123456789")
	if msg := b.text(t, "main .error"); !strings.Contains(msg, "Incorrect API key") {
		t.Errorf("a wrong key: %q", msg)
	}
	if s := b.sessionStorage(t); len(s) != 0 {
		t.Errorf("a refused key was kept: %v", s)
	}

	b.signIn(t, adminKey)
	b.run(t, "signed in", waitVisible(`nav a[href="#/keys"]`))
	if who := b.text(t, "#who [data-who]"); who != "ui-admin" {
		t.Errorf("signed in as %q", who)
	}
	if s := b.sessionStorage(t); len(s) != 1 || s["switchyard.adminKey"] != adminKey {
		t.Errorf("sessionStorage = %d entries; want the one key entry", len(s))
	}
	if kept := eval[string](t, b, "JSON.stringify(localStorage) + document.cookie + location.href"); strings.Contains(kept, adminKey) {
		t.Error("the key is in localStorage, a cookie or the URL")
	}
	noSecret(t, "the page's HTML after signing in", b.html(t), adminKey)
	b.show(t, "#/overview", "overview")
	b.screenshot(t, "overview")
	if n := b.count(t, "main button.danger"); n == 0 {
		t.Error("an admin sees no health reset")
	}
}

// adminReadsRequests: the list holds the requests sent; a request's page,
// opened from the list, says where it went and why.
func adminReadsRequests(t *testing.T, tr traffic, b *page) {
	b.show(t, "#/requests", "requests")
	b.screenshot(t, "requests")
	list := b.text(t, "main table")
	for _, id := range []string{tr.factual, tr.failover, tr.failed, tr.xss} {
		if !strings.Contains(list, id) {
			t.Errorf("the request list lacks %s", id)
		}
	}

	b.run(t, "open the failover request from the list",
		click(`main a[href="#/requests/`+tr.failover+`"]`), waitVisible(`main[data-view="requests/:id"] [data-request="`+tr.failover+`"]`))
	b.screenshot(t, "request")
	if d := b.text(t, `[data-field=deployment]`); d != "claude-haiku-4-5" {
		t.Errorf("failover request answered by %q on the page", d)
	}
	path := b.text(t, "ol.path")
	for _, want := range []string{"for route failover", "strategy ordered", "served by claude-haiku-4-5", "failed attempt", "gpt-4o error unavailable"} {
		if !strings.Contains(path, want) {
			t.Errorf("the routing path lacks %q:\n%s", want, path)
		}
	}
	b.show(t, "#/requests/"+tr.factual, "requests/:id")
	if c := b.text(t, `[data-field=category]`); c != "factual" {
		t.Errorf("category %q", c)
	}
	if p := b.text(t, "ol.path"); !strings.Contains(p, "as factual") || !strings.Contains(p, "categories.factual") {
		t.Errorf("the routing path does not say why:\n%s", p)
	}

	b.show(t, "#/requests/"+tr.learned, "requests/:id")
	if p := b.text(t, `li[data-step="Learned"]`); !strings.Contains(p, "adaptive scorer") {
		t.Errorf("the learned request's path: %q", p)
	}
	// gpt-4o is down: tried and failed, or passed over while it fails
	// (health holds a failing deployment back for a moment).
	if p := b.text(t, `li[data-step="Outcome"]`); !strings.Contains(p, "served by gpt-4o-mini") ||
		!strings.Contains(p, "failed attempt") && !strings.Contains(p, "not called: gpt-4o") {
		t.Errorf("the learned request's outcome: %q", p)
	}
	if h := b.text(t, "main"); !strings.Contains(h, "p(good)") || !strings.Contains(h, "Adaptive scorer") {
		t.Error("the learned request's page lacks the adaptive scorer's estimates")
	}
	b.screenshot(t, "request-learned")
}

// textStaysText: HTML in a prompt and in an audited path shows as text.
func textStaysText(t *testing.T, tr traffic, b *page) {
	b.show(t, "#/requests/"+tr.xss, "requests/:id")
	b.screenshot(t, "request-xss")
	if chat := b.text(t, "main .chat"); !strings.Contains(chat, `<img src=x onerror="document.title='XSS-img'">`) ||
		!strings.Contains(chat, "<script>") {
		t.Errorf("the prompt is not shown as text:\n%s", chat)
	}
	noScriptRan(t, b)

	b.show(t, "#/audit", "audit")
	b.screenshot(t, "audit")
	if a := b.text(t, "main table"); !strings.Contains(a, `/admin/<img src=x onerror="document.title='XSS-audit'">`) {
		t.Errorf("the audited path is not shown as text:\n%s", a)
	}
	noScriptRan(t, b)
}

// adminReadsLearning: the scores and the weekly report's recommendation.
func adminReadsLearning(t *testing.T, b *page) {
	b.show(t, "#/learning", "learning")
	if s := b.text(t, "main table"); !strings.Contains(s, "failover") || !strings.Contains(s, "claude-haiku-4-5") {
		t.Errorf("the scores lack the failover route:\n%s", s)
	}
	b.screenshot(t, "learning")
	b.show(t, "#/report?min_outcomes=3", "report")
	report := b.text(t, "main")
	for _, want := range []string{"route failover · category", "route pair · category factual", "routes.pair.categories.factual.prefer", "refused"} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q:\n%s", want, report)
		}
	}
	b.screenshot(t, "report")
}

// adminRollsBack: the configuration, masked, and a rollback to version 1
// through its confirmation.
func adminRollsBack(t *testing.T, g *rig, b *page) {
	b.show(t, "#/config", "config")
	if c := b.text(t, "main pre[data-config]"); !strings.Contains(c, "routes:") || !strings.Contains(c, `"********"`) ||
		strings.Contains(c, adminKey) {
		t.Errorf("config view:\n%s", c)
	}
	g.addRoute(t, "extra")
	b.show(t, "#/config/versions/1", "config/versions/:version")
	b.run(t, "roll back to version 1",
		click(`main button.danger`), waitVisible(`main button[data-confirm]`), click(`main button[data-confirm]`),
		waitVisible(`main .success`))
	if msg := b.text(t, "main .success"); !strings.Contains(msg, "Rolled back: version 3 now runs") {
		t.Errorf("rollback: %q", msg)
	}
	if v := g.configVersion(t); v != 3 {
		t.Errorf("after the rollback the router runs version %d", v)
	}
	b.screenshot(t, "config-version")
}

// adminMakesKey: a key made is shown once, and gone from the page when
// its box is closed; the admin key is nowhere in the page.
func adminMakesKey(t *testing.T, b *page) {
	b.show(t, "#/keys", "keys")
	b.run(t, "create a key",
		setValue(`form[data-form=create-key] input[name=name]`, "ui-made"),
		setValue(`form[data-form=create-key] input[name=tenant]`, "acme"),
		submit(`form[data-form=create-key]`),
		waitVisible(`input[data-secret]`))
	made := eval[string](t, b, `document.querySelector('input[data-secret]').value`)
	if !strings.HasPrefix(made, "sy-") {
		t.Errorf("the new key shown: %q", made)
	}
	b.screenshot(t, "keys")
	b.run(t, "close the new key's box", click(`.secret-box button:not(.primary)`), waitNotPresent(`input[data-secret]`))

	html := b.html(t)
	noSecret(t, "the page's HTML", html, adminKey)
	noSecret(t, "the page's HTML", html, made)
	inputs := eval[string](t, b, `[...document.querySelectorAll('input, textarea')].map(i => i.value).join('\n')`)
	noSecret(t, "the page's inputs", inputs, adminKey)
	if s := b.sessionStorage(t); len(s) != 1 {
		t.Errorf("sessionStorage holds %d entries; want the one key entry", len(s))
	}
}

// adminSignsOut: signing out empties sessionStorage; the pages logged no
// error; opening the dashboard asked the API nothing without a key.
func adminSignsOut(t *testing.T, g *rig, b *page) {
	b.run(t, "sign out", click(`#who button`), waitVisible(`#signin`))
	if s := b.sessionStorage(t); len(s) != 0 {
		t.Errorf("sessionStorage after signing out: %d entries", len(s))
	}
	if n := b.count(t, "nav a"); n != 0 {
		t.Errorf("%d nav links after signing out", n)
	}
	if errs := b.errors(); len(errs) > 0 {
		t.Errorf("the pages threw or logged errors: %v", errs)
	}
	// Opening the dashboard asks the admin API nothing without a key: the
	// failed logins are the wrong key typed and the path sent earlier.
	if n := g.failedLogins(t, 2); n != 2 {
		t.Errorf("%d failed logins in the audit trail; want 2 (the wrong key, the path)", n)
	}
}
