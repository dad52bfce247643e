package e2e

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/sim"
)

// slowRoute tries two deployments that both answer after 4 s, each
// within a 10 s tier budget: without the client's timeout the router
// would work on for 8 s.
func slowRoute(c *config.Config) {
	c.Routes["patient"] = &config.Route{Name: "patient", Deployments: []string{"gpt-4o-mini", "claude-haiku-4-5"},
		Policy: config.Policy{Strategy: config.StrategyOrdered}, Tiers: config.Tiers{TTFTTimeout: []time.Duration{10 * time.Second}}}
}

// An SDK request with a 2 s timeout (openai-go sends it as
// X-Stainless-Timeout) gets the router's 504 client_timeout before its
// own timeout strikes, and the router stops working on it then — rather
// than the SDK giving up on a router that goes on calling upstreams. A
// stream that has begun answering is not cut by it.
func TestClientTimeoutBoundsTheFirstByte(t *testing.T) {
	t.Parallel()
	e := newEnv(t, slowRoute)
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultSlow, Delay: 4 * time.Second})
	start := time.Now()
	_, err := e.Client.Chat.Completions.New(ctxT(t), userChat("patient", "Name three rivers of Europe."),
		option.WithRequestTimeout(2*time.Second), option.WithMaxRetries(0))
	took := time.Since(start)
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 504 || apiErr.Code != "client_timeout" {
		t.Fatalf("after %v: %v (%s), want the router's 504 client_timeout", took, err, apiErr.RawJSON())
	}
	if !strings.Contains(apiErr.Message, "X-Stainless-Timeout") {
		t.Errorf("message %q", apiErr.Message)
	}
	recs := e.recorded(t, 1)
	if r := recs[0]; r.Status != 504 || len(r.Trail) != 1 {
		t.Errorf("record: status %d, trail %+v; want 504 after one attempt", r.Status, r.Trail)
	}

	// A stream whose first chunk comes at once but whose answer stalls
	// 3 s after its second piece goes on past the client's 2 s.
	e.Sim.Faults.Clear("")
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultStall, Delay: 3 * time.Second, After: 2})
	req, _ := http.NewRequestWithContext(ctxT(t), http.MethodPost, e.URL+"/v1/chat/completions",
		strings.NewReader(`{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Write about rivers."}]}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Stainless-Timeout", "2")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		body.Write(buf[:n])
		if err != nil {
			break
		}
	}
	if resp.StatusCode != 200 || !strings.HasSuffix(body.String(), "data: [DONE]\n\n") || strings.Contains(body.String(), "client_timeout") {
		t.Errorf("stream: %d %s", resp.StatusCode, body.String())
	}
}
