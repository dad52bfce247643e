package gateway

import (
	"context"
	"net/http"
	"testing"

	"switchyard/config"
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
