package e2e

import (
	"bytes"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/sim"
)

// openai-go's Images.GenerateStreaming and EditStreaming work through
// the router: partial images, then the completed image with its usage,
// relayed as they came; the cost (the completed image's size and
// quality) goes out as the trailer and into the record; a route fails
// over before the first event.
func TestImageStreamsSDK(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withEdits)
	var hr *http.Response
	s := e.Client.Images.GenerateStreaming(ctxT(t), openai.ImageGenerateParams{
		Model: "gpt-image-1", Prompt: "a lighthouse", Quality: openai.ImageGenerateParamsQualityLow, PartialImages: openai.Int(2),
	}, option.WithResponseInto(&hr))
	var types []string
	var done openai.ImageGenStreamEventUnion
	for s.Next() {
		ev := s.Current()
		types = append(types, ev.Type)
		if ev.Type == "image_generation.partial_image" && (ev.B64JSON == "" || ev.PartialImageIndex != int64(len(types)-1)) {
			t.Errorf("partial image %s", ev.RawJSON())
		}
		done = ev
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(types, ",") != "image_generation.partial_image,image_generation.partial_image,image_generation.completed" ||
		done.Usage.OutputTokens != 272+200 || done.Size != "1024x1024" || done.Quality != "low" || done.B64JSON == "" {
		t.Errorf("events %v, last %s", types, done.RawJSON())
	}
	if math.Abs(costOf(&http.Response{Header: hr.Trailer})-0.011) > 1e-6 || hr.Header.Get("x-switchyard-deployment") != "gpt-image-1" {
		t.Errorf("headers %v, trailer %v", hr.Header, hr.Trailer)
	}

	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultServerError, Count: 1})
	es := e.Client.Images.EditStreaming(ctxT(t), openai.ImageEditParams{
		Image: openai.ImageEditParamsImageUnion{OfFile: png("room.png")}, Prompt: "add a lamp", Model: "editor",
		Quality: openai.ImageEditParamsQualityLow, PartialImages: openai.Int(1),
	}, option.WithResponseInto(&hr))
	types = nil
	for es.Next() {
		types = append(types, es.Current().Type)
	}
	if err := es.Err(); err != nil || strings.Join(types, ",") != "image_edit.partial_image,image_edit.completed" || !strings.Contains(hr.Header.Get("x-switchyard-route"), "attempt=2") {
		t.Errorf("edit events %v, %v, headers %v", types, err, hr.Header)
	}

	recs := e.recorded(t, 2)
	if r := recs[0]; r.Endpoint != "images" || r.Status != 200 || r.CostUnknown || math.Abs(r.CostUSD-0.011) > 1e-6 || r.Usage.CompletionTokens != 472 || r.Trail[0].Usage.CompletionTokens != 472 {
		t.Errorf("stream record %+v", r)
	}
	if r := recs[1]; r.Route != "editor" || r.Attempts != 2 || r.Status != 200 || math.Abs(r.CostUSD-0.011) > 1e-6 || r.Trail[0].Deployment != "azure-image" {
		t.Errorf("edit stream record %+v", r)
	}
}

// openai-go's Audio.Transcriptions.NewStreaming works through the
// router: text deltas, then the done event whose token usage prices the
// request; whisper-1, which does not stream, is a 400 on stream; an
// upstream cut ends the client's stream with an error, recorded as a 502.
func TestTranscriptionStreamSDK(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withEdits)
	audio := silentWAV(20)
	var hr *http.Response
	s := e.Client.Audio.Transcriptions.NewStreaming(ctxT(t), openai.AudioTranscriptionNewParams{
		File: openai.File(bytes.NewReader(audio), "meeting.wav", "audio/wav"), Model: "gpt-4o-transcribe",
	}, option.WithResponseInto(&hr))
	var text strings.Builder
	var done openai.TranscriptionStreamEventUnion
	deltas := 0
	for s.Next() {
		ev := s.Current()
		switch ev.Type {
		case "transcript.text.delta":
			deltas++
			text.WriteString(ev.Delta)
		case "transcript.text.done":
			done = ev
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	u := done.Usage
	if deltas < 2 || text.String() != done.Text || !strings.Contains(done.Text, "meeting.wav") || u.InputTokenDetails.AudioTokens != 201 || u.OutputTokens == 0 {
		t.Errorf("%d deltas %q, done %s", deltas, text.String(), done.RawJSON())
	}
	want := float64(u.InputTokenDetails.AudioTokens)*6e-6 + float64(u.InputTokens-u.InputTokenDetails.AudioTokens)*2.5e-6 + float64(u.OutputTokens)*1e-5
	if usd := costOf(&http.Response{Header: hr.Trailer}); math.Abs(usd-want) > 1e-6 {
		t.Errorf("cost trailer %v, want %v", hr.Trailer, want)
	}

	raw := postForm(t, e, "demo-key", "/v1/audio/transcriptions", audio, "model", "whisper-1", "stream", "true")
	if raw.status != 400 || !strings.Contains(raw.body, `"param":"stream"`) || !strings.Contains(raw.body, "whisper-1") {
		t.Errorf("whisper-1 stream: %+v", raw)
	}
	var apiErr *openai.Error
	ws := e.Client.Audio.Transcriptions.NewStreaming(ctxT(t), openai.AudioTranscriptionNewParams{
		File: openai.File(bytes.NewReader(audio), "a.wav", "audio/wav"), Model: "whisper-1"})
	for ws.Next() {
	}
	if !errors.As(ws.Err(), &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "stream" {
		t.Errorf("whisper-1 NewStreaming: %v", ws.Err())
	}

	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultCut, Count: 1})
	cs := e.Client.Audio.Transcriptions.NewStreaming(ctxT(t), openai.AudioTranscriptionNewParams{
		File: openai.File(bytes.NewReader(audio), "cut.wav", "audio/wav"), Model: "gpt-4o-transcribe"})
	got := 0
	for cs.Next() {
		got++
	}
	if got != 1 || cs.Err() == nil || !strings.Contains(cs.Err().Error(), "cut") {
		t.Errorf("cut stream: %d events, %v", got, cs.Err())
	}

	recs := e.recorded(t, 4)
	if r := recs[0]; r.Endpoint != "transcriptions" || r.Status != 200 || r.CostUnknown || math.Abs(r.CostUSD-want) > 1e-6 || r.Usage.AudioPromptTokens != 201 {
		t.Errorf("stream record %+v", r)
	}
	if r := recs[3]; r.Endpoint != "transcriptions" || r.Status != 502 || r.ErrorKind != "upstream" || !r.CostUnknown {
		t.Errorf("cut record %+v", r)
	}
}
