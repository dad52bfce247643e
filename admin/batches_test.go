package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/api/openai/batch"
	"switchyard/config"
	"switchyard/store"
	"switchyard/store/storetest"
)

// batchFixture stores three batches — acme's batch_a (completed, its
// lines forwarded to gpt-4o-mini and run on the router on gemini-flash)
// and msgbatch_b (running, nothing recorded yet), globex's batch_c — and
// their lines' request log rows, on SQLite (the store's conformance
// suite runs BatchUses on PostgreSQL too).
func batchFixture(t *testing.T) store.Store {
	t.Helper()
	return batchFixtureOn(t, backends()["sqlite"](t))
}

// batchFixtureOn stores batchFixture's batches and rows in s.
func batchFixtureOn(t *testing.T, s store.Store) store.Store {
	t.Helper()
	bl := s.(store.BatchLog)
	ctx := context.Background()
	done := storetest.Base.Add(time.Hour).Unix()
	expires := storetest.Base.Add(24 * time.Hour).Unix()
	objects := map[string]*batch.Object{
		"batch_a":    {Endpoint: "/v1/chat/completions", Status: store.BatchCompleted, CompletedAt: &done, RequestCounts: batch.Counts{Total: 3, Completed: 3}, CostUSD: 0.75, TotalCostUSD: 0.875},
		"msgbatch_b": {Endpoint: "/v1/messages", Status: store.BatchInProgress, RequestCounts: batch.Counts{Total: 2}},
		"batch_c":    {Endpoint: "/v1/embeddings", Status: store.BatchInProgress, RequestCounts: batch.Counts{Total: 1}},
	}
	for i, b := range []struct{ id, tenant string }{{"batch_a", acme}, {"msgbatch_b", acme}, {"batch_c", globex}} {
		created := storetest.Base.Add(time.Duration(i) * time.Minute)
		o := objects[b.id]
		o.ID, o.CreatedAt, o.ExpiresAt = b.id, created.Unix(), &expires
		err := bl.SaveBatch(ctx, &store.Batch{ID: b.id, Tenant: b.tenant, KeyName: "app", Created: created,
			Expires: fixedNow.Add(time.Hour), Status: o.Status, Object: o.Marshal()})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := bl.SaveBatchForward(ctx, acme, "batch_a", store.BatchForward{ID: "batch_upstream1", Deployment: "gpt-4o-mini",
		Lines: []int{0, 1}, Created: storetest.Base}); err != nil {
		t.Fatal(err)
	}
	var rows []*store.Request
	for i, l := range []struct{ batch, tenant, mode, dep string }{
		{"batch_a", acme, "provider", "gpt-4o-mini"}, {"batch_a", acme, "provider", "gpt-4o-mini"},
		{"batch_a", acme, "router", "gemini-flash"}, {"batch_c", globex, "router", "text-embedding-3-small"}, {"", acme, "", "gpt-4o-mini"},
	} {
		r := storetest.Sample(i)
		r.BatchID, r.Explanation.Batch, r.Tenant, r.Deployment = l.batch, l.mode, l.tenant, l.dep
		r.CostUSD, r.CostUnknown = 0.25, false
		rows = append(rows, r)
	}
	writeRows(t, s, rows)
	return s
}

// TestBatches: GET /admin/batches lists the batches of both APIs in the
// key's tenant scope, newest first, a page at a time, each with its
// status, counts, costs, times and the deployments its lines ran on
// (forwarded or on the router, from the request log); GET
// /admin/batches/{id} adds its provider batches. A scoped key never sees
// another tenant's batch: not listed, a 404 by its id, a 403 by naming
// its tenant.
func TestBatches(t *testing.T) {
	s := batchFixture(t)
	scoped := newMux(s, &Principal{Name: "acme-viewer", Role: config.RoleViewer, Tenant: acme})
	var page BatchList
	decode(t, do(scoped, "/admin/batches"), &page)
	if got := batchIDsOf(page.Data); !slices.Equal(got, []string{"msgbatch_b", "batch_a"}) || page.Next != "" {
		t.Fatalf("acme's batches: %v, next %q", got, page.Next)
	}
	b, a := page.Data[0], page.Data[1]
	if b.API != "message_batches" || b.Status != store.BatchInProgress || b.Endpoint != "/v1/messages" || b.Runs != "" ||
		len(b.Deployments) != 0 || b.EndedAt != nil || b.ProcessingStatus != "in_progress" ||
		b.RequestCounts.Message == nil || *b.RequestCounts.Message != (MessageRequestCounts{Processing: 2}) {
		t.Errorf("msgbatch_b: %+v", b)
	}
	want := []BatchDeployed{{Deployment: "gemini-flash", Lines: 1, OnRouter: 1, CostUSD: 0.25}, {Deployment: "gpt-4o-mini", Lines: 2, Forwarded: 2, CostUSD: 0.5}}
	if a.API != "batches" || a.Tenant != acme || a.KeyName != "app" || a.Status != store.BatchCompleted || a.Runs != "both" ||
		!slices.Equal(a.Deployments, want) || a.CostUSD != 0.75 || a.TotalCostUSD != 0.875 || a.RequestCounts.Completed != 3 || a.ProcessingStatus != "" ||
		a.EndedAt == nil || !a.EndedAt.Equal(storetest.Base.Add(time.Hour)) || !a.CreatedAt.Equal(storetest.Base) || a.ProviderBatches != nil {
		t.Errorf("batch_a: %+v", a)
	}
	var one BatchView
	decode(t, do(scoped, "/admin/batches/batch_a"), &one)
	if len(one.ProviderBatches) != 1 || one.ProviderBatches[0] != (ProviderBatchView{ID: "batch_upstream1", Deployment: "gpt-4o-mini", Lines: 2, Created: storetest.Base}) ||
		!slices.Equal(one.Deployments, want) {
		t.Errorf("GET /admin/batches/batch_a: %+v", one)
	}
	wantError(t, do(scoped, "/admin/batches/batch_c"), http.StatusNotFound, codeBatchNotFound, "")
	wantError(t, do(scoped, "/admin/batches/batch_nope"), http.StatusNotFound, codeBatchNotFound, "")
	wantError(t, do(scoped, "/admin/batches?tenant=globex"), http.StatusForbidden, codeTenantNotAllowed, "tenant")
	wantError(t, do(scoped, "/admin/batches?cursor=batch_c"), http.StatusBadRequest, "", "cursor")

	all := newMux(s, &Principal{Name: "ops", Role: config.RoleViewer})
	decode(t, do(all, "/admin/batches?tenant=globex"), &page)
	if got := batchIDsOf(page.Data); !slices.Equal(got, []string{"batch_c"}) || page.Data[0].Deployments[0].Deployment != "text-embedding-3-small" {
		t.Errorf("globex's batches: %+v", page.Data)
	}
	var ids []string
	for cursor := ""; ; {
		decode(t, do(all, "/admin/batches?limit=1"+map[bool]string{true: "&cursor=" + cursor}[cursor != ""]), &page)
		ids = append(ids, batchIDsOf(page.Data)...)
		if cursor = page.Next; cursor == "" || len(ids) > 3 {
			break
		}
	}
	if !slices.Equal(ids, []string{"batch_c", "msgbatch_b", "batch_a"}) {
		t.Errorf("every batch, a page of one at a time: %v", ids)
	}
	wantError(t, do(all, "/admin/batches?limit=0"), http.StatusBadRequest, "", "limit")
	wantError(t, do(newMux(nil, &Principal{Name: "ops", Role: config.RoleViewer}), "/admin/batches"), http.StatusNotFound, codeLogOff, "")
}

// TestBatchesRefused: the batch endpoints pass Authorize only for an
// admin principal (viewer and above, the table's row); a principal
// without a role — what a key that is no admin key would be — is
// refused both, 403 insufficient_role.
func TestBatchesRefused(t *testing.T) {
	s := batchFixture(t)
	mux := http.NewServeMux()
	(&Handler{Store: s, Now: func() time.Time { return fixedNow }}).Mount(mux)
	guarded := Authorize(Rules, nil, mux) // the audit rows: server's TestRBACMatrix
	for _, target := range []string{"/admin/batches", "/admin/batches/batch_a"} {
		for _, p := range []Principal{{Name: "nobody"}, {Name: "v", Role: config.RoleViewer, Tenant: acme}} {
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				guarded.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), p)))
			})
			rec := do(h, target)
			if p.Role == "" {
				wantError(t, rec, http.StatusForbidden, CodeInsufficientRole, "")
			} else if rec.Code != http.StatusOK {
				t.Errorf("%s as a scoped viewer: %d %s", target, rec.Code, rec.Body)
			}
		}
	}
}

// TestBatchesFilter: GET /admin/batches lists the batches of the
// statuses, the API and the creation times asked, a full page at a time
// with a next only while more of them follow; a status or an API it does
// not know is a 400 naming the allowed values.
func TestBatchesFilter(t *testing.T) {
	all := newMux(batchFixture(t), &Principal{Name: "ops", Role: config.RoleViewer})
	minute := storetest.Base.Add(time.Minute).Format(time.RFC3339)
	for query, want := range map[string][]string{
		"status=in_progress":                       {"batch_c", "msgbatch_b"},
		"status=in_progress&limit=1":               {"batch_c", "msgbatch_b"},
		"status=completed,%20failed&api=openai":    {"batch_a"},
		"status=completed&api=anthropic":           {},
		"api=anthropic":                            {"msgbatch_b"},
		"api=message_batches":                      {"msgbatch_b"},
		"api=openai&limit=1":                       {"batch_c", "batch_a"},
		"since=" + minute:                          {"batch_c", "msgbatch_b"},
		"until=" + minute:                          {"batch_a"},
		"since=" + minute + "&api=batches":         {"batch_c"},
		"status=validating,cancelling,in_progress": {"batch_c", "msgbatch_b"},
	} {
		var ids []string
		for cursor, pages := "", 0; pages < 5; pages++ {
			var page BatchList
			decode(t, do(all, "/admin/batches?"+query+map[bool]string{true: "&cursor=" + cursor}[cursor != ""]), &page)
			ids = append(ids, batchIDsOf(page.Data)...)
			if page.Next != "" && len(page.Data) == 0 {
				t.Errorf("%s: an empty page with a next", query)
			}
			if cursor = page.Next; cursor == "" {
				break
			}
		}
		if !slices.Equal(ids, want) {
			t.Errorf("%s: %v; want %v", query, ids, want)
		}
	}
	var page BatchList
	decode(t, do(all, "/admin/batches?status=in_progress&limit=1"), &page)
	if page.Next != "batch_c" {
		t.Errorf("the first page of one running batch: next %q; want batch_c", page.Next)
	}
	e := wantError(t, do(all, "/admin/batches?status=completed,done"), http.StatusBadRequest, "", "status")
	if m := e.Error.Message; !strings.Contains(m, `"done"`) || !strings.Contains(m, "validating, in_progress, finalizing, cancelling, completed, failed, expired, cancelled") {
		t.Errorf("an unknown status: %s", m)
	}
	e = wantError(t, do(all, "/admin/batches?api=google"), http.StatusBadRequest, "", "api")
	if m := e.Error.Message; !strings.Contains(m, "openai") || !strings.Contains(m, "anthropic") {
		t.Errorf("an unknown API: %s", m)
	}
	wantError(t, do(all, "/admin/batches?since="+minute+"&until="+minute), http.StatusBadRequest, "", "until")
	wantError(t, do(all, "/admin/batches?since=yesterday"), http.StatusBadRequest, "", "since")
}

func batchIDsOf(vs []BatchView) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.ID
	}
	return out
}

// TestMessageCounts: a Message Batch shows Anthropic's processing_status
// and request_counts for each status of the Batch object it is kept as,
// and its JSON holds only Anthropic's counts.
func TestMessageCounts(t *testing.T) {
	c := RequestCounts{Total: 10, Completed: 6, Failed: 1}
	for status, want := range map[string]struct {
		processing string
		counts     MessageRequestCounts
	}{
		store.BatchValidating: {"in_progress", MessageRequestCounts{Processing: 3, Succeeded: 6, Errored: 1}},
		store.BatchFinalizing: {"in_progress", MessageRequestCounts{Processing: 3, Succeeded: 6, Errored: 1}},
		store.BatchCancelling: {"canceling", MessageRequestCounts{Processing: 3, Succeeded: 6, Errored: 1}},
		store.BatchCancelled:  {"ended", MessageRequestCounts{Canceled: 3, Succeeded: 6, Errored: 1}},
		store.BatchExpired:    {"ended", MessageRequestCounts{Expired: 3, Succeeded: 6, Errored: 1}},
		store.BatchFailed:     {"ended", MessageRequestCounts{Succeeded: 6, Errored: 10}},
		store.BatchCompleted:  {"ended", MessageRequestCounts{Succeeded: 6, Errored: 1}},
	} {
		ps, m := messageCounts(status, c)
		if ps != want.processing || *m != want.counts {
			t.Errorf("%s: %s %+v; want %s %+v", status, ps, *m, want.processing, want.counts)
		}
	}
	_, m := messageCounts(store.BatchCancelling, c)
	data, _ := json.Marshal(RequestCounts{Message: m})
	if string(data) != `{"processing":3,"succeeded":6,"errored":1,"canceled":0,"expired":0}` {
		t.Errorf("a Message Batch's request_counts: %s", data)
	}
	var back RequestCounts
	if err := json.Unmarshal(data, &back); err != nil || back.Message == nil || *back.Message != *m {
		t.Errorf("read back: %+v, %v", back, err)
	}
	data, _ = json.Marshal(c)
	if err := json.Unmarshal(data, &back); string(data) != `{"total":10,"completed":6,"failed":1}` || err != nil || back != c {
		t.Errorf("a batch's request_counts: %s, read back %+v, %v", data, back, err)
	}
}
