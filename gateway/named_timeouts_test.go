package gateway

import (
	"context"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/route"
)

// A named attempt's first-byte timeout: the caller's, else the route's
// tiers.ttft_timeout, else the deployment's ttft_timeout, else the
// endpoint's own (embeddings: a chat attempt's); a Realtime handshake
// has the caller's alone. Each has the input's allowance.
func TestNamedFirstByteTimeouts(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  p: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
deployments:
  own: {provider: p, ttft_timeout: 3s}
  plain: {provider: p}
routes:
  tiered:
    deployments: [own, plain]
    tiers: {ttft_timeout: [700ms, 2s]}
  listed:
    deployments: [own, plain]
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(cfg, Options{Providers: map[string]llm.ChatProvider{"p": newFake(nil)}})
	if err != nil {
		t.Fatal(err)
	}
	own, plain := g.byName["own"], g.byName["plain"]
	ctx, header := context.Background(), route.WithTierTimeout(context.Background(), 1500*time.Millisecond)
	speech, stt := fixedFirstByte(SpeechFirstByte), transcriptionFirstByte(120)
	for _, tt := range []struct {
		name      string
		ctx       context.Context
		firstByte func(*Target) time.Duration
		route     string
		t         *Target
		k         int
		want      time.Duration
	}{
		{"the caller's", header, speech, "tiered", own, 0, 1500 * time.Millisecond},
		{"the caller's on a realtime handshake", header, noFirstByte, "", plain, 0, 1500 * time.Millisecond},
		{"the route's first tier", ctx, speech, "tiered", own, 0, 700 * time.Millisecond},
		{"the route's second tier", ctx, speech, "tiered", plain, 1, 2 * time.Second},
		{"the deployment's", ctx, speech, "listed", own, 0, 3 * time.Second},
		{"speech's own", ctx, speech, "listed", plain, 1, SpeechFirstByte},
		{"images' own", ctx, fixedFirstByte(ImageFirstByte), "", plain, 0, ImageFirstByte},
		{"two minutes of audio's", ctx, stt, "", plain, 0, TranscriptionFirstByte + 30*time.Second},
		{"embeddings': a chat attempt's", ctx, nil, "listed", plain, 1, config.DefaultTierTTFTTimeout},
		{"none on a realtime handshake", ctx, noFirstByte, "tiered", own, 0, 0},
	} {
		if got := g.attemptTimeout(tt.ctx, tt.firstByte, tt.route, tt.t, tt.k, 0); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
	if got := g.attemptTimeout(ctx, speech, "listed", plain, 1, 5000); got != SpeechFirstByte+time.Second {
		t.Errorf("5000 input tokens: %s, want speech's own and a second's allowance", got)
	}
}
