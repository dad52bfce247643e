package gateway

import (
	"context"
	"math"

	"switchyard/cost"
	"switchyard/internal/audio"

	"switchyard/llm"
	"switchyard/provider"
)

// Transcribe answers a transcription or translation request as
// GenerateImages answers images (serveNamed): the candidates that serve
// transcription (servesMedia) in order, failing over on retryable
// errors; a candidate whose provider has no audio API (Anthropic,
// Gemini) is refused with a clear error. The cost is the audio's seconds
// at whisper-1's price, or the answer's tokens at the gpt-4o
// transcription models' (cost.MediaPrice.TranscriptionCost): unknown
// when the answer tells neither (response_format text) — but a
// per-second price then applies to the duration the file's headers give
// (audio.Duration). The budgets reserve the cost of the duration the
// headers give, or of a low bit rate's (audio.Estimate) when they cannot
// be read, at audioTokensPerSecond for a token-priced model. The headers
// are read once per request, not per candidate.
func (g *Gateway) Transcribe(ctx context.Context, req *llm.TranscriptionRequest, served *llm.Served) (*llm.TranscriptionResponse, error) {
	endpoint, what := "transcriptions", "transcription"
	if req.Translate {
		endpoint, what = "translations", "translation"
	}
	secs, timed := audio.Estimate(req.File)
	var texts []string
	for _, f := range req.Fields {
		if f.Name == "prompt" {
			texts = append(texts, f.Value)
		}
	}
	return serveNamed(ctx, g, &namedCall[llm.TranscriptionResponse]{
		endpoint:  endpoint,
		model:     req.Model,
		texts:     texts,
		unserved:  notMedia(req.Model, what, llm.CapTranscription, "whisper-1"),
		firstByte: transcriptionFirstByte(secs),
		serves:    func(t *Target) bool { return servesMedia(t, llm.CapTranscription) },
		refuse: func(t *Target) error {
			if _, ok := t.Provider.(provider.Transcriber); !hasMediaAPI(t, llm.CapTranscription, ok) {
				return wrongKind(t, what)
			}
			return nil
		},
		call: func(ctx context.Context, t *Target) (*llm.TranscriptionResponse, error) {
			up := *req
			up.Model = t.Deployment.Model
			return t.Provider.(provider.Transcriber).Transcribe(ctx, &up)
		},
		usage: func(resp *llm.TranscriptionResponse) llm.Usage { return resp.Usage },
		price: func(t *Target, resp *llm.TranscriptionResponse, u llm.Usage) (float64, bool) {
			p := mediaPrice(t)
			if usd, ok := p.TranscriptionCost(resp.Seconds, u.AudioPromptTokens, u.PromptTokens-u.AudioPromptTokens, u.CompletionTokens); ok {
				return usd, true
			}
			if timed {
				return p.TranscriptionCost(secs, 0, 0, 0) // per second only: no tokens
			}
			return 0, false
		},
		estimate: func(t *Target) float64 { return transcriptionEstimate(mediaPrice(t), secs, textTokens(texts)) },
	}, served)
}

// Tokens per second of audio that a token-priced transcription model is
// reserved at: OpenAI bills gpt-4o-transcribe's audio at about 1,000
// input tokens a minute (its $0.006 a minute at $6 per 1M), and a
// transcript of fast speech (200 words a minute) is about 5 tokens a
// second.
const (
	audioTokensPerSecond      = 1000.0 / 60
	transcriptTokensPerSecond = 5.0
)

// transcriptionEstimate is the budgets' estimate of transcribing secs of
// audio with a prompt of promptTokens on a deployment of price p: its
// seconds at a per-second price, else its estimated tokens; 0 when p
// prices neither.
func transcriptionEstimate(p *cost.MediaPrice, secs float64, promptTokens int) float64 {
	usd, ok := p.TranscriptionCost(secs, 0, 0, 0)
	if !ok {
		audioIn, out := int(math.Round(secs*audioTokensPerSecond)), int(math.Round(secs*transcriptTokensPerSecond))
		usd, ok = p.TranscriptionCost(0, audioIn, promptTokens, out)
	}
	return mediaEstimate(usd, ok)
}
