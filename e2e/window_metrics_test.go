package e2e

import (
	"bufio"
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/sim"
)

// windowMetricsAdmin is TestWindowMetricsE2E's admin key.
const windowMetricsAdmin = "sk-window-metrics-admin-0123456789"

// The rate limit and flex windows gpt-4o-mini's 429s opened are on
// /metrics at scrape time — 1 and the seconds left of each Retry-After
// (60 s and 30 s) — while gpt-4o, which answered both requests, shows
// none; an operator's health reset of gpt-4o-mini zeroes its series.
func TestWindowMetricsE2E(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		flexRoute(c)
		c.Auth.AdminKeys = []config.AdminKey{{Key: windowMetricsAdmin, Name: "ops", Role: config.RoleAdmin}}
	})
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultFlexUnavailable, Model: "gpt-4o-mini", Count: 1, RetryAfter: 30 * time.Second})
	params := openai.ChatCompletionNewParams{Model: "flexible", ServiceTier: openai.ChatCompletionNewParamsServiceTierFlex,
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi there")}}
	if _, err := e.Client.Chat.Completions.New(ctxT(t), params); err != nil {
		t.Fatal(err)
	}
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultRateLimit, Model: "gpt-4o-mini", Count: 1, RetryAfter: time.Minute})
	params.ServiceTier = ""
	if _, err := e.Client.Chat.Completions.New(ctxT(t), params); err != nil {
		t.Fatal(err)
	}
	if n := e.Sim.Faults.Seen("gpt-4o-mini"); n != 2 {
		t.Fatalf("gpt-4o-mini called %d times, want 2", n)
	}

	m := scrapeDeploymentGauges(t, e)
	for _, c := range []struct {
		series   string
		min, max float64
	}{
		{`switchyard_deployment_rate_limited{deployment="gpt-4o-mini"}`, 1, 1},
		{`switchyard_deployment_rate_limit_remaining_seconds{deployment="gpt-4o-mini"}`, 50, 60},
		{`switchyard_deployment_flex_unavailable{deployment="gpt-4o-mini"}`, 1, 1},
		{`switchyard_deployment_flex_unavailable_remaining_seconds{deployment="gpt-4o-mini"}`, 20, 30},
		{`switchyard_deployment_rate_limited{deployment="gpt-4o"}`, 0, 0},
		{`switchyard_deployment_rate_limit_remaining_seconds{deployment="gpt-4o"}`, 0, 0},
		{`switchyard_deployment_flex_unavailable{deployment="gpt-4o"}`, 0, 0},
		{`switchyard_deployment_flex_unavailable_remaining_seconds{deployment="gpt-4o"}`, 0, 0},
	} {
		if v, ok := m[c.series]; !ok || v < c.min || v > c.max {
			t.Errorf("%s = %v (present %v), want in [%v, %v]", c.series, v, ok, c.min, c.max)
		}
	}

	if code, b := callAs(t, http.MethodPost, e.URL+"/admin/health/gpt-4o-mini/reset", windowMetricsAdmin); code != 200 {
		t.Fatalf("health reset: %d %s", code, b)
	}
	m = scrapeDeploymentGauges(t, e)
	for _, name := range []string{"rate_limited", "rate_limit_remaining_seconds", "flex_unavailable", "flex_unavailable_remaining_seconds"} {
		series := `switchyard_deployment_` + name + `{deployment="gpt-4o-mini"}`
		if v, ok := m[series]; !ok || v != 0 {
			t.Errorf("after the reset %s = %v (present %v), want 0", series, v, ok)
		}
	}
}

// scrapeDeploymentGauges reads /metrics into series → value for the
// switchyard_deployment_* series.
func scrapeDeploymentGauges(t *testing.T, e *env) map[string]float64 {
	t.Helper()
	code, b := callAs(t, http.MethodGet, e.URL+"/metrics", windowMetricsAdmin)
	if code != 200 {
		t.Fatalf("GET /metrics: %d %s", code, b)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "switchyard_deployment_") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("/metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}
