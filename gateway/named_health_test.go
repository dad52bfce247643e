package gateway

import (
	"context"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/health"
	"switchyard/llm"
)

// slowEmbed embeds after a pause.
type slowEmbed struct {
	*embedFake
	pause time.Duration
}

func (s *slowEmbed) Embed(ctx context.Context, req *llm.EmbeddingRequest) (*llm.EmbeddingResponse, error) {
	time.Sleep(s.pause)
	return s.embedFake.Embed(ctx, req)
}

// A deployment that serves chat and embeddings: its embeddings' answers
// count for its health with their latency, but are no time to a first
// token, so what chat reads of its speed (the derived first-token
// timeout, hedging's quantile, the baseline latency demotion compares
// with) is chat's alone.
func TestEmbeddingsLatencyIsNotChatTTFT(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  oa: {kind: openai, base_url: "http://127.0.0.1:1/v1", api_key: k}
deployments:
  both: {provider: oa, model: text-embedding-3-large}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	tr := health.NewTracker(health.Config{}, nil, health.Options{})
	oa := &slowEmbed{embedFake: &embedFake{Provider: upstream(nil)}, pause: 30 * time.Millisecond}
	g, err := New(cfg, Options{Health: tr, Providers: map[string]llm.ChatProvider{"oa": oa}})
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		if _, err := g.Embed(context.Background(), &llm.EmbeddingRequest{Model: "both", Input: []string{"rivers run north"}}, &llm.Served{}); err != nil {
			t.Fatal(err)
		}
	}
	if q := tr.TTFTQuantile("both", 0.95); q != 0 {
		t.Errorf("chat's p95 time to first token is %s after embeddings alone, want none", q)
	}
	if got := g.ownTTFT(g.targetIndex(g.byName["both"]), "both", time.Millisecond); got != time.Millisecond {
		t.Errorf("chat's derived first-token timeout grew to %s from embeddings' latency", got)
	}
	for _, d := range tr.Snapshot() {
		if d.Deployment == "both" && (d.Requests != 20 || d.LatencyP50 < 30*time.Millisecond || d.BaselineTTFT != 0) {
			t.Errorf("health after 20 embeddings: %d requests, latency p50 %s, baseline %s; want them counted with their latency, no baseline",
				d.Requests, d.LatencyP50, d.BaselineTTFT)
		}
	}
}
