package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/admin"
	"switchyard/config"
	"switchyard/server"
	"switchyard/store"
)

// The keys of the savings test: a client key per tenant, an unscoped
// admin key and one scoped to acme.
const (
	savAcmeKey   = "sk-sav-acme-0123456789"
	savGlobexKey = "sk-sav-globex-0123456789"
	savRootAdmin = "ak-sav-root-0123456789"
	savAcmeAdmin = "ak-sav-acme-0123456789"
)

// savPrice is a deployment's price in USD per 1M tokens, as the test
// configures it.
type savPrice struct{ input, cached, output float64 }

// The route's two deployments, priced apart: claude-haiku-4-5 is the
// dearer, the default reference.
var savPrices = map[string]savPrice{
	"gpt-4o-mini":      {input: 0.15, cached: 0.075, output: 0.6},
	"claude-haiku-4-5": {input: 3, cached: 0.3, output: 15},
}

// cost prices a stored request's tokens at p, by hand: uncached prompt
// tokens at the input price, cached ones at the cached price, completion
// tokens at the output price (the test checks there are no cache writes
// or reasoning tokens, which the sims do not produce here).
func (p savPrice) cost(t store.Tokens) float64 {
	return (float64(t.Prompt-t.CachedRead)*p.input + float64(t.CachedRead)*p.cached + float64(t.Completion)*p.output) / 1e6
}

// savingsEnv is a router in front of the simulators, recording to st,
// with route sav splitting between the two priced deployments.
func savingsEnv(t *testing.T, st store.Store) *env {
	return newEnvWith(t, func(c *config.Config) {
		c.Auth.Keys = []config.Key{{Key: savAcmeKey, Name: "acme-app", Tenant: "acme"}, {Key: savGlobexKey, Name: "globex-app", Tenant: "globex"}}
		c.Auth.AdminKeys = []config.AdminKey{{Key: savRootAdmin, Name: "root"}, {Key: savAcmeAdmin, Name: "acme-admin", Tenant: "acme"}}
		for name, p := range savPrices {
			c.Deployments[name].Price = config.Price{Input: p.input, CachedInput: p.cached, Output: p.output}
		}
		c.Routes["sav"] = &config.Route{Name: "sav", Deployments: []string{"gpt-4o-mini", "claude-haiku-4-5"},
			Policy: config.Policy{Split: []config.Weight{{Deployment: "gpt-4o-mini", Weight: 50}, {Deployment: "claude-haiku-4-5", Weight: 50}}}}
	}, server.RouterOptions{Store: st})
}

// TestReportSavingsMatchTheRequestLog drives traffic through route sav
// with the official SDK (complete and streamed, two tenants, one request
// pinned), rates acme's answers, and checks GET /admin/report's savings
// against the stored request records: acme's admin key sees acme's
// requests only, the actual cost is the sum of their recorded costs, the
// reference cost their recorded tokens at the reference's prices, and
// the quality evidence counts their ratings.
func TestReportSavingsMatchTheRequestLog(t *testing.T) {
	t.Parallel()
	for _, b := range storeBackends {
		t.Run(b.name, func(t *testing.T) {
			st := b.open(t)
			e := savingsEnv(t, st)
			// 24 requests split 50/50 at random: fewer than the 3
			// outcomes a side needs has odds of 2e-5 (with 16: 2e-3,
			// and it happened in CI).
			acme := sendSavingsTraffic(t, e, savAcmeKey, 24, true)
			globex := sendSavingsTraffic(t, e, savGlobexKey, 4, false)
			rows := waitRows(t, st, len(acme)+len(globex))
			rateAll(t, e, st, acme)

			rep := savingsReport(t, e, savAcmeAdmin, "min_outcomes=3")
			r := routeSavings(t, rep, "sav")
			if r.Reference == nil || *r.Reference != "claude-haiku-4-5" || r.ReferenceSource != "default" {
				t.Fatalf("reference %v (%s): %s; want claude-haiku-4-5 by default", r.Reference, r.ReferenceSource, r.ReferenceWhy)
			}
			checkSavings(t, r, rows, acme, "claude-haiku-4-5")
			checkQuality(t, r, rows, acme, "claude-haiku-4-5")

			// The unscoped key sees both tenants; a reference override
			// prices the same tokens at gpt-4o-mini.
			all := routeSavings(t, savingsReport(t, e, savRootAdmin, "min_outcomes=3&reference=sav=gpt-4o-mini"), "sav")
			if *all.Reference != "gpt-4o-mini" || all.ReferenceSource != "override" {
				t.Errorf("overridden reference %v (%s)", *all.Reference, all.ReferenceSource)
			}
			checkSavings(t, all, rows, append(append([]string(nil), acme...), globex...), "gpt-4o-mini")
		})
	}
}

// sendSavingsTraffic sends n requests to route sav with key, every third
// streamed, and with pinned one more pinned to gpt-4o-mini; it returns
// their request ids.
func sendSavingsTraffic(t *testing.T, e *env, key string, n int, pinned bool) []string {
	t.Helper()
	c := openai.NewClient(option.WithBaseURL(e.URL+"/v1"), option.WithAPIKey(key), option.WithMaxRetries(0))
	var ids []string
	for i := range n {
		var hdr httpHeader
		params := userChat("sav", fmt.Sprintf("What is the capital of country number %d? Answer in a sentence.", i))
		if i%3 == 2 {
			params.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
			s := c.Chat.Completions.NewStreaming(ctxT(t), params, option.WithResponseInto(&hdr.resp))
			for s.Next() {
			}
			if err := s.Err(); err != nil {
				t.Fatalf("stream %d: %v", i, err)
			}
			s.Close()
		} else if _, err := c.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&hdr.resp)); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		ids = append(ids, hdr.resp.Header.Get("x-switchyard-request-id"))
	}
	if pinned {
		var hdr httpHeader
		if _, err := c.Chat.Completions.New(ctxT(t), userChat("sav", "Name a river."), option.WithResponseInto(&hdr.resp),
			option.WithHeader("x-switchyard-model", "gpt-4o-mini")); err != nil {
			t.Fatalf("pinned: %v", err)
		}
		ids = append(ids, hdr.resp.Header.Get("x-switchyard-request-id"))
	}
	return ids
}

// waitRows waits until st holds n rows and returns each by id (whole).
func waitRows(t *testing.T, st store.Store, n int) map[string]*store.Request {
	t.Helper()
	ctx := context.Background()
	var page store.Page
	for deadline := time.Now().Add(10 * time.Second); len(page.Requests) < n; time.Sleep(10 * time.Millisecond) {
		var err error
		if page, err = st.List(ctx, store.AllTenants(), store.Filter{Limit: store.MaxLimit}); err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d rows after 10s, want %d", len(page.Requests), n)
		}
	}
	out := map[string]*store.Request{}
	for _, r := range page.Requests {
		full, err := st.Get(ctx, store.AllTenants(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if full.Tokens.CacheWrite != 0 || full.Tokens.Reasoning != 0 {
			t.Fatalf("%s has cache writes or reasoning tokens (%+v): price them in savPrice.cost", r.ID, full.Tokens)
		}
		out[r.ID] = full
	}
	return out
}

// rateAll rates each of ids up, through POST /v1/feedback with acme's
// key, and waits until the store holds the ratings.
func rateAll(t *testing.T, e *env, st store.Store, ids []string) {
	t.Helper()
	c := openai.NewClient(option.WithBaseURL(e.URL+"/v1"), option.WithAPIKey(savAcmeKey), option.WithMaxRetries(0))
	for _, id := range ids {
		var hdr httpHeader
		body := map[string]string{"request_id": id, "thumbs": "up"}
		if err := c.Post(ctxT(t), "feedback", body, nil, option.WithResponseInto(&hdr.resp)); err != nil || hdr.resp.StatusCode != http.StatusNoContent {
			t.Fatalf("feedback on %s: %v", id, err)
		}
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		p, err := st.ListFeedback(context.Background(), store.AllTenants(), store.FeedbackFilter{Limit: store.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Feedback) >= len(ids) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d ratings stored after 10s, want %d", len(p.Feedback), len(ids))
		}
	}
}

func savingsReport(t *testing.T, e *env, key, query string) admin.ReportView {
	t.Helper()
	code, b := callAs(t, http.MethodGet, e.URL+"/admin/report?"+query, key)
	var rep admin.ReportView
	if err := json.Unmarshal(b, &rep); code != 200 || err != nil || rep.Savings == nil {
		t.Fatalf("GET /admin/report?%s: %d %v %s", query, code, err, b)
	}
	return rep
}

func routeSavings(t *testing.T, rep admin.ReportView, route string) admin.RouteSavingsView {
	t.Helper()
	for _, r := range rep.Savings.Routes {
		if r.Route == route {
			return r
		}
	}
	t.Fatalf("no savings of route %s: %+v", route, rep.Savings.Routes)
	return admin.RouteSavingsView{}
}

// checkSavings checks r's figures against the stored rows of ids: the
// pinned one left out, the others' recorded costs summed, their tokens
// priced at the reference by hand.
func checkSavings(t *testing.T, r admin.RouteSavingsView, rows map[string]*store.Request, ids []string, ref string) {
	t.Helper()
	var requests, counted, pinned int64
	var actual, atRef float64
	for _, id := range ids {
		row := rows[id]
		if row == nil {
			t.Fatalf("no stored row %s", id)
		}
		requests++
		if row.Pinned != "" {
			pinned++
			continue
		}
		if row.CostUnknown || row.Tokens == (store.Tokens{}) {
			t.Fatalf("%s: cost unknown or no tokens (%+v): the sims price and count every answer", id, row)
		}
		counted++
		actual += row.CostUSD
		atRef += savPrices[ref].cost(row.Tokens)
	}
	if r.Requests != requests || r.Counted != counted || r.Excluded.Pinned != pinned || pinned > 1 {
		t.Errorf("requests %d, counted %d, pinned %d; the log has %d, %d, %d", r.Requests, r.Counted, r.Excluded.Pinned, requests, counted, pinned)
	}
	if !close9(r.ActualUSD, actual) || !close9(*r.ReferenceUSD, atRef) || !close9(*r.SavedUSD, atRef-actual) ||
		!close9(*r.SavedPercent, 100*(atRef-actual)/atRef) {
		t.Errorf("actual $%v, at %s $%v, saved $%v (%v%%); the log's sums: $%v, $%v", r.ActualUSD, ref, *r.ReferenceUSD, *r.SavedUSD, *r.SavedPercent, actual, atRef)
	}
}

// checkQuality checks the quality evidence against the rows of ids (all
// rated up): the reference's and the others' requests and outcomes.
func checkQuality(t *testing.T, r admin.RouteSavingsView, rows map[string]*store.Request, ids []string, ref string) {
	t.Helper()
	var onRef, onOthers int64
	for _, id := range ids {
		switch row := rows[id]; {
		case row.Pinned != "":
		case row.Deployment == ref:
			onRef++
		default:
			onOthers++
		}
	}
	q := r.Quality
	if onRef == 0 || onOthers == 0 {
		t.Fatalf("the split sent %d requests to %s and %d elsewhere; the test needs both", onRef, ref, onOthers)
	}
	if q.Reference.Requests != onRef || q.Reference.Outcomes != onRef || q.Others.Requests != onOthers || q.Others.Outcomes != onOthers ||
		*q.Reference.Satisfaction != 1 || *q.Others.Satisfaction != 1 {
		t.Errorf("quality %+v; the log has %d on %s and %d elsewhere, every one rated up", q, onRef, ref, onOthers)
	}
	if q.Verdict != "no_drop_detected" {
		t.Errorf("verdict %s (%s); every answer was rated up", q.Verdict, q.Text)
	}
}

func close9(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
