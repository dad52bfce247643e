package openai_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	apiopenai "switchyard/api/openai"
	"switchyard/llm"
)

// closeCounter is audio whose Close is counted.
type closeCounter struct {
	io.Reader
	closed int
}

func (c *closeCounter) Close() error { c.closed++; return nil }

// The audio reaches the client chunk by chunk as the upstream sends it:
// the client reads the first chunk before the second exists.
func TestSpeechStreamsChunks(t *testing.T) {
	pr, pw := io.Pipe()
	body := &closeCounter{Reader: pr}
	b := &fakeBackend{Served: llm.Served{Deployment: "tts-1", CostUSD: 0.00018}}
	b.SpeakFunc = func(_ context.Context, req *llm.SpeechRequest) (*llm.AudioStream, error) {
		if req.Model != "tts-1" || req.Input != "Hello there." || req.ResponseFormat != "wav" {
			return nil, errors.New("backend got " + req.Model)
		}
		return &llm.AudioStream{ContentType: "audio/wav", Body: body}, nil
	}
	srv := httptest.NewServer(mux(b, 0))
	defer srv.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		pw.Write([]byte("RIFF-first-chunk"))
	}()
	client := &http.Client{Timeout: 5 * time.Second} // a handler that buffered the audio would never answer
	resp, err := client.Post(srv.URL+"/v1/audio/speech", "application/json", strings.NewReader(`{"model":"tts-1","input":"Hello there.","voice":"alloy","response_format":"wav"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "audio/wav" || resp.Header.Get(apiopenai.HeaderCost) != "0.00018" || resp.Header.Get(apiopenai.HeaderDeployment) != "tts-1" {
		t.Fatalf("%d %v", resp.StatusCode, resp.Header)
	}
	first := make([]byte, 16)
	if _, err := io.ReadFull(resp.Body, first); err != nil || string(first) != "RIFF-first-chunk" {
		t.Fatalf("first chunk %q, %v", first, err)
	}
	<-done
	go func() {
		pw.Write([]byte("second"))
		pw.Close()
	}()
	rest, err := io.ReadAll(resp.Body)
	if err != nil || string(rest) != "second" {
		t.Errorf("rest %q, %v", rest, err)
	}
	if body.closed == 0 {
		t.Error("the audio was not closed")
	}
}

// Audio the upstream cuts aborts the connection: the client sees an
// error, not a short file.
func TestSpeechCutAborts(t *testing.T) {
	b := &fakeBackend{}
	b.SpeakFunc = func(context.Context, *llm.SpeechRequest) (*llm.AudioStream, error) {
		return &llm.AudioStream{ContentType: "audio/mpeg", Body: &closeCounter{Reader: io.MultiReader(strings.NewReader("\xff\xf3half"), errReader{})}}, nil
	}
	srv := httptest.NewServer(mux(b, 0))
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/v1/audio/speech", "application/json", strings.NewReader(`{"model":"tts-1","input":"x","voice":"alloy"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Error("a cut answer read whole")
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestSpeechErrors(t *testing.T) {
	for _, tt := range []struct {
		name, body   string
		err          error
		status       int
		param        string
		backendCalls int
	}{
		{"no voice", `{"model":"tts-1","input":"x"}`, nil, 400, "voice", 0},
		{"bad format", `{"model":"tts-1","input":"x","voice":"alloy","response_format":"ogg"}`, nil, 400, "response_format", 0},
		{"not JSON", `{"model"`, nil, 400, "<null>", 0},
		{"unknown model", `{"model":"x","input":"x","voice":"alloy"}`, &llm.Error{Kind: llm.KindNotFound, Message: "The model `x` does not exist", Param: "model", Code: "model_not_found"}, 404, "model", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := &fakeBackend{}
			b.SpeakFunc = func(context.Context, *llm.SpeechRequest) (*llm.AudioStream, error) { return nil, tt.err }
			w := do(mux(b, 0), "POST", "/v1/audio/speech", tt.body, nil)
			e := errorBody(t, w)
			if w.Code != tt.status || str(e.Param) != tt.param || b.Calls() != tt.backendCalls || w.Header().Get("Content-Type") != "application/json" {
				t.Errorf("%d %+v, %d calls; want %d on %s", w.Code, e, b.Calls(), tt.status, tt.param)
			}
		})
	}
}
