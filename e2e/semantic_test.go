package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/gateway"
)

// withSupportRoute adds to the demo a route whose billing questions,
// recognized by their similarity to examples, go to the cheap model,
// while everything else is ranked by quality.
func withSupportRoute(c *config.Config) {
	c.Routes["support"] = &config.Route{
		Name:        "support",
		Deployments: []string{"claude-sonnet-4-5", "gpt-4o-mini", "gemini-2.5-flash"},
		Policy:      config.Policy{Strategy: config.StrategyBest},
		Semantic: &config.Semantic{
			Embeddings: "text-embedding-3-small", Threshold: 0.6,
			Timeout: 5 * time.Second, // generous: the race detector on a busy machine
			Categories: map[string]*config.SemanticCategory{
				"billing": {
					Examples:    []string{"I was charged twice", "How do I get a refund for my order?", "My invoice shows the wrong amount"},
					Deployments: []string{"gpt-4o-mini"},
				},
			},
		},
	}
}

func TestSemanticRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withSupportRoute)
	t.Cleanup(e.Router.Gateway.Close) // runs before the router and simulators stop
	if err := e.Router.Gateway.WaitSemantic(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	ask := func(prompt string, opts ...option.RequestOption) (dep, why string) {
		t.Helper()
		var hdr httpHeader
		if _, err := e.Client.Chat.Completions.New(ctxT(t), userChat("support", prompt), append(opts, option.WithResponseInto(&hdr.resp))...); err != nil {
			t.Fatalf("%q: %v", prompt, err)
		}
		return hdr.resp.Header.Get("x-switchyard-deployment"), hdr.resp.Header.Get("x-switchyard-route")
	}
	const billing = "I was charged twice this month, how do I get a refund?"
	dep, why := ask(billing)
	if dep != "gpt-4o-mini" || !strings.HasPrefix(why, "route=support; semantic=billing(0.") {
		t.Errorf("billing question went to %s (x-switchyard-route: %s)", dep, why)
	}
	dep, why = ask("Write a Go function that reverses a slice.")
	if dep != "claude-sonnet-4-5" || !strings.HasPrefix(why, "route=support; semantic=none(") || !strings.Contains(why, "category=code(") {
		t.Errorf("code question went to %s (x-switchyard-route: %s)", dep, why)
	}
	dep, why = ask(billing, option.WithHeader("x-switchyard-category", "chat"))
	if dep != "claude-sonnet-4-5" || !strings.Contains(why, "semantic=skipped(hint); category=chat(hint)") {
		t.Errorf("hinted billing question went to %s (x-switchyard-route: %s)", dep, why)
	}

	// The header may name the route's own semantic category: its set applies, no embedding needed.
	dep, why = ask("Write a Go function that reverses a slice.", option.WithHeader("x-switchyard-category", "Billing"))
	if dep != "gpt-4o-mini" || !strings.Contains(why, "semantic=skipped(hint)") {
		t.Errorf("code question hinted as billing went to %s (x-switchyard-route: %s)", dep, why)
	}

	// The dry run explains it; the billing text is cached by now.
	resp, body := post(t, e.URL+"/v1/route", "k", chatBody("support", billing, false))
	var plan struct {
		Tiers       []struct{ Candidates []struct{ Deployment string } }
		Explanation struct {
			Policy   string
			Semantic struct {
				Outcome, Category string
				Score, Threshold  float64
				Cached            bool
			}
		}
	}
	if err := json.Unmarshal(body, &plan); resp.StatusCode != 200 || err != nil {
		t.Fatalf("POST /v1/route: %d %v %s", resp.StatusCode, err, body)
	}
	s := plan.Explanation.Semantic
	if s.Outcome != "matched" || s.Category != "billing" || s.Score < 0.6 || s.Threshold != 0.6 || !s.Cached ||
		plan.Explanation.Policy != "semantic.billing" || len(plan.Tiers) != 1 || plan.Tiers[0].Candidates[0].Deployment != "gpt-4o-mini" {
		t.Errorf("dry run: %s", body)
	}

	// The embedding calls are recorded with their cost: the examples and
	// two request texts (the hinted one made none, the dry run hit the cache).
	var calls int
	for _, r := range e.recorded(t, 7) {
		if r.Endpoint != gateway.EndpointSemantic {
			continue
		}
		calls++
		if r.Route != "support" || r.Deployment != "text-embedding-3-small" || r.CostUSD <= 0 || r.Status != 200 {
			t.Errorf("semantic record %+v", r)
		}
	}
	if calls != 3 {
		t.Errorf("%d semantic records, want 3", calls)
	}
}

// While the embeddings deployment is down, the route still serves, by
// the classifier, and says why.
func TestSemanticRouteWithoutEmbeddings(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		withSupportRoute(c)
		c.Providers["openai"].BaseURL = "http://127.0.0.1:1/v1" // nothing listens there
	})
	t.Cleanup(e.Router.Gateway.Close)
	if err := e.Router.Gateway.WaitSemantic(ctxT(t)); err == nil {
		t.Fatal("examples embedded with no embeddings provider")
	}
	resp, body := post(t, e.URL+"/v1/chat/completions", "k", chatBody("support", "I was charged twice", false))
	why := resp.Header.Get("x-switchyard-route")
	if resp.StatusCode != 200 || !strings.Contains(why, "semantic=skipped(not_ready)") || resp.Header.Get("x-switchyard-deployment") != "claude-sonnet-4-5" {
		t.Errorf("%d %s (x-switchyard-route: %s)", resp.StatusCode, body, why)
	}
	for _, r := range e.recorded(t, 2) {
		if r.Endpoint == gateway.EndpointSemantic && (r.Status < 500 || r.ErrorKind == "") {
			t.Errorf("failed embedding recorded as %+v", r)
		}
		if r.Endpoint == "chat" && r.Category == "" {
			t.Errorf("chat record without a category: %+v", r)
		}
	}
}
