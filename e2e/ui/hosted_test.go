package ui

import (
	"strings"
	"testing"
)

// TestRequestHostedItems: a Responses API web search answered by an
// OpenAI deployment is logged with its hosted item and its annotation,
// and the request's page shows both in the answer, redacted as the rest
// (the e-mail address the search query held is masked).
func TestRequestHostedItems(t *testing.T) {
	b := newBrowser(t).tab(t) // first: it skips (or fails under CI) without Chromium
	g := startRouter(t, false)
	resp := g.do(t, "POST", "/v1/responses", clientKey,
		[]byte(`{"model":"gpt-4o-mini","input":"Where does jane.doe@example.com live?","tools":[{"type":"web_search"}]}`))
	id := resp.Header.Get("x-switchyard-request-id")
	if resp.StatusCode != 200 || id == "" {
		t.Fatalf("a web search: %d", resp.StatusCode)
	}
	g.waitLogged(t, adminKey, id)
	b.run(t, "open the dashboard", navigate(g.url+"/ui"))
	b.show(t, "#/overview", "signin")
	b.signIn(t, adminKey)
	b.show(t, "#/requests/"+id, "requests/:id")
	b.screenshot(t, "request-hosted")
	item, notes := b.text(t, "main .chat pre.hosted"), b.text(t, "main .chat pre.annotations")
	if !strings.HasPrefix(item, "hosted web_search_call {") || !strings.Contains(item, `"query":"Where does [REDACTED:email] live?"`) || strings.Contains(item, "jane.doe") {
		t.Errorf("the hosted item shown: %q", item)
	}
	if !strings.Contains(notes, `"type":"url_citation"`) || !strings.Contains(notes, "https://example.com/search/") {
		t.Errorf("the annotations shown: %q", notes)
	}
}
