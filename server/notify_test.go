package server

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/state/memory"
	"switchyard/store"
	"switchyard/store/sqlite"
	"switchyard/store/storetest"
)

// hookRecorder is a webhook receiver: each post's body and Authorization.
type hookRecorder struct {
	mu     sync.Mutex
	bodies []map[string]any
	auth   []string
	got    chan struct{}
}

func newHook(t *testing.T) (*hookRecorder, *httptest.Server) {
	h := &hookRecorder{got: make(chan struct{}, 64)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, _ := io.ReadAll(r.Body)
		var v map[string]any
		if err := json.Unmarshal(data, &v); err != nil || r.Method != http.MethodPost {
			t.Errorf("webhook got %s %q", r.Method, data)
		}
		h.mu.Lock()
		h.bodies, h.auth = append(h.bodies, v), append(h.auth, r.Header.Get("Authorization"))
		h.mu.Unlock()
		h.got <- struct{}{}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	return h, srv
}

func (h *hookRecorder) wait(t *testing.T, n int) []map[string]any {
	t.Helper()
	for range n {
		select {
		case <-h.got:
		case <-time.After(10 * time.Second):
			t.Fatalf("the webhook got %d posts of %d", len(h.bodies), n)
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]map[string]any(nil), h.bodies...)
}

// A budget's alerts reach notify.webhook as JSON, off the request path:
// the threshold and the exhaustion, each once, in dollars, with the
// webhook's headers.
func TestBudgetAlertsPostedToTheWebhook(t *testing.T) {
	up := costedUpstream(t)
	hook, srv := newHook(t)
	cfg := budgetConfig(t, up.URL, config.State{})
	cfg.Budgets[0].AlertAt = 0.5
	cfg.Notify.Webhook = config.DriftWebhook{URL: srv.URL + "/hook?token=tok-SECRET", Headers: map[string]string{"Authorization": "Bearer hook-SECRET"}}
	r := budgetRouter(t, cfg)
	hammer(t, 4, r)
	posts := hook.wait(t, 2)
	levels := map[string]map[string]any{}
	for _, p := range posts {
		levels[p["level"].(string)] = p
	}
	ex, th := levels["exhausted"], levels["threshold"]
	if ex == nil || th == nil || len(posts) != 2 {
		t.Fatalf("posts %v; want one threshold and one exhausted alert", posts)
	}
	if ex["type"] != "budget_alert" || ex["budget"] != "acme-daily" || ex["scope"] != "tenant" || ex["instance"] != "acme" ||
		ex["unit"] != "usd" || ex["limit"] != 0.0155 || !strings.Contains(ex["text"].(string), "$0.0155") {
		t.Errorf("exhausted alert %v", ex)
	}
	hook.mu.Lock()
	defer hook.mu.Unlock()
	if hook.auth[0] != "Bearer hook-SECRET" {
		t.Errorf("Authorization %q", hook.auth[0])
	}
}

// The scheduled report is the report of the period just ended, posted
// once across the routers sharing the state back end.
func TestScheduledReportPostedOnce(t *testing.T) {
	hook, srv := newHook(t)
	db, err := sqlite.Open(context.Background(), t.TempDir()+"/r.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows []*store.Request
	for i := range 5 {
		r := storetest.Sample(i)
		r.Time = storetest.Base.Add(time.Duration(i) * time.Hour)
		rows = append(rows, r)
	}
	if err := db.Write(context.Background(), rows); err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{Notify: config.Notify{Webhook: config.DriftWebhook{URL: srv.URL}, Report: config.ReportWeekly}}
	shared := memory.New(memory.Options{})
	since, until := storetest.Base.Add(-time.Hour), storetest.Base.Add(7*24*time.Hour-time.Hour)
	for range 2 { // two routers, one state back end
		n := newNotifier(cfg, db, shared, slog.New(slog.DiscardHandler), nil)
		n.report(context.Background(), since, until)
	}
	posts := hook.wait(t, 1)
	p := posts[0]
	rep, _ := p["report"].(map[string]any)
	if p["type"] != "report" || p["schedule"] != "weekly" || rep == nil || len(rep["rows"].([]any)) == 0 ||
		!strings.HasPrefix(p["text"].(string), "Switchyard weekly report, 2026-03-01 to 2026-03-08") {
		t.Errorf("report post %v", p)
	}
	select {
	case <-hook.got:
		t.Error("the second router posted the same period's report again")
	case <-time.After(200 * time.Millisecond):
	}
}

func TestNextReport(t *testing.T) {
	at := time.Date(2026, 12, 3, 15, 4, 0, 0, time.UTC) // a Thursday
	if got := nextReport(config.ReportDaily, at); !got.Equal(time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("daily after %s: %s", at, got)
	}
	if got := nextReport(config.ReportWeekly, at); !got.Equal(time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("weekly after %s: %s", at, got)
	}
	monday := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	if got := nextReport(config.ReportWeekly, monday); !got.Equal(monday.AddDate(0, 0, 7)) {
		t.Errorf("weekly at Monday midnight: %s", got)
	}
	if got := previousReport(config.ReportWeekly, monday); !got.Equal(monday.AddDate(0, 0, -7)) {
		t.Errorf("the week before %s: %s", monday, got)
	}
}

// A start owes the report of the last period ended when the store says
// the last one posted ended before it (no router ran when it was due);
// a first start owes none and marks the period from which reports are
// owed; a report posted marks its period, so the next start owes none.
func TestScheduledReportCaughtUpAtStart(t *testing.T) {
	hook, srv := newHook(t)
	db, err := sqlite.Open(context.Background(), t.TempDir()+"/r.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg := &config.Config{Notify: config.Notify{Webhook: config.DriftWebhook{URL: srv.URL}, Report: config.ReportWeekly}}
	monday := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	start := func(now time.Time) {
		n := newNotifier(cfg, db, memory.New(memory.Options{}), slog.New(slog.DiscardHandler), nil)
		n.now = func() time.Time { return now }
		n.catchUp(context.Background())
	}
	mark := func() time.Time {
		_, at, err := db.LoadSnapshot(context.Background(), reportMark)
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	start(monday.Add(50 * time.Hour)) // first start: nothing owed
	if got := mark(); !got.Equal(monday) {
		t.Fatalf("first start marked %s, want %s", got, monday)
	}
	start(monday.AddDate(0, 0, 9)) // the router was down on Monday the 14th
	posts := hook.wait(t, 1)
	if p := posts[0]; p["type"] != "report" || !strings.HasPrefix(p["text"].(string), "Switchyard weekly report, 2026-12-07 to 2026-12-14") {
		t.Errorf("caught-up report %v", p)
	}
	if got := mark(); !got.Equal(monday.AddDate(0, 0, 7)) {
		t.Errorf("after the catch-up the mark is %s", got)
	}
	start(monday.AddDate(0, 0, 10)) // restarted the next day: owes nothing
	select {
	case <-hook.got:
		t.Error("a restart posted the same period's report again")
	case <-time.After(200 * time.Millisecond):
	}
}
