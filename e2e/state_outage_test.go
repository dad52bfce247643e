package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"switchyard/budget"
	"switchyard/config"
	"switchyard/server"
	"switchyard/tenant"
)

// redisOutageEnv is a router whose shared state is the real Redis behind
// proxy, with on_error as given, a budget on the route plain and a
// requests-per-minute limit on its key, both far from reached.
func redisOutageEnv(t *testing.T, proxy *tcpProxy, onError string) *env {
	prefix := fmt.Sprintf("e2e-state-outage-%s-%d:", onError, time.Now().UnixNano())
	return limitsEnv(t, func(c *config.Config) {
		c.State = config.State{Driver: config.StateRedis, Addr: proxy.Addr(), Prefix: prefix, OnError: onError}
		c.Auth.Keys[0].RPM = 10000
		c.Budgets = []config.Budget{{Name: "plain-daily", Scope: config.ScopeRoute, Match: "plain", Period: config.PeriodDaily, LimitUSD: 100}}
	}, server.RouterOptions{})
}

// spent returns what the budget plain-daily holds as spent, once the
// settlements in flight are done.
func spent(t *testing.T, e *env) int64 {
	t.Helper()
	b := e.Router.Gateway.Budgets()
	b.Wait()
	u, _, err := b.Usage(context.Background(), "plain-daily", "")
	if err != nil {
		t.Fatalf("budget usage: %v", err)
	}
	return u.Spent
}

// stateUnavailable sums switchyard_state_unavailable_total over its ops.
func stateUnavailable(t *testing.T, r *server.Router) float64 {
	t.Helper()
	mfs, err := r.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var n float64
	for _, mf := range mfs {
		if mf.GetName() == "switchyard_state_unavailable_total" {
			for _, m := range mf.GetMetric() {
				n += m.GetCounter().GetValue()
			}
		}
	}
	return n
}

// unavailableCode reports whether body is the 503 of a check the shared
// state could not make: the key's rate limit (checked first) or the
// budget.
func unavailableCode(body []byte) bool {
	return bytes.Contains(body, []byte(`"code":"`+tenant.CodeLimitsUnavailable+`"`)) ||
		bytes.Contains(body, []byte(`"code":"`+budget.CodeBudgetUnavailable+`"`))
}

// askTimed sends a chat request (streamed or not) with the limited key
// and returns its status, body and how long it took.
func askTimed(t *testing.T, e *env, stream bool) (int, []byte, time.Duration) {
	t.Helper()
	start := time.Now()
	resp, body := post(t, e.URL+"/v1/chat/completions", limitKey, chatBody("plain", "hi", stream))
	return resp.StatusCode, body, time.Since(start)
}

// TestRedisOutageMidRun: the shared state's Redis, behind a proxy the
// test cuts (connections refused) and then stalls (connections open, no
// answer) mid-run. With on_error allow every request is still answered,
// none waits longer than a few of the state's 500 ms command timeouts,
// and each failure is counted; with deny each is a 503
// (rate_limit_unavailable: the key's limit is checked before the budget). When Redis answers again the budget counts again.
func TestRedisOutageMidRun(t *testing.T) {
	t.Parallel()
	const slowest = 10 * time.Second // a few 500 ms timeouts, on a loaded machine
	for _, onError := range []string{config.OnErrorAllow, config.OnErrorDeny} {
		t.Run(onError, func(t *testing.T) {
			proxy := startProxy(t, "127.0.0.1:6379")
			e := redisOutageEnv(t, proxy, onError)
			for i := range 2 {
				if status, body, _ := askTimed(t, e, i == 1); status != http.StatusOK {
					t.Fatalf("Redis up: %d %s", status, body)
				}
			}
			before := spent(t, e)
			if before == 0 {
				t.Fatal("the budget counted nothing with Redis up")
			}
			for _, fault := range []struct {
				name  string
				start func()
			}{{"cut", proxy.Cut}, {"stall", proxy.Stall}} {
				fault.start()
				for i := range 2 {
					status, body, took := askTimed(t, e, i == 1)
					switch {
					case onError == config.OnErrorAllow && status != http.StatusOK,
						onError == config.OnErrorDeny && (status != http.StatusServiceUnavailable || !unavailableCode(body)):
						t.Errorf("Redis %s, on_error %s: %d %s", fault.name, onError, status, body)
					}
					if took > slowest {
						t.Errorf("Redis %s: a request took %v", fault.name, took)
					}
				}
				proxy.Restore()
			}
			if stateUnavailable(t, e.Router) == 0 {
				t.Error("no failure of the shared state counted in switchyard_state_unavailable_total")
			}
			// Back: the next requests are checked and counted again (the
			// first may still meet a connection the outage broke).
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
				status, body, _ := askTimed(t, e, false)
				if status == http.StatusOK && spent(t, e) > before {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("Redis back: %d %s, spent %d (before the outage %d)", status, body, spent(t, e), before)
				}
			}
			cctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := e.Router.Close(cctx); err != nil {
				t.Errorf("Router.Close: %v", err)
			}
		})
	}
}
