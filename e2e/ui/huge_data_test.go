package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"switchyard/record"
	"switchyard/store"
	"switchyard/store/storetest"
)

// manyRows is how many rows TestHugeData puts in the request log.
const manyRows = 10_000

// TestHugeData: the dashboard stays usable with a 1 MB prompt in the
// request log and ten thousand requests: the request's view shows the
// prompt's start and, on a click, the rest as kept (cut to the store's
// bound, and marked); the request list
// shows a page of them at most (the API's largest) with a next page, and
// the overview and the list draw within the steps' bound (a page frozen
// by the data fails the step, not a timing assertion).
func TestHugeData(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	g := startRouter(t, false)
	big := strings.Repeat("A long prompt <b>with markup</b> & more words. ", (1<<20)/48+1)
	id, status := g.chat(t, "auto", big)
	if status != 200 {
		t.Fatalf("a 1 MB prompt: %d", status)
	}
	g.waitLogged(t, adminKey, id)
	now := time.Now()
	for start := 0; start < manyRows; start += 1000 {
		rows := make([]*store.Request, 0, 1000)
		for i := start; i < start+1000; i++ {
			r := storetest.Sample(i)
			r.ID = fmt.Sprintf("req_many_%06d", i)
			r.Time = now.Add(-time.Duration(i+1) * time.Second)
			rows = append(rows, r)
		}
		if err := g.st.Write(context.Background(), rows); err != nil {
			t.Fatal(err)
		}
	}
	p := b.tab(t)
	p.run(t, "open the dashboard", navigate(g.url+"/ui/"))
	p.signIn(t, adminKey)
	p.run(t, "signed in", waitVisible(`nav a[href="#/requests"]`))

	p.show(t, "#/requests/"+id, "requests/:id")
	if chat := p.text(t, "main .chat"); len(chat) > 16<<10 || !strings.Contains(chat, "<b>with markup</b>") {
		t.Errorf("the 1 MB prompt's view shows %d bytes at first, want its start as text and a button for the rest: %.300s", len(chat), chat)
	}
	if n := p.count(t, "main .chat button[data-more]"); n == 0 {
		t.Fatal("the long prompt has no button to show the rest")
	}
	p.run(t, "show the whole prompt", click("main .chat button[data-more]"), waitNotPresent("main .chat button[data-more]"))
	chat := p.text(t, "main .chat")
	if n := len(chat); n > 2*(record.BodyPromptBytes+record.BodyAnswerBytes) || n < record.BodyPromptBytes/2 {
		t.Errorf("the 1 MB prompt's view shows %d bytes of the conversation in full", n)
	}
	if !strings.Contains(chat, "…[truncated]") {
		t.Errorf("the whole prompt shown is not the stored one, cut at the bound: %.300s", chat[len(chat)-300:])
	}

	p.show(t, "#/overview", "overview")
	p.show(t, "#/requests?limit=5000", "requests")
	if n := p.count(t, "main tbody tr"); n != store.MaxLimit {
		t.Errorf("the list asked for 5000 rows shows %d, want the API's largest page, %d", n, store.MaxLimit)
	}
	if n := p.count(t, "main .pager button.primary"); n != 1 {
		t.Errorf("no next page under %d rows", manyRows)
	}
	if errs := p.errors(); len(errs) > 0 {
		t.Errorf("the pages threw or logged errors: %v", errs)
	}
}
