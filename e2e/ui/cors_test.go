package ui

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserApplication: a web application of server.trusted_origins
// calls the API from its pages with fetch, as the openai package does in
// a browser (dangerouslyAllowBrowser): Chromium preflights the keyed
// JSON request, and the page reads the answer, the router's request id
// and a streamed answer to its end. A page of an origin not listed gets
// nothing: the browser refuses to hand it the answer.
func TestBrowserApplication(t *testing.T) {
	b := newBrowser(t)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!doctype html><title>an application</title><p>app</p>")
	}))
	t.Cleanup(app.Close)
	other := httptest.NewServer(app.Config.Handler)
	t.Cleanup(other.Close)
	g := startRouterWith(t, false, "server: {trusted_origins: ["+jsString(app.URL)+"]}\n")

	call := func(stream bool) string {
		body := `{"model":"auto","stream":` + map[bool]string{true: "true", false: "false"}[stream] + `,"messages":[{"role":"user","content":"What is the capital of France?"}]}`
		return `fetch(` + jsString(g.url+"/v1/chat/completions") + `, {method: "POST", headers: {"Authorization": "Bearer ` + clientKey +
			`", "Content-Type": "application/json"}, body: ` + jsString(body) + `})
			.then(async r => r.status + " " + (r.headers.get("x-switchyard-request-id") || "no id") + " " + (await r.text()))
			.catch(e => "failed: " + e)`
	}
	tab := b.tab(t)
	tab.run(t, "open the application", navigate(app.URL+"/"), waitVisible("p"))
	got := get(t, tab, "a chat from the application", chromedp.Evaluate[string](call(false), chromedp.EvalAwaitPromise))
	if !strings.HasPrefix(got, "200 req_") || !strings.Contains(got, `"chat.completion"`) {
		t.Errorf("the application's chat: %.300s", got)
	}
	got = get(t, tab, "a streamed chat from the application", chromedp.Evaluate[string](call(true), chromedp.EvalAwaitPromise))
	if !strings.HasPrefix(got, "200 req_") || !strings.Contains(got, "data: [DONE]") {
		t.Errorf("the application's streamed chat: %.300s", got)
	}

	tab = b.tab(t)
	tab.run(t, "open a page of another origin", navigate(other.URL+"/"), waitVisible("p"))
	if got := get(t, tab, "a chat from another origin", chromedp.Evaluate[string](call(false), chromedp.EvalAwaitPromise)); !strings.HasPrefix(got, "failed: TypeError") {
		t.Errorf("a page of an origin not trusted read: %.300s", got)
	}
}
