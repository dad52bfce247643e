package gateway

import (
	"context"
	"net/http"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/health"
	"switchyard/llm"
)

// A deployment the upstream refuses for its configuration (its key, its
// model) is no answer about the request: the next candidate is tried.
func TestEmbedFailsOverAMisconfiguredDeployment(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  a: {kind: openai, base_url: "http://127.0.0.1:1/v1", api_key: k}
  b: {kind: openai, base_url: "http://127.0.0.1:1/v1", api_key: k}
deployments:
  first: {provider: a, model: text-embedding-3-small, capabilities: [embeddings]}
  second: {provider: b, model: text-embedding-3-small, capabilities: [embeddings]}
routes:
  emb: {deployments: [first, second]}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []*llm.Error{
		{Kind: llm.KindUpstream, Status: http.StatusBadGateway, Code: llm.CodeUpstreamAuth, Message: "upstream a rejected the configured credentials (401)"},
		{Kind: llm.KindNotFound, Code: llm.CodeModelNotFound, Message: "upstream a returned 404: The model `x` does not exist"},
	} {
		a := &embedFake{Provider: upstream(nil), err: bad}
		b := &embedFake{Provider: upstream(nil)}
		g, err := New(cfg, Options{Providers: map[string]llm.ChatProvider{"a": a, "b": b}})
		if err != nil {
			t.Fatal(err)
		}
		var served llm.Served
		_, err = g.Embed(context.Background(), &llm.EmbeddingRequest{Model: "emb", Input: []string{"x"}}, &served)
		if err != nil || served.Deployment != "second" || served.Attempts != 2 {
			t.Errorf("%s: error %v, served %+v; want second's answer, two attempts", bad.Code, err, served)
		}
		// The refusal opened first's breaker, as a chat attempt's does:
		// the next request does not call it.
		if st := g.Health().Status("first"); st.Breaker != health.Open {
			t.Errorf("%s: first's breaker %s, want open", bad.Code, st.Breaker)
		}
		calls := len(a.inputs)
		_, err = g.Embed(context.Background(), &llm.EmbeddingRequest{Model: "emb", Input: []string{"y"}}, &served)
		if err != nil || served.Deployment != "second" || len(a.inputs) != calls {
			t.Errorf("%s: next request: error %v, served %+v, first called %d times then %d", bad.Code, err, served, calls, len(a.inputs))
		}
	}
}

// An embeddings attempt's first-token timeout is the one a chat attempt
// on its deployment has in the route's tier of the same rank.
func TestNamedTTFT(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  a: {kind: openai, base_url: "http://127.0.0.1:1/v1", api_key: k}
deployments:
  plain: {provider: a, model: text-embedding-3-small, capabilities: [embeddings]}
  slow: {provider: a, model: text-embedding-3-large, capabilities: [embeddings], latency: {ttft: 1s}}
  own: {provider: a, model: text-embedding-3-large, capabilities: [embeddings], ttft_timeout: 3s}
routes:
  derived: {deployments: [plain, slow, own]}
  tiered: {deployments: [plain, slow, own], tiers: {count: 2, ttft_timeout: [200ms, 5s]}}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		route, dep string
		rank       int
		tokens     int
		want       time.Duration
	}{
		{"derived", "plain", 0, 0, config.DefaultTierTTFTTimeout},
		{"derived", "slow", 1, 0, 2 * time.Second},
		{"derived", "own", 2, 0, 3 * time.Second},
		{"", "plain", 0, 5000, config.DefaultTierTTFTTimeout + time.Second}, // 5,000 tokens at 5,000 a second
		{"tiered", "plain", 0, 0, 200 * time.Millisecond},
		{"tiered", "slow", 1, 0, 5 * time.Second},
		{"tiered", "own", 2, 0, 5 * time.Second}, // the last tier holds the rest
	}
	for _, tt := range tests {
		if got := g.namedTTFT(tt.route, g.byName[tt.dep], tt.rank, tt.tokens); got != tt.want {
			t.Errorf("%s/%s rank %d, %d tokens: %v, want %v", tt.route, tt.dep, tt.rank, tt.tokens, got, tt.want)
		}
	}
}

// A deployment alone whose model the upstream does not have is the
// router's configuration error: a 502 keeping the code model_not_found,
// not the upstream's 404, which an SDK reports as the client's own model
// being unknown (as on the chat endpoints).
func TestEmbedModelNotFoundAloneIsABadGateway(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  a: {kind: openai, base_url: "http://127.0.0.1:1/v1", api_key: k}
deployments:
  only: {provider: a, model: text-embedding-3-small, capabilities: [embeddings]}
routes:
  emb: {deployments: [only]}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	bad := &llm.Error{Kind: llm.KindNotFound, Code: llm.CodeModelNotFound, Message: "upstream a returned 404: The model `x` does not exist"}
	g, err := New(cfg, Options{Providers: map[string]llm.ChatProvider{"a": &embedFake{Provider: upstream(nil), err: bad}}})
	if err != nil {
		t.Fatal(err)
	}
	var served llm.Served
	_, err = g.Embed(context.Background(), &llm.EmbeddingRequest{Model: "emb", Input: []string{"x"}}, &served)
	e := llm.AsError(err)
	if e == nil || e.HTTPStatus() != http.StatusBadGateway || e.Code != llm.CodeModelNotFound {
		t.Fatalf("error %v (status %d); want a 502 with code model_not_found", err, e.HTTPStatus())
	}
	// The router's own unknown model stays a 404.
	_, err = g.Embed(context.Background(), &llm.EmbeddingRequest{Model: "no-such", Input: []string{"x"}}, &served)
	if e := llm.AsError(err); e == nil || e.HTTPStatus() != http.StatusNotFound {
		t.Fatalf("unknown model: %v; want the router's 404", err)
	}
}
