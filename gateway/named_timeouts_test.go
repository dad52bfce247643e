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
// first_byte_timeout for the endpoint, else the deployment's, else the
// endpoint's own; chat's ttft_timeout (the route's tiers', the
// deployment's) bounds embeddings alone, which have a chat attempt's. A
// Realtime handshake has the caller's alone. Each has the input's
// allowance.
func TestNamedFirstByteTimeouts(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  p: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
deployments:
  own: {provider: p, ttft_timeout: 3s, first_byte_timeout: {speech: 4s, transcriptions: 10s}}
  plain: {provider: p}
routes:
  tiered:
    deployments: [own, plain]
    tiers: {ttft_timeout: [700ms, 2s]}
  listed:
    deployments: [own, plain]
  timed:
    deployments: [own, plain]
    tiers: {ttft_timeout: 700ms}
    first_byte_timeout: {speech: 6s, images: 20s}
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
	speech, stt, images := speechFirstByte, transcriptionFirstByte(120), imageFirstByte
	for _, tt := range []struct {
		name      string
		ctx       context.Context
		firstByte firstByte
		route     string
		t         *Target
		k         int
		want      time.Duration
	}{
		{"the caller's", header, speech, "tiered", own, 0, 1500 * time.Millisecond},
		{"the caller's on a realtime handshake", header, noFirstByte, "", plain, 0, 1500 * time.Millisecond},
		{"not the route's tiers'", ctx, speech, "tiered", plain, 1, SpeechFirstByte},
		{"not the route's tiers' on images", ctx, images, "tiered", plain, 0, ImageFirstByte},
		{"the route's", ctx, speech, "timed", own, 0, 6 * time.Second},
		{"the route's images'", ctx, images, "timed", plain, 1, 20 * time.Second},
		{"the deployment's under the route's", ctx, stt, "timed", own, 0, 10*time.Second + 30*time.Second},
		{"the deployment's", ctx, speech, "listed", own, 0, 4 * time.Second},
		{"not the deployment's ttft_timeout", ctx, images, "listed", own, 0, ImageFirstByte},
		{"speech's own", ctx, speech, "listed", plain, 1, SpeechFirstByte},
		{"images' own", ctx, images, "", plain, 0, ImageFirstByte},
		{"two minutes of audio's", ctx, stt, "", plain, 0, TranscriptionFirstByte + 30*time.Second},
		{"embeddings': a chat attempt's", ctx, firstByte{}, "listed", plain, 1, config.DefaultTierTTFTTimeout},
		{"embeddings': the route's tier's", ctx, firstByte{}, "tiered", plain, 1, 2 * time.Second},
		{"embeddings': the deployment's", ctx, firstByte{}, "listed", own, 0, 3 * time.Second},
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
