package ui

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"switchyard/admin"
	"switchyard/api/openai/batch"
	"switchyard/store"
)

// heldBatch stores a batch of tenant acme in status, created ago before
// now, as its router's workers keep it while they run it: leased for an
// hour, so no router claims it and its status stays as it is while the
// test looks (a running or cancelling batch the demo's simulators would
// otherwise finish in a moment).
func (g *rig) heldBatch(t *testing.T, id, endpoint, status string, ago time.Duration) {
	t.Helper()
	now := time.Now()
	created, expires := now.Add(-ago), now.Add(24*time.Hour).Unix()
	o := &batch.Object{ID: id, Object: "batch", Endpoint: endpoint, Status: status, CompletionWindow: "24h",
		CreatedAt: created.Unix(), ExpiresAt: &expires, RequestCounts: batch.Counts{Total: 2, Completed: 1}}
	b := &store.Batch{ID: id, Tenant: "acme", KeyName: "ui-backend", Created: created, Expires: now.Add(24 * time.Hour),
		Status: status, Object: o.Marshal(), Lease: now.Add(time.Hour)}
	if err := g.st.(store.BatchLog).SaveBatch(context.Background(), b); err != nil {
		t.Fatal(err)
	}
}

// filterProcessing submits the Batches view's filters with its
// Processing select set to processing (and status and api as given),
// and returns the text of its rows once it is drawn again and the
// address of the last GET /admin/batches the page sent.
func (p *page) filterProcessing(t *testing.T, processing, status, api string) (rows string, sent *url.URL) {
	t.Helper()
	p.run(t, "filter on processing "+processing+", status "+status+", api "+api,
		chromedp.Evaluate[chromedp.Void]("document.querySelector('main table').dataset.stale = '1'; performance.clearResourceTimings(); undefined"),
		setValue(`main form.filters select[name=processing_status]`, processing),
		setValue(`main form.filters select[name=status]`, status), setValue(`main form.filters select[name=api]`, api),
		submit(`main form.filters`), waitVisible(`main[data-view="batches"] table:not([data-stale])`))
	names := eval[[]string](t, p, `performance.getEntriesByType('resource').map((e) => e.name).filter((n) => new URL(n).pathname === '/admin/batches')`)
	if len(names) != 1 {
		t.Fatalf("processing %q: the page sent %d GET /admin/batches (%q), want one", processing, len(names), names)
	}
	u, err := url.Parse(names[0])
	if err != nil {
		t.Fatal(err)
	}
	return p.text(t, "main table tbody"), u
}

// TestBatchesViewProcessingStatus drives the Batches view's Processing
// select in Chromium: each of a Message Batch's processing statuses
// lists only the Message Batches in it (in_progress: a validating and a
// running one; canceling: a cancelling one; ended: one the demo ran),
// never a Batch API batch in the same status, through the query
// docs/admin-api.md documents (GET /admin/batches?processing_status=…,
// with status= and api= beside it when chosen), which lists the same
// batches when sent with the admin key. With status too it lists those
// in both. The choice is kept in the address.
func TestBatchesViewProcessingStatus(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	g := startRouter(t, false)
	ended := g.messageBatch(t)
	const (
		validating = "msgbatch_uiprocvalidating01"
		running    = "msgbatch_uiprocrunning01"
		canceling  = "msgbatch_uiproccancelling01"
		openai     = "batch_uiprocopenairunning01"
		openaiStop = "batch_uiprocopenaicancelling01"
	)
	g.heldBatch(t, validating, "/v1/messages", store.BatchValidating, 5*time.Minute)
	g.heldBatch(t, running, "/v1/messages", store.BatchInProgress, 4*time.Minute)
	g.heldBatch(t, canceling, "/v1/messages", store.BatchCancelling, 3*time.Minute)
	g.heldBatch(t, openai, "/v1/chat/completions", store.BatchInProgress, 2*time.Minute)
	g.heldBatch(t, openaiStop, "/v1/chat/completions", store.BatchCancelling, time.Minute)
	all := []string{ended, validating, running, canceling, openai, openaiStop}

	tab := b.tab(t)
	tab.run(t, "open the dashboard", navigate(g.url+"/ui/"))
	tab.signIn(t, adminKey)
	tab.run(t, "signed in", waitVisible(`nav a[href="#/batches"]`))
	tab.show(t, "#/batches", "batches")
	if r := tab.text(t, "main table tbody"); !containsAll(r, all) {
		t.Fatalf("the Batches view lacks some of %q: %q", all, r)
	}
	for _, f := range []struct {
		processing, status, api string
		want                    []string
	}{
		{"in_progress", "", "", []string{validating, running}},
		{"canceling", "", "", []string{canceling}},
		{"ended", "", "", []string{ended}},
		{"in_progress", "in_progress", "", []string{running}},
		{"ended", "completed", "anthropic", []string{ended}},
		{"", "", "", all},
	} {
		rows, sent := tab.filterProcessing(t, f.processing, f.status, f.api)
		for _, id := range all {
			if strings.Contains(rows, id) != slices.Contains(f.want, id) {
				t.Errorf("processing %q status %q api %q: rows %q; want exactly %q", f.processing, f.status, f.api, rows, f.want)
				break
			}
		}
		q := sent.Query()
		want := url.Values{}
		for k, v := range map[string]string{"processing_status": f.processing, "status": f.status, "api": f.api} {
			if v != "" {
				want.Set(k, v)
			}
		}
		if q.Encode() != want.Encode() {
			t.Errorf("processing %q: the page sent %s, want ?%s", f.processing, sent, want.Encode())
		}
		var list admin.BatchList
		g.getAs(t, adminKey, "/admin/batches?"+sent.RawQuery, &list)
		if got := batchIDs(list); !sameSet(got, f.want) {
			t.Errorf("GET /admin/batches?%s lists %q; want %q", sent.RawQuery, got, f.want)
		}
		hash := eval[string](t, tab, "location.hash")
		if kept := strings.Contains(hash, "processing_status="+f.processing); f.processing != "" && !kept {
			t.Errorf("processing %q: the address %q does not keep it", f.processing, hash)
		}
	}
	if errs := tab.errors(); len(errs) > 0 {
		t.Errorf("the page threw or logged errors: %v", errs)
	}
}

// containsAll says whether s holds each of subs.
func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// batchIDs are the ids of l's batches.
func batchIDs(l admin.BatchList) []string {
	var ids []string
	for _, b := range l.Data {
		ids = append(ids, b.ID)
	}
	return ids
}

// sameSet says whether a and b hold the same strings.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
