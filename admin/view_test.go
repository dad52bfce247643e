package admin

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/store"
	"switchyard/store/sqlite"
	"switchyard/store/storetest"
)

// The detail's JSON: snake_case names, durations in milliseconds, every
// attempt and the explanation.
func TestDetailJSON(t *testing.T) {
	db, err := sqlite.Open(context.Background(), t.TempDir()+"/r.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := storetest.Sample(3)
	r.Latency, r.TTFT = 1503250*time.Microsecond, 203*time.Millisecond
	r.CostUnknown, r.Attempts[0].CostUnknown = true, true
	writeRows(t, db, []*store.Request{r})
	rec := do(newMux(db, &operator), "/admin/requests/"+r.ID)
	var m map[string]any
	decode(t, rec, &m)
	want := map[string]any{
		"id": r.ID, "time": "2026-03-01T12:00:00.003Z", "tenant": "acme", "key_name": "backend-prod",
		"endpoint": "chat", "route": "auto", "deployment": "claude-haiku-4-5", "category": "factual",
		"status": 200.0, "failed": false, "stream": false, "fallback": true, "cost_usd": 0.0012345,
		"served_cost_usd": 0.0011, "cost_unknown": true, "latency_ms": 1503.25, "ttft_ms": 203.0, "propensity": r.Propensity,
	}
	for k, v := range want {
		if !reflect.DeepEqual(m[k], v) {
			t.Errorf("%s = %#v, want %#v", k, m[k], v)
		}
	}
	atts := m["attempts"].([]any)
	first, second := atts[0].(map[string]any), atts[1].(map[string]any)
	if len(atts) != 2 || first["outcome"] != "error" || first["error_kind"] != "unavailable" || first["error_code"] != "server_overloaded" || first["latency_ms"] != 80.0 ||
		second["ttft_ms"] != 203.0 || second["tokens"].(map[string]any)["completion"] != 233.0 ||
		first["cost_unknown"] != true || second["cost_unknown"] != false || second["error_code"] != nil {
		t.Errorf("attempts: %v", atts)
	}
	cands := m["explanation"].(map[string]any)["candidates"].([]any)
	if len(cands) != 3 || cands[2].(map[string]any)["reason"] != "max_price" {
		t.Errorf("candidates: %v", cands)
	}
	if tok := m["tokens"].(map[string]any); tok["cached_read"] != 512.0 || tok["reasoning"] != 40.0 {
		t.Errorf("tokens: %v", tok)
	}
	if sig := m["signals"].(map[string]any); sig["format_checked"] != true || sig["invalid_tool_calls"] != 1.0 || sig["refusal"] != false {
		t.Errorf("signals: %v", sig)
	}
}

// Every field of a stored row is in the detail view: a field added to
// store.Request must be added to the views (and docs/admin-api.md).
func TestViewsCoverEveryStoredField(t *testing.T) {
	shown := map[string]bool{}
	for _, typ := range []reflect.Type{reflect.TypeFor[RequestSummary](), reflect.TypeFor[RequestDetail]()} {
		for f := range typ.Fields() {
			shown[f.Name] = true
		}
	}
	renamed := map[string]string{"Latency": "LatencyMs", "TTFT": "TTFTMs"}
	for f := range reflect.TypeFor[store.Request]().Fields() {
		name := f.Name
		if r, ok := renamed[name]; ok {
			name = r
		}
		if !shown[name] {
			t.Errorf("store.Request.%s is not shown by GET /admin/requests/{id}", f.Name)
		}
	}
}

// Statistics: counts, rates, percentiles in ms, tokens, cost and signal
// rates of each group, as JSON.
func TestStatsJSON(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		var rows []*store.Request
		for i := range 4 {
			r := storetest.Sample(i)
			r.Tenant, r.Route, r.Status, r.Fallback = acme, "auto", 200, i == 0
			r.Latency, r.TTFT = time.Duration(i+1)*100*time.Millisecond, time.Duration(i+1)*10*time.Millisecond
			r.Tokens, r.CostUSD = store.Tokens{Prompt: 10, Completion: 5}, 0.25
			r.ServedCostUSD, r.CostUnknown = 0.125, i == 1
			r.Signals = store.Signals{Refusal: i == 1, FormatChecked: i < 2, FormatOK: i == 0}
			rows = append(rows, r)
		}
		rows[3].Status, rows[3].ErrorKind, rows[3].TTFT = 502, llm.KindUpstream, 0
		other := storetest.Sample(9)
		other.Tenant, other.Route = acme, "auto-cheap"
		writeRows(t, s, append(rows, other))
		var out StatsList
		decode(t, do(newMux(s, &acmeOps), "/admin/stats?by=route&since=2026-03-01T00:00:00Z"), &out)
		if len(out.Data) != 2 || !slices.Equal(out.By, []string{"route"}) || out.Since == nil || out.Until != nil {
			t.Fatalf("%+v", out)
		}
		g := out.Data[0]
		want := StatsGroup{
			Group: map[string]string{"route": "auto"}, Count: 4, Errors: 1, Fallbacks: 1, ErrorRate: 0.25, FallbackRate: 0.25,
			LatencyMs: Percentiles{P50: 200, P90: 400, P99: 400}, TTFTMs: Percentiles{P50: 20, P90: 30, P99: 30},
			Tokens: Tokens{Prompt: 40, Completion: 20}, CostUSD: 1, ServedCostUSD: 0.5, UnknownCost: 1,
			Signals: SignalRates{Refusal: 0.25, FormatFailed: 0.5},
		}
		if !reflect.DeepEqual(g, want) {
			t.Errorf("group auto:\n got %+v\nwant %+v", g, want)
		}
		var m map[string]any
		decode(t, do(newMux(s, &acmeOps), "/admin/stats"), &m)
		group := m["data"].([]any)[0].(map[string]any)
		for _, k := range []string{"count", "error_rate", "fallback_rate", "latency_ms", "ttft_ms", "tokens", "cost_usd", "served_cost_usd", "unknown_cost_requests", "signal_rates"} {
			if _, ok := group[k]; !ok {
				t.Errorf("a stats group lacks %q: %v", k, group)
			}
		}
		if b, _ := json.Marshal(m["by"]); string(b) != "[]" {
			t.Errorf("by = %s, want []", b)
		}
	})
}
