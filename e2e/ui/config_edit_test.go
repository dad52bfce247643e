package ui

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// editor is the Config view's textarea.
const editor = `textarea.config-editor`

// TestConfigEditor edits the running configuration from the dashboard,
// as an admin: a route's setting changed (typed, with Tab), checked (the
// diff and the replay of the logged requests it moves), applied after a
// confirmation — the router then serves it, the version is listed and
// the audit trail names the key; an invalid edit shows its positioned
// mistake, selects its line and keeps Apply off; leaving the view or
// cancelling with edits asks first; a change applied through the API
// between the check and the apply is a conflict the page explains. A
// viewer sees no Edit control.
func TestConfigEditor(t *testing.T) {
	b := newBrowser(t) // first: it skips (or fails under CI) without Chromium
	g := startRouter(t, false)
	var ids []string
	for i := range 3 {
		id, status := g.chat(t, "broken", fmt.Sprintf("are you there, %d?", i))
		if status < 500 {
			t.Fatalf("broken (its one deployment is down): %d", status)
		}
		ids = append(ids, id)
	}
	g.waitLogged(t, adminKey, ids...)
	t.Run("admin", func(t *testing.T) {
		p := b.tab(t)
		p.run(t, "open the dashboard", navigate(g.url+"/ui"))
		p.signIn(t, adminKey)
		p.run(t, "signed in", waitVisible(`nav a[href="#/config"]`))
		editApplies(t, g, p)
		editInvalid(t, p)
		editConflicts(t, g, p)
		if errs := p.errors(); len(errs) > 0 {
			t.Errorf("the pages threw or logged errors: %v", errs)
		}
	})
	t.Run("viewer", func(t *testing.T) {
		p := b.tab(t)
		p.run(t, "open the dashboard", navigate(g.url+"/ui"))
		p.signIn(t, viewerKey)
		p.show(t, "#/config", "config")
		if c := p.text(t, "main pre[data-config]"); !strings.Contains(c, "routes:") {
			t.Errorf("a viewer's config view:\n%s", c)
		}
		if n := p.count(t, "main button[data-edit], main textarea"); n != 0 {
			t.Errorf("a viewer sees %d edit controls", n)
		}
		if errs := p.errors(); len(errs) > 0 {
			t.Errorf("the pages threw or logged errors: %v", errs)
		}
	})
}

// editApplies: route broken moves from gpt-4o (down) to gpt-4o-mini;
// the check shows the diff and the three logged requests moving; Apply
// waits for a check of the same text; applied, version 2 runs and
// serves the route.
func editApplies(t *testing.T, g *rig, b *page) {
	b.show(t, "#/config", "config")
	running := b.text(t, "main pre[data-config]")
	b.run(t, "open the editor", click(`main button[data-edit]`), waitVisible(editor))
	if v := b.editorText(t); v != running+"\n" && v != running {
		t.Errorf("the editor does not hold the running text")
	}
	if !strings.Contains(b.text(t, "main .notice"), "a mask keeps the running value") {
		t.Error("the editor does not say what masks do")
	}
	b.selectInEditor(t, "  broken:\n    deployments: [gpt-4o]\n", "[gpt-4o]")
	b.run(t, "type the change, Tab, a comment", chromedp.KeyEvent("[gpt-4o-mini]\t# via the dashboard"))
	if v := b.editorText(t); !strings.Contains(v, "  broken:\n    deployments: [gpt-4o-mini]  # via the dashboard\n") {
		t.Fatalf("the edited text (Tab must indent by two spaces):\n%s", v)
	}
	if focused := eval[bool](t, b, `document.activeElement.matches('`+editor+`')`); !focused {
		t.Error("Tab left the editor")
	}
	b.applyDisabled(t, true, "before a check")
	b.run(t, "check", click(`main button[data-check-button]`), waitVisible(`main [data-check]`))
	check := b.text(t, "main [data-check]")
	for _, want := range []string{"+1 / −1 lines against the running version 1", "-    deployments: [gpt-4o]",
		"+    deployments: [gpt-4o-mini]  # via the dashboard", "3 requests would go to another deployment first"} {
		if !strings.Contains(check, want) {
			t.Errorf("the check lacks %q:\n%s", want, check)
		}
	}
	if moves := b.text(t, "main [data-moves] tbody"); !strings.Contains(moves, "broken\tgpt-4o\tgpt-4o-mini\t3") {
		t.Errorf("the moves table: %q", moves)
	}
	b.applyDisabled(t, false, "after the check")
	b.screenshot(t, "config-check")
	b.caretAtEnd(t)
	b.run(t, "edit again", chromedp.KeyEvent("!"))
	b.applyDisabled(t, true, "after an edit since the check")
	b.run(t, "undo the edit", chromedp.KeyEvent("\b"))
	b.applyDisabled(t, false, "back to the text checked")

	b.run(t, "apply", click(`main button[data-apply]`), waitVisible(`main [data-ask] button[data-confirm]`),
		click(`main [data-ask] button[data-confirm]`), waitVisible(`main [data-applied]`))
	if msg := b.text(t, "main [data-applied]"); !strings.Contains(msg, "Applied: version 2 now runs") ||
		!strings.Contains(msg, "It replaced version 1: +1 / −1 lines") {
		t.Errorf("applied: %q", msg)
	}
	if n := b.count(t, `main [data-applied] a[href="#/config/versions/2"]`); n != 1 {
		t.Error("no link to version 2")
	}
	if c := b.text(t, "main pre[data-config]"); !strings.Contains(c, "[gpt-4o-mini]  # via the dashboard") {
		t.Errorf("the running text shown after the apply:\n%s", c)
	}
	if v := b.text(t, "main table"); !strings.Contains(v, "version 2running") || !strings.Contains(v, "ui-admin") {
		t.Errorf("the versions after the apply:\n%s", v)
	}
	if v := g.configVersion(t); v != 2 {
		t.Errorf("the router runs version %d", v)
	}
	resp := g.do(t, "POST", "/v1/chat/completions", clientKey,
		[]byte(`{"model":"broken","messages":[{"role":"user","content":"are you there now?"}]}`))
	if resp.StatusCode != 200 || resp.Header.Get("x-switchyard-deployment") != "gpt-4o-mini" {
		t.Errorf("route broken after the apply: %d from %q", resp.StatusCode, resp.Header.Get("x-switchyard-deployment"))
	}
	b.show(t, "#/audit?action=config.update", "audit")
	if a := b.text(t, "main table"); !strings.Contains(a, "ui-admin") || !strings.Contains(a, "config version 2") {
		t.Errorf("the audit trail:\n%s", a)
	}
	b.screenshot(t, "config-applied")
}

// editInvalid: a misspelt field is refused at its line, which is
// selected; Apply stays off; leaving the view, then Cancel, ask before
// the edits are lost.
func editInvalid(t *testing.T, b *page) {
	b.show(t, "#/config", "config")
	b.run(t, "open the editor", click(`main button[data-edit]`), waitVisible(editor))
	const failover = "    deployments: [gpt-4o, claude-haiku-4-5]\n    strategy: ordered\n"
	b.selectInEditor(t, failover, "strategy")
	b.run(t, "misspell", chromedp.KeyEvent("stratgy"))
	text := b.editorText(t)
	line := strings.Count(text[:strings.Index(text, "    stratgy: ordered")], "\n") + 1
	b.run(t, "check", click(`main button[data-check-button]`), waitVisible(`main [data-invalid]`))
	msg := b.text(t, "main [data-invalid]")
	if !strings.Contains(msg, fmt.Sprintf("line %d, column", line)) || !strings.Contains(msg, `unknown field "stratgy"`) ||
		!strings.Contains(msg, "config_invalid") {
		t.Errorf("the mistake, at line %d: %q", line, msg)
	}
	if sel := eval[string](t, b, `(() => { const a = document.querySelector('`+editor+`');
		return a.value.slice(a.selectionStart, a.selectionEnd); })()`); sel != "    stratgy: ordered" {
		t.Errorf("selected after the check: %q; want the mistake's line", sel)
	}
	b.applyDisabled(t, true, "after a refused check")
	b.screenshot(t, "config-invalid")

	b.run(t, "leave for the overview", click(`nav a[href="#/overview"]`), waitVisible(`main [data-leave] button[data-confirm]`))
	if hash := eval[string](t, b, "location.hash"); hash != "#/config" || b.count(t, editor) != 1 {
		t.Errorf("leaving with edits: at %q, editor shown %d", hash, b.count(t, editor))
	}
	b.run(t, "stay", click(`main [data-leave] button:not([data-confirm])`), waitNotPresent(`main [data-leave] button`))
	if !strings.Contains(b.editorText(t), "stratgy") {
		t.Error("the edits were lost by staying")
	}
	b.run(t, "cancel the edits", click(`main button[data-cancel]`), waitVisible(`main [data-ask] button[data-confirm]`),
		click(`main [data-ask] button[data-confirm]`), waitVisible(`main pre[data-config]`))
	if n := b.count(t, editor); n != 0 {
		t.Error("the editor stays after Cancel")
	}
	b.show(t, "#/overview", "overview") // nothing to lose now: no question
}

// editConflicts: a change checked from version 2, then a PUT through the
// API (version 3), then Apply: the page shows the 409, nothing changes;
// comparing with version 3 shows the text would undo that change.
func editConflicts(t *testing.T, g *rig, b *page) {
	b.show(t, "#/config", "config")
	b.run(t, "open the editor", click(`main button[data-edit]`), waitVisible(editor))
	b.selectInEditor(t, "    deployments: [gpt-4o, claude-haiku-4-5]\n    strategy: ordered\n", "ordered")
	b.run(t, "change failover's strategy", chromedp.KeyEvent("cheapest"))
	b.run(t, "check", click(`main button[data-check-button]`), waitVisible(`main [data-check]`))
	g.addRoute(t, "meanwhile")
	b.run(t, "apply", click(`main button[data-apply]`), waitVisible(`main [data-ask] button[data-confirm]`),
		click(`main [data-ask] button[data-confirm]`), waitVisible(`main [data-conflict]`))
	b.run(t, "the version running", waitVisible(`main [data-conflict] button[data-rebase]`))
	msg := b.text(t, "main [data-conflict]")
	for _, want := range []string{"made from version 2, but version 3 runs now", "config_conflict", "Your text stays in the editor"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the conflict lacks %q:\n%s", want, msg)
		}
	}
	b.applyDisabled(t, true, "after a conflict")
	if v := g.configVersion(t); v != 3 {
		t.Errorf("after the conflict the router runs version %d; want 3 (the API's change)", v)
	}
	b.screenshot(t, "config-conflict")
	if d := b.text(t, "main [data-conflict] details"); !strings.Contains(d, "What version 3 changed (ui-admin, api") {
		t.Errorf("the conflict does not show version 3: %q", d)
	}
	b.run(t, "compare with version 3", click(`main [data-conflict] button[data-rebase]`), waitVisible(`main [data-check]`))
	if d := b.text(t, "main [data-check]"); !strings.Contains(d, "against the running version 3") ||
		!strings.Contains(d, "-  meanwhile: {deployments: [gpt-4o-mini]}") || !strings.Contains(d, "+    strategy: cheapest") {
		t.Errorf("compared with version 3:\n%s", d)
	}
	b.run(t, "cancel the edits", click(`main button[data-cancel]`), waitVisible(`main [data-ask] button[data-confirm]`),
		click(`main [data-ask] button[data-confirm]`), waitVisible(`main pre[data-config]`))
}

// editorText returns the editor's text.
func (b *page) editorText(t *testing.T) string {
	t.Helper()
	return eval[string](t, b, `document.querySelector('`+editor+`').value`)
}

// selectInEditor focuses the editor and selects part of the first
// occurrence of around in its text, so that typing replaces it.
func (b *page) selectInEditor(t *testing.T, around, part string) {
	t.Helper()
	a, _ := json.Marshal(around)
	p, _ := json.Marshal(part)
	found := eval[bool](t, b, fmt.Sprintf(`((around, part) => {
		const a = document.querySelector('%s');
		const i = a.value.indexOf(around);
		if (i < 0 || around.indexOf(part) < 0) return false;
		const j = i + around.indexOf(part);
		a.focus();
		a.setSelectionRange(j, j + part.length);
		return true;
	})(%s, %s)`, editor, a, p))
	if !found {
		t.Fatalf("the editor's text lacks %q", around)
	}
}

// caretAtEnd focuses the editor with the caret after its last character.
func (b *page) caretAtEnd(t *testing.T) {
	t.Helper()
	eval[bool](t, b, `(() => { const a = document.querySelector('`+editor+`');
		a.focus(); a.setSelectionRange(a.value.length, a.value.length); return true; })()`)
}

// applyDisabled fails unless the Apply button's state is want.
func (b *page) applyDisabled(t *testing.T, want bool, when string) {
	t.Helper()
	if got := eval[bool](t, b, `document.querySelector('main button[data-apply]').disabled`); got != want {
		t.Errorf("%s: Apply disabled %v; want %v", when, got, want)
	}
}
