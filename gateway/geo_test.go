package gateway

import (
	"context"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/route"
)

// A request requiring US-only inference does not have its text embedded
// for semantic routing by an embeddings deployment that is not configured
// US-resident (it would leave the US): matching is skipped and the
// classifier decides; one that is US-resident embeds it as ever.
func TestSemanticUSInference(t *testing.T) {
	for _, tc := range []struct {
		embGeo, want string
		embeds       bool
	}{
		{"", "semantic=skipped(inference_geo)", false},
		{", inference_geo: us", "semantic=billing(", true},
	} {
		yaml := strings.NewReplacer("a: {provider: p,", "a: {provider: p, inference_geo: us,", "c: {provider: p,", "c: {provider: p, inference_geo: us,",
			"capabilities: [embeddings]}", "capabilities: [embeddings]"+tc.embGeo+"}").Replace(semanticConfig)
		cfg, err := config.Parse([]byte(yaml), nil)
		if err != nil {
			t.Fatal(err)
		}
		f := &embedFake{Provider: newFake(nil)}
		g, err := New(cfg, Options{Providers: map[string]llm.ChatProvider{"p": f},
			Classify: func(req *llm.Request) route.Features {
				return route.Features{Category: llm.CategoryChat, Confidence: 0.8, Needs: route.NeedsOf(req)}
			}})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := g.WaitSemantic(ctx); err != nil {
			t.Fatal(err)
		}
		cancel()
		before := len(f.embedded())
		var served llm.Served
		req := &llm.Request{Model: "support", InferenceGeo: llm.GeoUS, Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "I was charged twice this month.")}}
		if _, err := g.Chat(context.Background(), req, nil, &served); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(served.Summary, tc.want) || (served.Deployment != "a" && served.Deployment != "c") {
			t.Errorf("emb%q: %+v, want %s", tc.embGeo, served, tc.want)
		}
		if embedded := len(f.embedded()) > before; embedded != tc.embeds {
			t.Errorf("emb%q: request text embedded %t", tc.embGeo, embedded)
		}
		g.Close()
	}
}
