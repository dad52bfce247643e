package gateway

import (
	"context"

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
// when the answer tells neither (response_format text). The budgets
// reserve nothing ahead: the audio's length is known only from the
// answer.
func (g *Gateway) Transcribe(ctx context.Context, req *llm.TranscriptionRequest, served *llm.Served) (*llm.TranscriptionResponse, error) {
	endpoint, what := "transcriptions", "transcription"
	if req.Translate {
		endpoint, what = "translations", "translation"
	}
	var texts []string
	for _, f := range req.Fields {
		if f.Name == "prompt" {
			texts = append(texts, f.Value)
		}
	}
	return serveNamed(ctx, g, &namedCall[llm.TranscriptionResponse]{
		endpoint: endpoint,
		model:    req.Model,
		texts:    texts,
		unserved: notMedia(req.Model, what, llm.CapTranscription, "whisper-1"),
		serves:   func(t *Target) bool { return servesMedia(t, llm.CapTranscription) },
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
			return mediaPrice(t).TranscriptionCost(resp.Seconds, u.AudioPromptTokens, u.PromptTokens-u.AudioPromptTokens, u.CompletionTokens)
		},
		estimate: func(*Target) float64 { return 0 },
	}, served)
}
