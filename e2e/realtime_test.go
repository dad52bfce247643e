package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"go.uber.org/goleak"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/sim"
)

// A text round trip through the router's /v1/realtime to the simulated
// gpt-realtime: the realtime subprotocol echoed, the session's events
// relayed as the upstream sent them, the response's usage priced at the
// catalog's gpt-realtime prices ($4 in, $16 out per 1M) and one record
// for the session once the client closed.
func TestRealtimeTextRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	conn, resp := rtSession(t, e, "gpt-realtime")
	if conn.Subprotocol() != "realtime" || resp.Header.Get("x-switchyard-deployment") != "gpt-realtime" || resp.Header.Get("x-switchyard-request-id") == "" {
		t.Errorf("handshake: subprotocol %q, headers %v", conn.Subprotocol(), resp.Header)
	}
	rtSend(t, conn, `{"type":"session.update","session":{"type":"realtime","output_modalities":["text"],"instructions":"Be brief."}}`)
	if ev := rtRead(t, conn); ev.Type != "session.updated" {
		t.Fatalf("session.update answered %s", ev.raw)
	}
	var text strings.Builder
	var usage []json.RawMessage
	for _, q := range []string{"What is the capital of France?", "And of Italy?"} {
		evs := rtAsk(t, conn, q)
		want := []string{"conversation.item.added", "conversation.item.done", "response.created", "response.output_item.added",
			"conversation.item.added", "response.content_part.added"}
		if got := rtTypes(evs); len(got) < len(want)+2 || !slices.Equal(got[:len(want)], want) || got[len(got)-1] != "response.done" {
			t.Fatalf("events %v", got)
		}
		for _, ev := range evs {
			if ev.Type == "response.output_text.delta" {
				text.WriteString(ev.Delta)
			}
		}
		usage = append(usage, evs[len(evs)-1].Response.Usage)
		if ev := rtRead(t, conn); ev.Type != "rate_limits.updated" {
			t.Errorf("after response.done: %s", ev.raw)
		}
	}
	if text.Len() == 0 {
		t.Error("no text deltas")
	}
	if err := conn.Close(websocket.StatusNormalClosure, "bye"); err != nil {
		t.Errorf("close: %v", err)
	}
	rec := e.recorded(t, 1)[0]
	wantUSD, wantTokens := 0.0, 0
	for _, u := range usage {
		var ru struct{ InputTokens, OutputTokens, TotalTokens int }
		json.Unmarshal(u, &struct {
			In  *int `json:"input_tokens"`
			Out *int `json:"output_tokens"`
		}{&ru.InputTokens, &ru.OutputTokens})
		wantUSD += (float64(ru.InputTokens)*4 + float64(ru.OutputTokens)*16) / 1e6
		wantTokens += ru.InputTokens + ru.OutputTokens
	}
	if rec.Endpoint != "realtime" || rec.Deployment != "gpt-realtime" || rec.Status != 200 || rec.Responses != 2 || rec.CostUnknown ||
		math.Abs(rec.CostUSD-wantUSD) > 1e-9 || rec.Usage.TotalTokens != wantTokens || rec.Latency <= 0 {
		t.Errorf("record %+v; want $%g, %d tokens", rec, wantUSD, wantTokens)
	}
}

// A route of two realtime deployments falls back at the handshake: the
// first upstream refuses it (503), the second serves the session.
func TestRealtimeFallbackAtHandshake(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		c.Deployments["rt-mini"] = &config.Deployment{Name: "rt-mini", Provider: "openai", Model: "gpt-4o-mini-realtime-preview", Capabilities: []llm.Capability{llm.CapRealtime}}
		c.Routes["voice"] = &config.Route{Name: "voice", Deployments: []string{"rt-mini", "gpt-realtime"}}
	})
	for _, kind := range []sim.FaultKind{sim.FaultUnavailable, sim.FaultRateLimit} {
		e.Sim.Faults.Add(sim.Fault{Kind: kind, Model: "gpt-4o-mini-realtime-preview", Count: 1})
		conn, resp := rtSession(t, e, "voice")
		if d := resp.Header.Get("x-switchyard-deployment"); d != "gpt-realtime" || !strings.Contains(resp.Header.Get("x-switchyard-route"), "attempt=2") {
			t.Errorf("%s: served by %q (%v)", kind, d, resp.Header)
		}
		conn.Close(websocket.StatusNormalClosure, "")
	}
	recs := e.recorded(t, 2)
	for _, r := range recs {
		if r.Route != "voice" || r.Attempts != 2 || r.Trail[0].Deployment != "rt-mini" || r.Trail[0].Outcome == "ok" || r.Deployment != "gpt-realtime" {
			t.Errorf("record %+v", r)
		}
	}
}

// An upstream that dies mid-response: the client gets the Realtime
// error event (upstream_disconnected) and a close 1011; the session is
// recorded as an upstream error.
func TestRealtimeUpstreamDies(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	conn, _ := rtSession(t, e, "gpt-realtime")
	rtSend(t, conn, `{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"Tell me a long story [[sim:cut]]"}]}}`)
	rtSend(t, conn, `{"type":"response.create"}`)
	var last rtEvent
	var err error
	for {
		var ev rtEvent
		if ev, err = rtNext(ctxT(t), conn); err != nil {
			break
		}
		last = ev
	}
	if last.Type != "error" || last.Error.Code == nil || *last.Error.Code != "upstream_disconnected" || last.Error.Type != "api_error" && last.Error.Type != "server_error" || last.EventID == "" {
		t.Errorf("last event %s", last.raw)
	}
	if websocket.CloseStatus(err) != websocket.StatusInternalError {
		t.Errorf("close %v", err)
	}
	rec := e.recorded(t, 1)[0]
	if rec.Endpoint != "realtime" || rec.ErrorKind != llm.KindUpstream || rec.Status < 500 {
		t.Errorf("record %+v", rec)
	}
}

// A client that vanishes (no close frame) ends the session: the upstream
// is closed, the session recorded as canceled, and no goroutine is left.
func TestRealtimeClientVanishes(t *testing.T) {
	e := newEnv(t, nil)
	before := goleak.IgnoreCurrent()
	conn, _ := rtSession(t, e, "gpt-realtime")
	rtSend(t, conn, `{"type":"session.update","session":{"type":"realtime","output_modalities":["text"]}}`)
	rtRead(t, conn)
	conn.CloseNow()
	rec := e.recorded(t, 1)[0]
	if rec.Endpoint != "realtime" || rec.ErrorKind != llm.KindCanceled {
		t.Errorf("record %+v", rec)
	}
	checkNoLeak(t, before)
}

// The handshake is refused over HTTP, in OpenAI's error shape, before
// any upgrade: a wrong key (401), an unknown model (404), a chat model
// (400), a deployment the key may not use (403), a spent hard budget
// (429). The browser's subprotocol key is taken, and not echoed.
func TestRealtimeRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		c.Auth.Keys = []config.Key{{Key: clientKey, Name: clientName, Tenant: "acme"},
			{Key: "sk-restricted-0123456789", Name: "restricted", Access: config.Access{Deployments: []string{"gpt-4o-mini"}}}}
		c.Budgets = []config.Budget{{Name: "acme-usd", Scope: config.ScopeTenant, Match: "acme", Period: config.PeriodDaily,
			LimitUSD: 0.00001, Mode: config.BudgetHard, AlertAt: config.DefaultAlertAt}}
	})
	bearer := func(k string) http.Header { return http.Header{"Authorization": {"Bearer " + k}} }
	for _, tt := range []struct {
		name   string
		model  string
		header http.Header
		status int
		detail string
	}{
		{"wrong key", "gpt-realtime", bearer("sk-wrong"), 401, "Incorrect API key"},
		{"no key", "gpt-realtime", http.Header{}, 401, "didn't provide an API key"},
		{"unknown model", "no-such-model", bearer(clientKey), 404, "no-such-model"},
		{"a chat model", "gpt-4o-mini", bearer(clientKey), 400, "does not serve the Realtime API"},
		{"a restricted key", "gpt-realtime", bearer("sk-restricted-0123456789"), 403, "not allowed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			conn, resp, err := rtDial(ctxT(t), e, tt.model, tt.header, "realtime")
			if err == nil {
				conn.CloseNow()
				t.Fatal("the handshake succeeded")
			}
			body := rtBody(resp)
			if resp == nil || resp.StatusCode != tt.status || !strings.Contains(body, tt.detail) || !strings.Contains(body, `"error":{"message"`) {
				t.Errorf("%v: %s", err, body)
			}
		})
	}
	// The browser's way: the key as a subprotocol, only realtime echoed.
	conn, _, err := rtDial(ctxT(t), e, "gpt-realtime", http.Header{}, "realtime", "openai-insecure-api-key."+clientKey)
	if err != nil {
		t.Fatal(err)
	}
	if conn.Subprotocol() != "realtime" {
		t.Errorf("subprotocol %q", conn.Subprotocol())
	}
	if ev := rtRead(t, conn); ev.Type != "session.created" {
		t.Fatalf("first event %s", ev.raw)
	}
	// One response spends the tenant's hard budget ($0.00001): it is
	// charged as it completes, and the next session is refused.
	if evs := rtAsk(t, conn, "Hello there"); evs[len(evs)-1].Type != "response.done" {
		t.Fatalf("events %v", rtTypes(evs))
	}
	conn.Close(websocket.StatusNormalClosure, "")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		c, resp, err := rtDial(ctx, e, "gpt-realtime", bearer(clientKey), "realtime")
		if err == nil { // the charge is made off the relay's path: poll
			c.CloseNow()
			continue
		}
		if resp != nil && resp.StatusCode == 429 {
			if body := rtBody(resp); !strings.Contains(body, "budget_exceeded") || !strings.Contains(body, "acme-usd") {
				t.Errorf("budget refusal %s", body)
			}
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("a session past the spent budget: %v", errors.Join(err, ctx.Err()))
		}
	}
}
