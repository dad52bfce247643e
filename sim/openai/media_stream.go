package openai

import (
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"time"

	"switchyard/llm"
	"switchyard/sim"
)

// This file answers the media requests made with stream true as the API
// streams them (server-sent events): image generation and edits
// (prefix.partial_image events, then prefix.completed, each named in an
// event: line) and transcription (transcript.text.delta events, then
// transcript.text.done, in data: lines alone).

// partialImageTokens is the output tokens each partial image adds
// (OpenAI's image generation guide: 100 per partial image).
const partialImageTokens = 100

// imageEvent is a streamed image event, its members in the API's order.
type imageEvent struct {
	Type              string         `json:"type"`
	B64JSON           string         `json:"b64_json"`
	CreatedAt         int64          `json:"created_at"`
	Size              string         `json:"size"`
	Quality           string         `json:"quality"`
	Background        string         `json:"background"`
	OutputFormat      string         `json:"output_format"`
	PartialImageIndex *int           `json:"partial_image_index,omitempty"`
	Usage             map[string]any `json:"usage,omitempty"`
}

// streamImages answers req (a GPT image model's, stream true) with
// partials partial images, then the completed image, for each of its n
// images; prefix is image_generation or image_edit. FaultCut drops the
// connection after the first event, FaultMalformed sends an event that
// is not JSON.
func (s *server) streamImages(c *call, p *sim.Profile, req *llm.ImageRequest, prefix string, partials int) {
	ft := s.faults.Pick(req.Model, req.Prompt)
	if s.failEarly(c, ft, p) || !sim.Sleep(c.r.Context(), p.FirstTokenDelay()) {
		return
	}
	size, quality := or(req.Size, "1024x1024"), or(req.Quality, "medium")
	if size == "auto" {
		size = "1024x1024"
	}
	if quality == "auto" {
		quality = "medium"
	}
	ev := imageEvent{B64JSON: onePixelPNG, Size: size, Quality: quality, Background: "opaque", OutputFormat: "png"}
	text := sim.CountTokens(req.Prompt)
	out := gptImageTokens[quality] + partials*partialImageTokens
	sse := s.beginEvents(c)
	for range req.N {
		for i := range partials {
			ev.Type, ev.CreatedAt, ev.PartialImageIndex, ev.Usage = prefix+".partial_image", time.Now().Unix(), &i, nil
			if !sse.send(ev.Type, ev, ft) || !sim.Sleep(c.r.Context(), p.PieceDelay(partialImageTokens)) {
				return
			}
		}
		ev.Type, ev.CreatedAt, ev.PartialImageIndex = prefix+".completed", time.Now().Unix(), nil
		ev.Usage = map[string]any{"total_tokens": text + out, "input_tokens": text, "output_tokens": out,
			"input_tokens_details": map[string]int{"text_tokens": text, "image_tokens": 0}}
		if !sse.send(ev.Type, ev, ft) {
			return
		}
	}
}

// streamTranscript answers a gpt-4o transcription with stream true: text
// in word deltas, then the done event with the text and the usage in
// tokens.
func (s *server) streamTranscript(c *call, p *sim.Profile, req *llm.TranscriptionRequest, text string, seconds float64) {
	ft := s.faults.Pick(req.Model, req.FileName)
	if s.failEarly(c, ft, p) || !sim.Sleep(c.r.Context(), p.FirstTokenDelay()) {
		return
	}
	sse := s.beginEvents(c)
	for i, word := range strings.SplitAfter(text, " ") {
		if i > 0 && !sim.Sleep(c.r.Context(), p.PieceDelay(1)) {
			return
		}
		if !sse.send("", map[string]string{"type": "transcript.text.delta", "delta": word}, ft) {
			return
		}
	}
	audio, words := int(math.Round(seconds*100)/100*10)+1, sim.CountTokens(text)
	sse.send("", map[string]any{"type": "transcript.text.done", "text": text, "usage": map[string]any{
		"type": "tokens", "input_tokens": audio, "input_token_details": map[string]int{"text_tokens": 0, "audio_tokens": audio},
		"output_tokens": words, "total_tokens": audio + words}}, ft)
}

// eventWriter writes a simulated event stream.
type eventWriter struct {
	c    *call
	rc   *http.ResponseController
	sent int
}

// beginEvents answers 200 as an event stream, with the rate-limit
// headers.
func (s *server) beginEvents(c *call) *eventWriter {
	s.okRateHeaders(c)
	c.w.Header().Set("Cache-Control", "no-cache")
	c.header(http.StatusOK, "text/event-stream; charset=utf-8")
	return &eventWriter{c: c, rc: http.NewResponseController(c.w)}
}

// send writes one event (named by an event: line unless name is empty)
// and flushes it, with the damage of ft: FaultCut drops the connection
// after the first event, FaultMalformed makes the second event's data
// not JSON. It reports whether the client is still there.
func (e *eventWriter) send(name string, v any, ft sim.Fault) bool {
	if ft.Kind == sim.FaultCut && e.sent == 1 {
		sim.Cut()
	}
	data, _ := json.Marshal(v)
	if ft.Kind == sim.FaultMalformed && e.sent == 1 {
		data = data[:len(data)/2]
	}
	var b []byte
	if name != "" {
		b = append(append(append(b, "event: "...), name...), '\n')
	}
	b = append(append(append(b, "data: "...), data...), "\n\n"...)
	e.sent++
	if _, err := e.c.w.Write(b); err != nil {
		return false
	}
	return e.rc.Flush() == nil && e.c.r.Context().Err() == nil
}
