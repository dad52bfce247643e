package gateway

import (
	"context"
	"hash/fnv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"switchyard/config"
	"switchyard/cost"
	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/record"
	"switchyard/route"
)

func TestMain(m *testing.M) {
	cost.Warm() // build the tokenizer before goleak looks, not in the background of a test
	goleak.VerifyTestMain(m)
}

// embedFake is a fake that also embeds, by hashed bag of words.
type embedFake struct {
	*llmtest.Provider
	mu     sync.Mutex
	inputs []string
	err    error
}

func (f *embedFake) Embed(ctx context.Context, req *llm.EmbeddingRequest) (*llm.EmbeddingResponse, error) {
	f.mu.Lock()
	f.inputs = append(f.inputs, req.Input...)
	err := f.err
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	resp := &llm.EmbeddingResponse{Model: req.Model, Usage: llm.Usage{PromptTokens: 4 * len(req.Input), TotalTokens: 4 * len(req.Input)}}
	for i, text := range req.Input {
		v := make([]float32, 32)
		for _, w := range strings.Fields(strings.ToLower(strings.Trim(text, ".?!"))) {
			h := fnv.New32a()
			h.Write([]byte(strings.Trim(w, ",.?!")))
			v[h.Sum32()%32]++
		}
		resp.Data = append(resp.Data, llm.Embedding{Index: i, Vector: v})
	}
	return resp, nil
}

func (f *embedFake) embedded() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.inputs...)
}

const semanticConfig = `
providers:
  p: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
deployments:
  a: {provider: p, price: {input: 1, output: 1}}
  b: {provider: p, price: {input: 2, output: 2}}
  c: {provider: p, price: {input: 3, output: 3}}
  emb: {provider: p, price: {input: 0.02}, capabilities: [embeddings]}
routes:
  support:
    deployments: [a, b, c]
    semantic:
      embeddings: emb
      timeout: 5s
      categories:
        billing:
          examples: ["I was charged twice", "how do I get a refund"]
          deployments: [c]
  plain: {deployments: [a, b]}
`

func newSemanticGateway(t *testing.T, f *embedFake, rec *record.Recorder) *Gateway {
	t.Helper()
	cfg, err := config.Parse([]byte(semanticConfig), nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(cfg, Options{
		Providers: map[string]llm.ChatProvider{"p": f},
		Recorder:  rec,
		Classify: func(req *llm.Request) route.Features {
			return route.Features{Category: llm.CategoryChat, Confidence: 0.8, Needs: route.NeedsOf(req)}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.Close)
	return g
}

func ask(t *testing.T, g *Gateway, model, text string, ov *route.Overrides) llm.Served {
	t.Helper()
	var served llm.Served
	req := &llm.Request{Model: model, Messages: []llm.Message{llm.TextMessage(llm.RoleUser, text)}}
	if _, err := g.Chat(context.Background(), req, ov, &served); err != nil {
		t.Fatal(err)
	}
	return served
}

func TestSemanticRouting(t *testing.T) {
	var mu sync.Mutex
	var recs []record.Record
	rec := record.NewRecorder(0, record.SinkFunc(func(r *record.Record) { mu.Lock(); recs = append(recs, *r); mu.Unlock() }))
	f := &embedFake{Provider: newFake(nil)}
	g := newSemanticGateway(t, f, rec)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := g.WaitSemantic(ctx); err != nil {
		t.Fatal(err)
	}
	served := ask(t, g, "support", "I was charged twice this month.", nil)
	if served.Deployment != "c" || !strings.HasPrefix(served.Summary, "route=support; semantic=billing(0.8") {
		t.Errorf("billing question: %+v", served)
	}
	served = ask(t, g, "support", "Write a haiku about trains", nil)
	if served.Deployment != "a" || !strings.HasPrefix(served.Summary, "route=support; semantic=none(") {
		t.Errorf("unlike any example: %+v", served)
	}
	// The hint header decides without an embedding call; a route without
	// semantic categories never embeds.
	before := len(f.embedded())
	served = ask(t, g, "support", "how do I get a refund", &route.Overrides{Category: llm.CategoryCode})
	if served.Deployment != "a" || !strings.Contains(served.Summary, "semantic=skipped(hint); category=code(hint)") {
		t.Errorf("hinted: %+v", served)
	}
	if served = ask(t, g, "plain", "how do I get a refund", nil); strings.Contains(served.Summary, "semantic") {
		t.Errorf("plain route: %+v", served)
	}
	if n := len(f.embedded()) - before; n != 0 {
		t.Errorf("%d embedding calls for a hinted request and a plain route", n)
	}
	// The same text again is answered from the cache.
	plan, err := g.Route(context.Background(), &llm.Request{Model: "support", Messages: []llm.Message{
		llm.TextMessage(llm.RoleUser, "I was charged twice this month.")}}, nil)
	if err != nil || plan.First() != "c" || !plan.Explanation.Semantic.Cached {
		t.Errorf("dry run: %v %+v", err, plan)
	}
	if err := rec.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	var semanticRecs int
	for _, r := range recs {
		if r.Endpoint == EndpointSemantic {
			semanticRecs++
			if r.Route != "support" || r.Deployment != "emb" || r.Usage.PromptTokens == 0 || r.CostUSD <= 0 || r.Status != 200 {
				t.Errorf("semantic record %+v", r)
			}
		}
	}
	if semanticRecs != 3 { // the examples, then two request texts
		t.Errorf("%d semantic records, want 3", semanticRecs)
	}
}

func TestSemanticProviderDown(t *testing.T) {
	f := &embedFake{Provider: newFake(nil), err: llm.Errorf(llm.KindUnavailable, "upstream p returned 503")}
	g := newSemanticGateway(t, f, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := g.WaitSemantic(ctx); err == nil || !strings.Contains(err.Error(), "route support") {
		t.Errorf("WaitSemantic = %v", err)
	}
	served := ask(t, g, "support", "I was charged twice", nil)
	if served.Deployment != "a" || !strings.Contains(served.Summary, "semantic=skipped(not_ready)") {
		t.Errorf("provider down: %+v", served)
	}
	plan, err := g.Route(context.Background(), hello("support"), nil)
	if err != nil || plan.Explanation.Semantic.Detail != "upstream p returned 503" {
		t.Errorf("dry run: %v %+v", err, plan.Explanation.Semantic)
	}
}
