package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/sim"
)

// flexWindowAdmin is TestFlexWindowShownE2E's admin key.
const flexWindowAdmin = "sk-flex-window-admin-0123456789"

// The flex window gpt-4o-mini's 429 resource_unavailable opened (its
// Retry-After, 30 s) is visible: GET /admin/health shows until when and
// why, and the next flex request, which dispatch sends to gpt-4o without
// calling gpt-4o-mini, says why in its stored explanation (gpt-4o-mini's
// candidate carries the window's end). The request that met the shortage
// and a default request (which the window does not hold back) carry none.
func TestFlexWindowShownE2E(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), func(c *config.Config) {
		flexRoute(c)
		c.Auth.AdminKeys = []config.AdminKey{{Key: flexWindowAdmin, Name: "ops", Role: config.RoleAdmin}}
	})
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultFlexUnavailable, Model: "gpt-4o-mini", RetryAfter: 30 * time.Second})
	params := openai.ChatCompletionNewParams{Model: "flexible", ServiceTier: openai.ChatCompletionNewParamsServiceTierFlex,
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi there")}}
	call := func() string {
		t.Helper()
		var hr *http.Response
		if _, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&hr)); err != nil {
			t.Fatal(err)
		}
		return hr.Header.Get("x-switchyard-request-id")
	}
	before := time.Now()
	met := call()
	after := time.Now()

	until := flexWindowOf(t, e, "gpt-4o-mini")
	if until.Before(before.Add(30*time.Second).Add(-time.Second)) || until.After(after.Add(30*time.Second).Add(time.Second)) {
		t.Errorf("gpt-4o-mini's flex window ends %s, want 30 s after the shortage (%s–%s)", until, before, after)
	}
	if other := flexWindowOf(t, e, "gpt-4o"); !other.IsZero() {
		t.Errorf("gpt-4o shows a flex window until %s", other)
	}

	skipped := call()
	if n := e.Sim.Faults.Seen("gpt-4o-mini"); n != 1 {
		t.Errorf("gpt-4o-mini called %d times, want once: the flex window skips it", n)
	}
	if got := storedFlexWindow(t, e, skipped, "gpt-4o-mini"); !got.Equal(until) {
		t.Errorf("the skipping request's explanation: gpt-4o-mini's flex window ends %v, want %v", got, until)
	}
	if got := storedFlexWindow(t, e, met, "gpt-4o-mini"); !got.IsZero() {
		t.Errorf("the request that met the shortage shows a window planned before it opened: %v", got)
	}
	params.ServiceTier = ""
	if got := storedFlexWindow(t, e, call(), "gpt-4o-mini"); !got.IsZero() {
		t.Errorf("a default request's explanation shows the flex window: %v", got)
	}
}

// flexWindowOf reads dep's flex window end from GET /admin/health (zero
// when it shows none), checking that a window comes with its reason.
func flexWindowOf(t *testing.T, e *env, dep string) time.Time {
	t.Helper()
	code, b := callAs(t, http.MethodGet, e.URL+"/admin/health", flexWindowAdmin)
	var out struct {
		Deployments []struct {
			Deployment           string    `json:"deployment"`
			Status               string    `json:"status"`
			FlexUnavailableUntil time.Time `json:"flex_unavailable_until"`
			FlexReason           string    `json:"flex_reason"`
		} `json:"deployments"`
	}
	if code != 200 || json.Unmarshal(b, &out) != nil {
		t.Fatalf("GET /admin/health: %d %s", code, b)
	}
	for _, d := range out.Deployments {
		if d.Deployment != dep {
			continue
		}
		if d.FlexUnavailableUntil.IsZero() != (d.FlexReason == "") || d.Status != "healthy" ||
			!d.FlexUnavailableUntil.IsZero() && !strings.Contains(d.FlexReason, "resource_unavailable") {
			t.Errorf("%s: status %q, flex window until %v because %q", dep, d.Status, d.FlexUnavailableUntil, d.FlexReason)
		}
		return d.FlexUnavailableUntil
	}
	t.Fatalf("GET /admin/health has no %s: %s", dep, b)
	return time.Time{}
}

// storedFlexWindow reads the flex window end of candidate dep in request
// id's stored explanation (GET /admin/requests/{id}; zero when none).
func storedFlexWindow(t *testing.T, e *env, id, dep string) time.Time {
	t.Helper()
	code, b := callAs(t, http.MethodGet, e.URL+"/admin/requests/"+id, flexWindowAdmin)
	for deadline := time.Now().Add(5 * time.Second); code == 404 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond) // rows are written off the request's path
		code, b = callAs(t, http.MethodGet, e.URL+"/admin/requests/"+id, flexWindowAdmin)
	}
	var row struct {
		Explanation struct {
			Candidates []struct {
				Deployment           string    `json:"deployment"`
				Kept                 bool      `json:"kept"`
				FlexUnavailableUntil time.Time `json:"flex_unavailable_until"`
			} `json:"candidates"`
		} `json:"explanation"`
	}
	if code != 200 || json.Unmarshal(b, &row) != nil {
		t.Fatalf("GET /admin/requests/%s: %d %s", id, code, b)
	}
	for _, c := range row.Explanation.Candidates {
		if c.Deployment == dep && c.Kept {
			return c.FlexUnavailableUntil
		}
	}
	t.Fatalf("request %s's explanation has no kept %s: %s", id, dep, b)
	return time.Time{}
}
