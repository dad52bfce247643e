package gateway

import (
	"context"
	"errors"
	"io"
	"sync"
	"unicode/utf8"

	"switchyard/llm"
	"switchyard/provider"
)

// Speak answers a text-to-speech request as GenerateImages answers
// images (openNamed): the candidates that serve speech in order, failing
// over on retryable errors until one answers 2xx; from then on the audio
// is the caller's to read as it arrives. The request is recorded when
// the caller closes the audio: an upstream that cut it is recorded as
// an upstream error, a caller that closed it early as canceled. The
// cost is the input's characters at the model's price
// (cost.MediaPrice.SpeechCost), unknown for models priced otherwise
// (gpt-4o-mini-tts, by audio tokens the answer does not report).
func (g *Gateway) Speak(ctx context.Context, req *llm.SpeechRequest, served *llm.Served) (*llm.AudioStream, error) {
	chars := utf8.RuneCountInString(req.Input)
	resp, call, err := openNamed(ctx, g, &namedCall[llm.AudioStream]{
		endpoint:  "speech",
		model:     req.Model,
		texts:     []string{req.Input},
		unserved:  notMedia(req.Model, "text to speech", llm.CapSpeech, "tts-1"),
		firstByte: speechFirstByte,
		serves:    func(t *Target) bool { return servesMedia(t, llm.CapSpeech) },
		refuse: func(t *Target) error {
			if _, ok := t.Provider.(provider.Speaker); !hasMediaAPI(t, llm.CapSpeech, ok) {
				return wrongKind(t, "text to speech")
			}
			return nil
		},
		call: func(ctx context.Context, t *Target) (*llm.AudioStream, error) {
			up := *req
			up.Model = t.Deployment.Model
			ctx, cancel := context.WithCancel(ctx)
			a, err := t.Provider.(provider.Speaker).Speak(ctx, &up)
			if err != nil {
				cancel()
				return nil, err
			}
			a.Body = newStallBody(a.Body, g.stall, cancel, t.Deployment.Provider)
			return a, nil
		},
		discard: func(a *llm.AudioStream) { a.Body.Close() },
		usage:   func(*llm.AudioStream) llm.Usage { return estimatedInput(req.Input) },
		price: func(t *Target, _ *llm.AudioStream, _ llm.Usage) (float64, bool) {
			return mediaPrice(t).SpeechCost(chars)
		},
		estimate: func(t *Target) float64 { return mediaEstimate(mediaPrice(t).SpeechCost(chars)) },
	}, served)
	if err != nil {
		return nil, err
	}
	resp.Body = &recordOnClose{ctx: ctx, body: resp.Body, done: call.done}
	return resp, nil
}

// recordOnClose is an upstream body that ends its request (done) when
// closed, with the error that ended the reading.
type recordOnClose struct {
	ctx  context.Context // the request's: once done, a cut is the caller's
	body io.ReadCloser
	done func(error)
	once sync.Once
	// eof and cut are what reading met: the end, or an error.
	eof bool
	cut error
}

func (r *recordOnClose) Read(p []byte) (int, error) {
	n, err := r.body.Read(p)
	switch {
	case errors.Is(err, io.EOF):
		r.eof = true
	case err != nil && r.cut == nil:
		r.cut = err
	}
	return n, err
}

// Close closes the upstream body and records the request, once.
func (r *recordOnClose) Close() error {
	err := r.body.Close()
	r.once.Do(func() {
		var end error
		switch {
		case r.eof:
		case r.ctx.Err() != nil:
			end = llm.Wrap(llm.KindCanceled, r.ctx.Err(), "the caller went away during the audio")
		case r.cut != nil:
			end = llm.Wrap(llm.KindUpstream, r.cut, "the upstream's audio was cut")
		default:
			end = llm.Errorf(llm.KindCanceled, "the caller stopped reading the audio")
		}
		r.done(end)
	})
	return err
}
