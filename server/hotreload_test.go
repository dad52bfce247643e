package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// hotBudget and hotText make adminConfig with a token budget for tenant acme and a
// deployment whose upstream refuses every connection.
const hotBudget = "budgets:\n  - {name: acme-tokens, scope: tenant, match: acme, period: daily, limit_tokens: LIMIT}\n"

func hotText(limit string) string {
	text := strings.Replace(adminConfig, "deployments:\n", "  dead: {kind: openai, base_url: \"http://127.0.0.1:1/v1\", api_key: \"${CLIENT_KEY}\"}\ndeployments:\n  dead-model: {provider: dead, price: {input: 1, output: 1}}\n", 1)
	text = strings.Replace(text, "routes:\n", "routes:\n  dead-route: {deployments: [dead-model]}\n", 1)
	return text + strings.Replace(hotBudget, "LIMIT", limit, 1)
}

// TestBudgetLimitChangesInPlace: a budget's limit changed through the
// API holds from the next request on, and what the tenant spent before
// the change still counts; raised again, requests pass.
func TestBudgetLimitChangesInPlace(t *testing.T) {
	a := newAdminRig(t, hotText("1000000"), nil)
	for range 2 {
		if status, _ := a.chat("chat"); status != 200 {
			t.Fatalf("chat within the budget: %d", status)
		}
	}
	spent := a.spent("acme-tokens")
	if spent == 0 {
		t.Fatal("nothing charged to the budget")
	}
	lowered := strings.Replace(a.running().YAML, "limit_tokens: 1000000", "limit_tokens: "+itoa(int(spent)+1), 1)
	if status, body := a.put("", lowered); status != 200 {
		t.Fatalf("PUT of a lower limit: %d %s", status, body)
	}
	if got := a.spent("acme-tokens"); got != spent {
		t.Errorf("spent after the change: %d; want %d kept", got, spent)
	}
	status, body := a.chatBody("chat")
	if status != http.StatusTooManyRequests || codeOf(body) != "budget_exceeded" || !strings.Contains(body, itoa(int(spent)+1)+" tokens per day") {
		t.Errorf("a request past the lowered limit: %d %s", status, body)
	}
	raised := strings.Replace(lowered, "limit_tokens: "+itoa(int(spent)+1), "limit_tokens: 2000000", 1)
	if status, body := a.put("", raised); status != 200 {
		t.Fatalf("PUT of a higher limit: %d %s", status, body)
	}
	if status, _ := a.chat("chat"); status != 200 {
		t.Errorf("a request under the raised limit: %d", status)
	}
	removed := strings.Replace(raised, strings.Replace(hotBudget, "LIMIT", "2000000", 1), "", 1)
	if status, body := a.put("", removed); status != 200 {
		t.Fatalf("PUT without budgets: %d %s", status, body)
	}
	if status, _ := a.chat("chat"); status != 200 {
		t.Errorf("a request without budgets: %d", status)
	}
}

// TestHealthSettingsChangeInPlace: the breaker's threshold changed
// through the API holds from the next attempt on, counting the failures
// already seen.
func TestHealthSettingsChangeInPlace(t *testing.T) {
	a := newAdminRig(t, hotText("1000000"), nil)
	if status, _ := a.chat("dead-route"); status < 500 {
		t.Fatalf("a request to a dead upstream: %d", status)
	}
	if st := a.status("dead-model"); st != "healthy" {
		t.Fatalf("after a failed request under the default threshold: %s", st)
	}
	strict := strings.Replace(a.running().YAML, "budgets:\n", "resilience: {health: {breaker: {consecutive_failures: 1, open_for: 10m}}}\nbudgets:\n", 1)
	if status, body := a.put("", strict); status != 200 {
		t.Fatalf("PUT of resilience.health: %d %s", status, body)
	}
	if status, _ := a.chat("dead-route"); status < 500 {
		t.Fatalf("a request to a dead upstream: %d", status)
	}
	if st := a.status("dead-model"); st != "unavailable" {
		t.Errorf("after a failure under consecutive_failures 1: %s; want unavailable", st)
	}
}

// spent returns what the router's budget name has spent this period.
func (a *adminRig) spent(name string) int64 {
	a.t.Helper()
	u, ok, err := a.r.budgets.Usage(context.Background(), name, "")
	if err != nil || !ok {
		a.t.Fatalf("Usage(%s): %v %v", name, ok, err)
	}
	return u.Spent
}

// chatBody is chat returning the status and the body.
func (a *adminRig) chatBody(model string) (int, string) {
	a.t.Helper()
	return a.call("client:client-env-SECRET", "POST", "/v1/chat/completions", "application/json",
		`{"model":"`+model+`","messages":[{"role":"user","content":"What is the capital of France?"}]}`)
}

// status returns dep's status in GET /admin/health.
func (a *adminRig) status(dep string) string {
	a.t.Helper()
	_, body := a.call("view", "GET", "/admin/health", "", "")
	var h struct {
		Deployments []struct {
			Deployment string `json:"deployment"`
			Status     string `json:"status"`
		} `json:"deployments"`
	}
	if err := json.Unmarshal([]byte(body), &h); err != nil {
		a.t.Fatalf("GET /admin/health: %v %s", err, body)
	}
	for _, d := range h.Deployments {
		if d.Deployment == dep {
			return d.Status
		}
	}
	a.t.Fatalf("GET /admin/health lacks %s: %s", dep, body)
	return ""
}
