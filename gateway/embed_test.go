package gateway

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/route"
)

// Which candidates an embeddings request goes to: those that embed (an
// Embedder whose capabilities, if listed, include embeddings), token
// input only to OpenAI and Azure deployments, and a refusal that stands
// when no candidate takes the input.
func TestEmbedCandidates(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  oa: {kind: openai, base_url: "http://127.0.0.1:1/v1", api_key: k}
  gem: {kind: gemini, base_url: "http://127.0.0.1:1", api_key: k}
deployments:
  oa-emb: {provider: oa, model: text-embedding-3-small, capabilities: [embeddings]}
  oa-chat: {provider: oa, model: gpt-4o-mini, capabilities: [tools]}
  gem-emb: {provider: gem, model: gemini-embedding-001, capabilities: [embeddings]}
routes:
  chat-first: {deployments: [oa-chat, oa-emb]}
  gemini-first: {deployments: [gem-emb, oa-emb]}
  gemini-only: {deployments: [oa-chat, gem-emb]}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	oa, gem := &embedFake{Provider: upstream(nil)}, &embedFake{Provider: upstream(nil)}
	g, err := New(cfg, Options{Providers: map[string]llm.ChatProvider{"oa": oa, "gem": gem}})
	if err != nil {
		t.Fatal(err)
	}
	tokenIDs := map[string]json.RawMessage{"input": json.RawMessage(`[[1,2,3]]`)}
	for _, tt := range []struct {
		name, model string
		tokens      bool
		deployment  string
		status      int
		param, msg  string
	}{
		{"a chat deployment is skipped", "chat-first", false, "oa-emb", 200, "", ""},
		{"text goes to the first", "gemini-first", false, "gem-emb", 200, "", ""},
		{"token input skips Gemini", "gemini-first", true, "oa-emb", 200, "", ""},
		{"token input pinned to OpenAI", "oa-emb", true, "oa-emb", 200, "", ""},
		{"token input to Gemini only", "gemini-only", true, "", 400, "input", "gem-emb (gemini) takes text"},
		{"a chat deployment pinned", "oa-chat", false, "", 400, "", "model oa-chat does not serve embeddings"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := &llm.EmbeddingRequest{Model: tt.model, Input: []string{"rivers run north"}}
			if tt.tokens {
				req = &llm.EmbeddingRequest{Model: tt.model, Extra: tokenIDs}
			}
			var served llm.Served
			resp, err := g.Embed(context.Background(), req, &served)
			if tt.status == 200 {
				if err != nil || served.Deployment != tt.deployment || served.Attempts != 1 || resp.Model != cfg.Deployments[tt.deployment].Model {
					t.Fatalf("served %+v, %v; want %s", served, err, tt.deployment)
				}
				return
			}
			e := llm.AsError(err)
			if e.HTTPStatus() != tt.status || e.Param != tt.param || !strings.Contains(e.Message, tt.msg) || served.Deployment != "" {
				t.Errorf("error %d param %q %q (served %q); want %d param %q with %q", e.HTTPStatus(), e.Param, e.Message, served.Deployment, tt.status, tt.param, tt.msg)
			}
		})
	}
}

// An error that is not retryable ends the request at the candidate that
// gave it: the next one is not tried.
func TestEmbedStopsOnAFinalError(t *testing.T) {
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
	a := &embedFake{Provider: upstream(nil), err: &llm.Error{Kind: llm.KindInvalidRequest, Message: "bad input"}}
	b := &embedFake{Provider: upstream(nil)}
	g, err := New(cfg, Options{Providers: map[string]llm.ChatProvider{"a": a, "b": b}})
	if err != nil {
		t.Fatal(err)
	}
	var served llm.Served
	_, err = g.Embed(context.Background(), &llm.EmbeddingRequest{Model: "emb", Input: []string{"x"}}, &served)
	if e := llm.AsError(err); e.Kind != llm.KindInvalidRequest || served.Deployment != "first" || served.Attempts != 1 {
		t.Errorf("error %v, served %+v; want first's error, one attempt", err, served)
	}
	if len(b.inputs) != 0 {
		t.Errorf("the second deployment was called with %q", b.inputs)
	}
}

// x-switchyard-timeout-ms on an endpoint routed by its model alone is
// the latency override, as on chat: a caller who may not use it gets the
// 403 naming the header, before any upstream call; one who may is served.
func TestNamedTimeoutHeaderAllowed(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  oa: {kind: openai, base_url: "http://127.0.0.1:1/v1", api_key: k}
deployments:
  oa-emb: {provider: oa, model: text-embedding-3-small, capabilities: [embeddings]}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	oa := &embedFake{Provider: upstream(nil)}
	g, err := New(cfg, Options{Providers: map[string]llm.ChatProvider{"oa": oa}})
	if err != nil {
		t.Fatal(err)
	}
	timed := route.WithTierTimeout(context.Background(), time.Second)
	req := &llm.EmbeddingRequest{Model: "oa-emb", Input: []string{"rivers run north"}}
	_, err = g.Embed(WithCaller(timed, Caller{Name: "bot", Allowed: route.AllowPin}), req, &llm.Served{})
	if e := llm.AsError(err); e == nil || e.HTTPStatus() != 403 || e.Code != "override_not_allowed" || e.Param != route.HeaderTimeout {
		t.Errorf("a caller without the latency override: %v, want a 403 naming %s", err, route.HeaderTimeout)
	}
	if len(oa.inputs) != 0 {
		t.Errorf("the upstream was called: %v", oa.inputs)
	}
	if _, err := g.Embed(WithCaller(timed, Caller{Name: "bot", Allowed: route.AllowPin | route.AllowLatency}), req, &llm.Served{}); err != nil {
		t.Errorf("a caller with the latency override: %v", err)
	}
}
