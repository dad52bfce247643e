package ui

import (
	"bytes"
	"context"
	"encoding/json"

	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// pwn is a payload for one field: HTML that would make elements marked
// data-pwn=field and run script setting window.__pwned (an event handler,
// a script element, an SVG onload, a template literal, a javascript: URL)
// were the page to parse it as HTML, break out of an attribute, a
// textarea, a title or a style element, or follow it as a link. Its first
// word, pwn:field, shows where a field's text reached the page.
func pwn(field string) string {
	run := `window.__pwned='` + field + `'`
	return `pwn:` + field + ` "'></textarea></title></style><img src=x data-pwn="` + field + `" onerror="` + run + `">` +
		`<svg data-pwn="` + field + `" onload="` + run + `"></svg><script>` + run + `</script>` +
		`<a data-pwn="` + field + `" href="javascript:` + run + `">x</a>${` + run + `} javascript:` + run +
		` <style>*{background:url(//evil.example/css)}</style>`
}

// pwnTag is a feedback tag (letters, digits and _ - . : / only) that
// would be a script URL if it became a link.
const pwnTag = "javascript:pwn:feedback_tag"

// shownField finds the field names of payloads in a view's text.
var shownField = regexp.MustCompile(`pwn:([a-z_]+)`)

// watchViolations makes every document the tab opens count the
// Content-Security-Policy violations it sees (window.__violations): a
// blocked injection is a defect too, the policy being only a second wall.
func (b *page) watchViolations(t *testing.T) {
	t.Helper()
	src := `window.__violations = []; document.addEventListener('securitypolicyviolation', (e) =>
	  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));`
	b.run(t, "watch policy violations", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: src})
		return err
	}))
}

// noInjection fails when, in the view drawn, a payload made an element
// or ran, or the policy had to block anything.
func noInjection(t *testing.T, b *page, view string) {
	t.Helper()
	if n := b.count(t, "[data-pwn], main script, main iframe, main object, main embed, main style"); n != 0 {
		t.Errorf("%s: %d elements made from request text: %s", view, n,
			eval[string](t, b, `[...document.querySelectorAll('[data-pwn], main script, main style')].map(e => e.outerHTML).join('\n')`))
	}
	if got := eval[string](t, b, "String(window.__pwned ?? '')"); got != "" {
		t.Errorf("%s: the payload of %s ran", view, got)
	}
	if v := eval[[]string](t, b, "window.__violations || []"); len(v) != 0 {
		t.Errorf("%s: the page's policy blocked %v", view, v)
	}
	if n := b.count(t, `main a[href^="javascript:" i], main [href*="evil.example"]`); n != 0 {
		t.Errorf("%s: %d links to script or another site", view, n)
	}
}

// send posts body (JSON) to path with key and headers, returning the
// status and the request id.
func (g *rig) send(t *testing.T, path, key string, body any, headers map[string]string) (int, string) {
	t.Helper()
	data, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", g.url+path, bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("x-switchyard-request-id")
}

// hostileKey makes, as the admin, a client key whose name and tenant are
// payloads (refused: names are letters, digits and . _ : / -), then one
// named as close to a script URL as names allow, and returns its secret.
func (g *rig) hostileKey(t *testing.T) string {
	t.Helper()
	if st, out := g.makeKey(t, pwn("key_name"), pwn("tenant")); st != 400 {
		t.Errorf("a key named by payloads: %d %.200s, want 400", st, out)
	}
	st, out := g.makeKey(t, "javascript:pwn:key_name", "javascript:pwn:tenant")
	var made struct {
		Key string `json:"key"`
	}
	if st >= 300 || json.Unmarshal(out, &made) != nil || made.Key == "" {
		t.Fatalf("a key named javascript:…: %d %s", st, out)
	}
	return made.Key
}

// makeKey posts a client key of name and tenant to /admin/keys.
func (g *rig) makeKey(t *testing.T, name, tenant string) (int, []byte) {
	t.Helper()
	data, _ := json.Marshal(map[string]string{"name": name, "tenant": tenant})
	req, _ := http.NewRequest("POST", g.url+"/admin/keys", bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+adminKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// upload posts a file whose name is a payload to /v1/files.
func (g *rig) upload(t *testing.T, key string) int {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("purpose", "batch")
	fw, _ := w.CreateFormFile("file", pwn("filename")+".jsonl")
	line, _ := json.Marshal(map[string]any{"custom_id": pwn("custom_id"), "method": "POST", "url": "/v1/chat/completions",
		"body": map[string]any{"model": "gpt-4o-mini", "messages": []map[string]string{{"role": "user", "content": pwn("batch_line")}}}})
	fw.Write(append(line, '\n'))
	w.Close()
	req, _ := http.NewRequest("POST", g.url+"/v1/files", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var f struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(data, &f) == nil && f.ID != "" {
		st, _ := g.send(t, "/v1/batches", key, map[string]any{"input_file_id": f.ID, "endpoint": "/v1/chat/completions",
			"completion_window": "24h", "metadata": map[string]string{"note": pwn("batch_metadata")}}, nil)
		t.Logf("a batch with payload metadata: %d", st)
	}
	return resp.StatusCode
}

// hostileTraffic sends, with key, requests carrying a payload in every
// field a client controls, rates one with a payload tag, and asks the
// admin API for a path made of a payload; it returns the ids of the
// requests the router answered with one.
func (g *rig) hostileTraffic(t *testing.T, key string) []string {
	t.Helper()
	var ids []string
	note := func(status int, id string) {
		t.Logf("probe %d: %d %s", len(ids), status, id)
		if id != "" {
			ids = append(ids, id)
		}
	}
	user := func(text string) map[string]any { return map[string]any{"role": "user", "content": text} }
	st, first := g.send(t, "/v1/chat/completions", key, map[string]any{
		"model": "auto", "user": pwn("user"), "metadata": map[string]string{"k": pwn("metadata")}, "store": true,
		"messages": []any{map[string]any{"role": "system", "content": pwn("system")}, user(pwn("prompt"))},
	}, map[string]string{"x-switchyard-session": pwn("session")})
	note(st, first)
	note(g.send(t, "/v1/chat/completions", key, map[string]any{"model": "auto", "messages": []any{user("call a tool")},
		"tools": []any{map[string]any{"type": "function", "function": map[string]any{"name": "pwn_tool",
			"description": pwn("tool_description"), "parameters": map[string]any{"type": "object"}}}}}, nil))
	note(g.send(t, "/v1/chat/completions", key, map[string]any{"model": "auto", "messages": []any{user("hi"),
		map[string]any{"role": "assistant", "tool_calls": []any{map[string]any{"id": pwn("tool_call_id"), "type": "function",
			"function": map[string]any{"name": pwn("tool_name"), "arguments": `{"a":` + jsString(pwn("tool_arguments")) + `}`}}}},
		map[string]any{"role": "tool", "tool_call_id": pwn("tool_call_id"), "content": pwn("tool_result")}}}, nil))
	note(g.send(t, "/v1/chat/completions", key, map[string]any{"model": pwn("model"), "messages": []any{user("hi")}}, nil))
	note(g.send(t, "/v1/messages", key, map[string]any{"model": "auto", "max_tokens": 64, "system": pwn("anthropic_system"),
		"metadata": map[string]string{"user_id": pwn("anthropic_user_id")}, "messages": []any{user(pwn("anthropic_prompt"))}},
		map[string]string{"anthropic-version": "2023-06-01"}))
	note(g.send(t, "/v1/responses", key, map[string]any{"model": "auto", "instructions": pwn("instructions"),
		"input": pwn("responses_input")}, nil))
	if first != "" {
		g.waitLogged(t, adminKey, first)
		st, _ := g.send(t, "/v1/feedback", key, map[string]any{"request_id": first, "thumbs": "down", "tags": []string{pwnTag}}, nil)
		t.Logf("feedback with a payload tag: %d", st)
	}
	t.Logf("upload named by a payload: %d", g.upload(t, key))
	if resp := g.do(t, "GET", "/admin/"+url.PathEscape(pwn("audit_path")), "wrong-key-0123456789", nil); resp.StatusCode != 401 {
		t.Errorf("a wrong admin key: %d", resp.StatusCode)
	}
	g.waitLogged(t, adminKey, ids...)
	return ids
}

// dashboardViews are the views of the dashboard, by hash and the name
// main[data-view] takes once drawn.
var dashboardViews = [][2]string{
	{"#/overview", "overview"}, {"#/requests?limit=500", "requests"}, {"#/learning", "learning"}, {"#/report", "report"},
	{"#/budgets", "budgets"}, {"#/batches", "batches"}, {"#/drift", "drift"}, {"#/config", "config"},
	{"#/keys", "keys"}, {"#/audit", "audit"},
}

// TestStoredXSS: an end user who can send a request puts a payload in
// every field of it a client controls (and an admin in a key's name and
// tenant); the admin then opens every view of the dashboard, and every
// request's, in Chromium. No payload makes an element, runs, links to
// script or another site, or trips the page's policy; the fields the
// views show, they show as text.
func TestStoredXSS(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	g := startRouter(t, false)
	servedPolicy(t, g)
	ids := g.hostileTraffic(t, g.hostileKey(t))
	p := b.tab(t)
	p.watchViolations(t)
	p.run(t, "open the dashboard", navigate(g.url+"/ui/"))
	p.signIn(t, adminKey)
	p.run(t, "signed in", waitVisible(`nav a[href="#/requests"]`))
	linksStayHere(t, p)
	seen := map[string][]string{}
	look := func(view string) {
		noInjection(t, p, view)
		text := eval[string](t, p, "document.querySelector('main').innerText")
		for _, m := range shownField.FindAllStringSubmatch(text, -1) {
			if !slices.Contains(seen[m[1]], view) {
				seen[m[1]] = append(seen[m[1]], view)
			}
		}
		if os.Getenv("XSS_DEBUG") != "" {
			t.Logf("%s:\n%s", view, text)
		}
	}
	for _, v := range dashboardViews {
		p.show(t, v[0], v[1])
		look(v[1])
	}
	// A crafted link to the dashboard: the API's error echoes the
	// filters and the id it was given.
	p.show(t, "#/requests?since="+url.QueryEscape(pwn("filter_echo")), "requests")
	look("requests with a payload filter")
	p.show(t, "#/requests/"+url.PathEscape(pwn("id_echo")), "requests/:id")
	look("a request of a payload id")
	// A link to a request id that is no percent-encoding (a crafted
	// address) lands on the overview, with no script error.
	p.show(t, "#/requests/%E0%A4%A", "overview")
	for _, id := range ids {
		p.show(t, "#/requests/"+id, "requests/:id")
		p.run(t, "open the raw JSON", chromedp.Evaluate[chromedp.Void]("document.querySelectorAll('main details').forEach(d => d.open = true)"))
		look("request " + id)
	}
	for field, views := range seen {
		t.Logf("%s shown as text in %s", field, strings.Join(views, ", "))
	}
	for _, field := range []string{"prompt", "system", "tool_call_id", "tool_name", "tool_arguments", "tool_result",
		"anthropic_prompt", "responses_input", "feedback_tag", "audit_path", "filter_echo", "id_echo", "key_name", "tenant"} {
		if len(seen[field]) == 0 {
			t.Errorf("no view showed the %s payload: the probe did not reach the page", field)
		}
	}
	if errs := p.errors(); len(errs) > 0 {
		t.Errorf("the pages threw or logged errors: %v", errs)
	}

}

// servedPolicy fails unless the router serves the dashboard's page and
// scripts with a policy that runs only its own script files (no inline
// script or handler, no eval) and closes the DOM's HTML sinks.
func servedPolicy(t *testing.T, g *rig) {
	t.Helper()
	for _, path := range []string{"/ui/", "/ui/js/app.js"} {
		resp, err := http.Get(g.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		for _, want := range []string{"script-src 'self';", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
			"require-trusted-types-for 'script'", "trusted-types 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: the policy %q lacks %s", path, csp, want)
			}
		}
		for _, bad := range []string{"unsafe-inline", "unsafe-eval", "unsafe-hashes", "strict-dynamic", "data:", "*"} {
			if strings.Contains(csp, bad) {
				t.Errorf("%s: the policy %q allows %s", path, csp, bad)
			}
		}
	}
}

// linksStayHere: the dashboard's links (dom.js h, the one maker of
// elements) keep its own fragments and paths of its origin, and turn
// anything that would leave it — a script URL, another host, including
// the spellings browsers read as another host (/\host, a tab inside //)
// — into '#'.
func linksStayHere(t *testing.T, p *page) {
	t.Helper()
	hrefs := map[string]string{
		"#/requests/req_1": "#/requests/req_1", "/ui/": "/ui/", "/healthz": "/healthz",
		"javascript:window.__pwned=1": "#", " javascript:x": "#", "JaVaScRiPt:x": "#", "data:text/html,x": "#",
		"https://evil.example/": "#", "//evil.example/": "#", `/\evil.example/`: "#", "/\t/evil.example/": "#",
		`\\evil.example/`: "#", "/%2F/evil.example": "/%2F/evil.example",
	}
	in := make([]string, 0, len(hrefs))
	for h := range hrefs {
		in = append(in, h)
	}
	js := `import('./js/dom.js').then((m) => ` + jsArray(in) + `.map((v) => m.h('a', {href: v}).getAttribute('href')))`
	got := get(t, p, "make links", chromedp.Evaluate[[]string](js, chromedp.EvalAwaitPromise))
	for i, h := range in {
		if i >= len(got) || got[i] != hrefs[h] {
			t.Errorf("a link to %q: href %q, want %q", h, got[min(i, len(got)-1)], hrefs[h])
		}
	}
}

func jsArray(ss []string) string {
	b, _ := json.Marshal(ss)
	return string(b)
}
