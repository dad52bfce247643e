package gateway

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"switchyard/config"
	"switchyard/cost"
	"switchyard/llm"
	"switchyard/record"
)

// sseGateway is a gateway whose gpt-image-1 and gpt-4o-transcribe
// deployments stream answer (whole, as event-stream) whatever is asked,
// and whose whisper-1 deployment would too.
func sseGateway(t *testing.T, answer string) (*Gateway, func() []*record.Record) {
	t.Helper()
	cost.Warm()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, answer)
	}))
	t.Cleanup(up.Close)
	cfg, err := config.Parse([]byte(`
providers:
  up: {kind: openai, base_url: "`+up.URL+`/v1", api_key: k}
deployments:
  gpt-image-1: {provider: up}
  gpt-4o-transcribe: {provider: up}
  whisper-1: {provider: up}
routes:
  stt: {deployments: [whisper-1, gpt-4o-transcribe]}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var recs []*record.Record
	rc := record.NewRecorder(16, record.SinkFunc(func(r *record.Record) { mu.Lock(); recs = append(recs, r); mu.Unlock() }))
	g, err := New(cfg, Options{Recorder: rc})
	if err != nil {
		t.Fatal(err)
	}
	return g, func() []*record.Record {
		rc.Close(context.Background())
		mu.Lock()
		defer mu.Unlock()
		return recs
	}
}

// readAll reads every event of s, returning them and the error that
// ended the reading (nil at the end).
func readAll(s llm.EventStream) (string, error) {
	var b strings.Builder
	for {
		ev, err := s.Next()
		if errors.Is(err, io.EOF) {
			return b.String(), nil
		}
		if err != nil {
			return b.String(), err
		}
		b.Write(ev)
	}
}

func streamedTranscription(model string) *llm.MediaStreamRequest {
	return &llm.MediaStreamRequest{Transcription: &llm.TranscriptionRequest{Model: model, File: []byte("RIFF"), FileName: "a.wav", Stream: true,
		Fields: []llm.FormField{{Name: "stream", Value: "true"}}}}
}

// A streamed transcription is relayed event by event and billed, when
// closed, from its done event's tokens; a route passes over whisper-1,
// which does not stream.
func TestStreamMediaBillsTheDoneEvent(t *testing.T) {
	const done = `data: {"type":"transcript.text.done","text":"hi","usage":{"type":"tokens","input_tokens":14,"input_token_details":{"text_tokens":4,"audio_tokens":10},"output_tokens":31,"total_tokens":45}}` + "\n\n"
	g, flush := sseGateway(t, `data: {"type":"transcript.text.delta","delta":"hi"}`+"\n\n"+done)
	var served llm.Served
	s, err := g.StreamMedia(callerCtx(), streamedTranscription("stt"), &served)
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(s)
	if err != nil || !strings.HasSuffix(got, done) || !served.CostUnknown {
		t.Errorf("read %q, %v; served before the end %+v", got, err, served)
	}
	s.Close()
	s.Close()
	want := 10*6e-6 + 4*2.5e-6 + 31*1e-5
	if served.CostUnknown || served.Deployment != "gpt-4o-transcribe" || served.CostUSD < want-1e-9 || served.CostUSD > want+1e-9 {
		t.Errorf("served %+v, want $%v", served, want)
	}
	recs := flush()
	if len(recs) != 1 || recs[0].Endpoint != "transcriptions" || recs[0].Status != 200 || recs[0].Usage.AudioPromptTokens != 10 || recs[0].Attempts != 1 {
		t.Fatalf("records %+v", recs)
	}
	_, err = g.StreamMedia(callerCtx(), streamedTranscription("whisper-1"), &served)
	if e := llm.AsError(err); e.HTTPStatus() != 400 || e.Param != "stream" {
		t.Errorf("whisper-1: %v", err)
	}
}

// A stream the upstream ends with an error event, or cuts within an
// event, is recorded as an upstream error with an unknown cost; one the
// caller closes early as canceled.
func TestStreamMediaEnds(t *testing.T) {
	partial := `event: image_generation.partial_image` + "\n" + `data: {"type":"image_generation.partial_image","b64_json":"x","partial_image_index":0}` + "\n\n"
	for _, c := range []struct {
		name, answer string
		read         bool
		status       int
	}{
		{"an error event", partial + `event: error` + "\n" + `data: {"error":{"message":"boom"}}` + "\n\n", true, 502},
		{"a cut", partial + `event: image_generation.completed` + "\n" + `data: {"type":`, true, 502},
		{"the caller leaves", partial, false, 499},
	} {
		g, flush := sseGateway(t, c.answer)
		var served llm.Served
		s, err := g.StreamMedia(callerCtx(), &llm.MediaStreamRequest{Images: &llm.ImageRequest{Model: "gpt-image-1", Prompt: "p", N: 1, Stream: true, Body: []byte(`{"prompt":"p","stream":true}`)}}, &served)
		if err != nil {
			t.Fatal(err)
		}
		if c.read {
			_, err = readAll(s)
			if c.name == "a cut" && llm.AsError(err).Kind != llm.KindUpstream {
				t.Errorf("%s: read error %v", c.name, err)
			}
		}
		s.Close()
		recs := flush()
		if len(recs) != 1 || recs[0].Status != c.status || !recs[0].CostUnknown || recs[0].Endpoint != "images" {
			t.Errorf("%s: records %+v", c.name, recs)
		}
	}
}
