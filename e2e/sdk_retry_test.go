package e2e

import (
	"bytes"
	"strconv"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/sim"
)

// The official SDKs retry a 503 (openai-go and npm openai twice by
// default), waiting what Retry-After (or retry-after-ms) says when it
// says (up to 2 minutes for openai-go, 60 s for npm openai), else a
// backoff of about half a second, then one. When every candidate's
// breaker is open the router's 503 says how long until the first of
// them lets a probe through: without it the SDK's retries all came back
// at once to the same open breakers and the call failed; with it the
// SDK waits, and its retry is the probe that finds the upstream back.
func TestSDKRetryWaitsForTheBreaker(t *testing.T) {
	t.Parallel()
	const openFor = 3 * time.Second
	e := newEnv(t, func(c *config.Config) {
		c.Resilience.Health.OpenFor = openFor
		c.Resilience.Health.ConsecutiveFailures = 2
		c.Routes["solo"] = &config.Route{Name: "solo", Deployments: []string{"gpt-4o-mini"}}
	})
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultOutage, Model: "gpt-4o-mini"})
	var retryAfter string
	for i := 0; retryAfter == "" && i < 10; i++ {
		resp, body := post(t, e.URL+"/v1/chat/completions", "demo-key", chatBody("solo", "hi", false))
		if resp.StatusCode == 503 && bytes.Contains(body, []byte("circuit open")) {
			retryAfter = resp.Header.Get("Retry-After")
			if retryAfter == "" {
				t.Fatalf("the breaker's 503 has no Retry-After: %s", body)
			}
		}
	}
	if s, err := strconv.Atoi(retryAfter); err != nil || s < 1 || s > int(openFor/time.Second) {
		t.Fatalf("Retry-After %q, want 1..%d s (the breaker opened for %s)", retryAfter, openFor/time.Second, openFor)
	}
	e.Sim.Faults.Clear("")
	c := openai.NewClient(option.WithBaseURL(e.URL+"/v1"), option.WithAPIKey("demo-key"), option.WithMaxRetries(2))
	start := time.Now()
	res, err := c.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "solo",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")}})
	if err != nil {
		t.Fatalf("after %s: %v", time.Since(start).Round(time.Millisecond), err)
	}
	if res.Choices[0].Message.Content == "" {
		t.Errorf("answer %+v", res.Choices[0])
	}
}
