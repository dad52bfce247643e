package gateway

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"

	"switchyard/internal/audio"
	"switchyard/llm"
	"switchyard/provider"
	wire "switchyard/wire/openai"
)

// StreamMedia answers a media request with stream true — image
// generation or edit (partial images, then the completed image) or
// transcription (text deltas, then the done event) — as Speak answers
// speech (openNamed): the candidates that serve the endpoint in order,
// failing over on retryable errors until one answers with an event
// stream; from then on its events are the caller's to read as they
// arrive. The request is recorded when the caller closes the stream: an
// upstream that cut it (or ended it with an error event) as an upstream
// error, a caller that left as canceled. The cost is known from the
// final events (image_generation.completed, image_edit.completed,
// transcript.text.done): the images' price by the size and quality they
// report, or the transcription's tokens; unknown until they came.
func (g *Gateway) StreamMedia(ctx context.Context, req *llm.MediaStreamRequest, served *llm.Served) (llm.EventStream, error) {
	ms := newMediaStream(req)
	resp, call, err := openNamed(ctx, g, &namedCall[openedStream]{
		endpoint:  ms.endpoint,
		model:     req.Model(),
		texts:     ms.texts,
		unserved:  notMedia(req.Model(), ms.what, ms.capability, ms.example),
		firstByte: ms.firstByte(),
		serves:    func(t *Target) bool { return servesMedia(t, ms.capability) },
		refuse: func(t *Target) error {
			if _, ok := t.Provider.(provider.MediaStreamer); !hasMediaAPI(t, ms.capability, ok) {
				return wrongKind(t, ms.what)
			}
			return ms.refuseModel(t)
		},
		call: func(ctx context.Context, t *Target) (*openedStream, error) {
			body, err := t.Provider.(provider.MediaStreamer).StreamMedia(ctx, req.WithModel(t.Deployment.Model))
			if err != nil {
				return nil, err
			}
			return &openedStream{body: body, target: t}, nil
		},
		discard:  func(s *openedStream) { s.body.Close() },
		usage:    func(*openedStream) llm.Usage { return llm.Usage{} },
		price:    func(*Target, *openedStream, llm.Usage) (float64, bool) { return 0, false },
		estimate: ms.estimate,
	}, served)
	if err != nil {
		return nil, err
	}
	ms.ctx, ms.body, ms.target, ms.call = ctx, resp.body, resp.target, call
	ms.events = wire.NewEventReader(resp.body, 0)
	return ms, nil
}

// openedStream is the upstream event stream a candidate answered with.
type openedStream struct {
	body   io.ReadCloser
	target *Target
}

// mediaStream is a streamed media answer: the upstream's events relayed
// as they come, its final events read for the usage and cost, the
// request recorded when closed.
type mediaStream struct {
	req *llm.MediaStreamRequest
	// endpoint, what, capability and example describe the endpoint, as
	// namedCall and notMedia take them; texts are the request's.
	endpoint, what, example string
	capability              llm.Capability
	texts                   []string
	// seconds is a transcription's audio duration, read once
	// (audio.Estimate), for the budgets' estimate.
	seconds float64

	ctx    context.Context // the request's: once done, a cut is the caller's
	body   io.ReadCloser
	events *wire.EventReader
	target *Target
	call   *openedCall
	once   sync.Once

	// What reading met: the end, a cut (upstreamCut: while the caller
	// was there), an error event's message.
	eof         bool
	cut         error
	upstreamCut bool
	upstream    string
	// finals counts the final events, whose usage is summed in usage
	// and whose size and quality are the last one's.
	finals        int
	usage         llm.Usage
	size, quality string
}

// newMediaStream describes req's endpoint.
func newMediaStream(req *llm.MediaStreamRequest) *mediaStream {
	ms := &mediaStream{req: req, endpoint: "images", capability: llm.CapImages, example: "gpt-image-1"}
	switch {
	case req.Images != nil:
		ms.what, ms.texts = "streamed image generation", []string{req.Images.Prompt}
	case req.Edit != nil:
		ms.what, ms.texts = "streamed image edits", []string{req.Edit.Prompt}
	default:
		ms.endpoint, ms.what, ms.capability, ms.example = "transcriptions", "streamed transcription", llm.CapTranscription, "gpt-4o-transcribe"
		ms.seconds, _ = audio.Estimate(req.Transcription.File)
		for _, f := range req.Transcription.Fields {
			if f.Name == "prompt" {
				ms.texts = append(ms.texts, f.Value)
			}
		}
	}
	return ms
}

// firstByte is the endpoint's own first-byte timeout: an image's, or a
// transcription's of the audio's estimated duration.
func (ms *mediaStream) firstByte() firstByte {
	if ms.req.Transcription != nil {
		return transcriptionFirstByte(ms.seconds)
	}
	return imageFirstByte
}

// refuseModel refuses a streamed transcription on whisper-1, which
// does not stream (OpenAI's API ignores stream for it, answering a
// whole transcription the stream's client could not read).
func (ms *mediaStream) refuseModel(t *Target) error {
	if ms.req.Transcription == nil || !strings.HasPrefix(t.Deployment.ModelID(), "whisper") {
		return nil
	}
	e := llm.Errorf(llm.KindInvalidRequest, "Invalid 'stream': streaming is not supported for the %s model (deployment %s); omit stream, or use gpt-4o-transcribe or gpt-4o-mini-transcribe.", t.Deployment.ModelID(), t.Deployment.Name)
	e.Param = "stream"
	return e
}

// estimate is the most the request can cost on t, for the budgets: the
// images asked at their price; a transcription its audio's estimated
// cost (transcriptionEstimate).
func (ms *mediaStream) estimate(t *Target) float64 {
	switch {
	case ms.req.Images != nil:
		r := ms.req.Images
		return mediaEstimate(mediaPrice(t).ImageCost(r.Size, r.Quality, r.N))
	case ms.req.Edit != nil:
		r := ms.req.Edit
		return mediaEstimate(mediaPrice(t).ImageCost(r.Size, r.Quality, r.N))
	case ms.req.Transcription != nil:
		return transcriptionEstimate(mediaPrice(t), ms.seconds, textTokens(ms.texts))
	}
	return 0
}

// Next returns the next event as it came, noting a final event's usage
// and an error event. A stream that ends within an event, or with one
// over wire.MaxMediaEvent, is a KindUpstream error.
func (ms *mediaStream) Next() ([]byte, error) {
	ev, err := ms.events.Next()
	switch {
	case errors.Is(err, io.EOF):
		ms.eof = true
		return nil, io.EOF
	case err != nil:
		if ms.cut == nil {
			// Cut while the caller was still there: the upstream's doing,
			// whatever the caller does next (it leaves on the error).
			ms.cut, ms.upstreamCut = err, ms.ctx.Err() == nil
		}
		if ms.ctx.Err() != nil {
			return nil, err
		}
		return nil, llm.Wrap(llm.KindUpstream, err, "the upstream's event stream was cut")
	}
	if data := wire.EventData(ev); len(data) > 0 {
		if e, err := wire.DecodeMediaEvent(data); err == nil {
			ms.note(e)
		}
	}
	return ev, nil
}

// note keeps what a decoded event tells of the usage and the outcome.
func (ms *mediaStream) note(e wire.MediaEvent) {
	switch {
	case e.Type == "error":
		ms.upstream = e.Error
	case e.Final:
		ms.finals++
		ms.usage.Add(e.Usage)
		ms.size, ms.quality = e.Size, e.Quality
	}
}

// Close closes the upstream body and, once, bills the final events and
// records the request.
func (ms *mediaStream) Close() error {
	err := ms.body.Close()
	ms.once.Do(func() {
		if ms.finals > 0 {
			if ms.usage.TotalTokens == 0 && ms.req.Transcription == nil { // none reported: the prompt's, estimated
				ms.usage = estimatedInput(ms.texts[0])
			}
			usd, ok := ms.price()
			ms.call.bill(ms.usage, usd, ok)
		}
		ms.call.done(ms.outcome())
	})
	return err
}

// price is the cost of what the final events reported on the target.
func (ms *mediaStream) price() (float64, bool) {
	p := mediaPrice(ms.target)
	switch {
	case ms.req.Images != nil:
		return p.ImageCost(answeredOr(ms.size, ms.req.Images.Size), answeredOr(ms.quality, ms.req.Images.Quality), ms.finals)
	case ms.req.Edit != nil:
		return p.ImageCost(answeredOr(ms.size, ms.req.Edit.Size), answeredOr(ms.quality, ms.req.Edit.Quality), ms.finals)
	}
	u := ms.usage
	return p.TranscriptionCost(0, u.AudioPromptTokens, u.PromptTokens-u.AudioPromptTokens, u.CompletionTokens)
}

// outcome is the error that ended the stream, nil when it was read whole.
func (ms *mediaStream) outcome() error {
	switch {
	case ms.eof && ms.upstream != "":
		return llm.Errorf(llm.KindUpstream, "the upstream ended the stream with an error: %s", ms.upstream)
	case ms.eof:
		return nil
	case ms.upstreamCut:
		return llm.Wrap(llm.KindUpstream, ms.cut, "the upstream's event stream was cut")
	case ms.ctx.Err() != nil:
		return llm.Wrap(llm.KindCanceled, ms.ctx.Err(), "the caller went away during the stream")
	case ms.cut != nil:
		return llm.Wrap(llm.KindUpstream, ms.cut, "the upstream's event stream was cut")
	}
	return llm.Errorf(llm.KindCanceled, "the caller stopped reading the stream")
}
