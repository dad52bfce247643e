package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	wire "switchyard/wire/gemini"
)

// quotaAdmin is TestGeminiDailyQuotaE2E's admin key.
const quotaAdmin = "sk-gemini-quota-admin-0123456789"

// TestGeminiDailyQuotaE2E: Gemini answers a spent daily quota with 429
// RESOURCE_EXHAUSTED, a QuotaFailure naming the per-day quota and a
// RetryInfo of seconds. An OpenAI client's request through a route is
// answered by the next candidate, and the Gemini deployment stays in a
// rate limit window until midnight Pacific, when the quota resets: the
// next requests do not call it again 47 seconds later.
func TestGeminiDailyQuotaE2E(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details.","status":"RESOURCE_EXHAUSTED","details":[`+
			`{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier","quotaDimensions":{"location":"global","model":"gemini-2.5-flash"}}]},`+
			`{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"47s"}]}}`)
	}))
	t.Cleanup(upstream.Close)
	e := newEnv(t, func(c *config.Config) {
		c.Providers["gem-free"] = &config.Provider{Name: "gem-free", Kind: config.KindGemini, BaseURL: upstream.URL, APIKey: "AIzaFreeTier"}
		c.Deployments["gemini-free"] = &config.Deployment{Name: "gemini-free", Provider: "gem-free", Model: "gemini-2.5-flash"}
		c.Routes["free-first"] = &config.Route{Name: "free-first", Deployments: []string{"gemini-free", "gpt-4o-mini"},
			Policy: config.Policy{Strategy: config.StrategyOrdered}}
		c.Auth.AdminKeys = []config.AdminKey{{Key: quotaAdmin, Name: "ops", Role: config.RoleAdmin}}
	})
	ask := func() string {
		t.Helper()
		var resp *http.Response
		_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{
			Model: "free-first", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")},
		}, option.WithResponseInto(&resp), option.WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		return resp.Header.Get("x-switchyard-deployment")
	}
	if dep := ask(); dep != "gpt-4o-mini" || calls.Load() != 1 {
		t.Fatalf("served by %q after %d Gemini calls; want gpt-4o-mini after one", dep, calls.Load())
	}
	code, b := callAs(t, http.MethodGet, e.URL+"/admin/health", quotaAdmin)
	var health struct {
		Deployments []struct {
			Deployment       string    `json:"deployment"`
			RateLimitedUntil time.Time `json:"rate_limited_until"`
		} `json:"deployments"`
	}
	if code != 200 || json.Unmarshal(b, &health) != nil {
		t.Fatalf("GET /admin/health: %d %s", code, b)
	}
	reset := time.Now().Add(wire.UntilQuotaReset(time.Now()))
	for _, d := range health.Deployments {
		if d.Deployment == "gemini-free" && (d.RateLimitedUntil.Before(reset.Add(-time.Minute)) || d.RateLimitedUntil.After(reset.Add(time.Minute))) {
			t.Errorf("gemini-free rate limited until %v; want about %v (midnight Pacific)", d.RateLimitedUntil, reset)
		}
	}
	if dep := ask(); dep != "gpt-4o-mini" || calls.Load() != 1 {
		t.Errorf("next request served by %q after %d Gemini calls; want gpt-4o-mini, Gemini left alone", dep, calls.Load())
	}
}
