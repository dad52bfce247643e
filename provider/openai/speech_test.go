package openai

import (
	"context"
	"io"
	"net/http"
	"testing"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// TestSpeak asks the simulated OpenAI and Azure OpenAI for speech: the
// audio as the upstream streamed it, typed by its Content-Type.
func TestSpeak(t *testing.T) {
	for _, kind := range []string{KindOpenAI, KindAzure} {
		for format, magic := range map[string]string{"": "\xff\xf3", "wav": "RIFF", "flac": "fLaC"} {
			c := newEnv(t, kind, testKey).c
			body := `{"model":"speech","input":"Hello there, how are you today?","voice":"alloy"}`
			if format != "" {
				body = `{"model":"speech","input":"Hello there, how are you today?","voice":"alloy","response_format":"` + format + `"}`
			}
			req, err := wire.DecodeSpeechRequest([]byte(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Model = "tts-1"
			a, err := c.Speak(context.Background(), req)
			if err != nil {
				t.Fatalf("%s %s: %v", kind, format, err)
			}
			data, err := io.ReadAll(a.Body)
			a.Body.Close()
			if err != nil || a.ContentType != llm.SpeechContentType(format) || len(data) < 1000 || string(data[:len(magic)]) != magic {
				t.Errorf("%s %s: %s, %d bytes %q, %v", kind, format, a.ContentType, len(data), data[:min(8, len(data))], err)
			}
		}
	}
	c := newEnv(t, KindOpenAI, testKey).c
	_, err := c.Speak(context.Background(), &llm.SpeechRequest{Model: "tts-1", Input: "x", Body: []byte(`{"input":"x","voice":"nobody"}`)})
	if e := asLLM(t, err); e.Kind != llm.KindInvalidRequest || e.Param != "voice" {
		t.Errorf("an unknown voice: %+v", e)
	}
}

// TestSpeakSends checks the path, the body with the model replaced, and
// what a 2xx JSON answer and a missing Content-Type become.
func TestSpeakSends(t *testing.T) {
	rec := &recorder{body: "ID3audio", header: map[string]string{"Content-Type": ""}}
	c := serve(t, rec, KindAzure, "", testKey)
	a, err := c.Speak(context.Background(), &llm.SpeechRequest{Model: "tts-prod", Input: "x", ResponseFormat: "opus", Body: []byte(`{"model":"speech","input":"x","voice":"alloy","response_format":"opus"}`)})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(a.Body)
	a.Body.Close()
	hr, body := rec.last(t)
	if hr.URL.Path != "/openai/deployments/tts-prod/audio/speech" || body != `{"model":"tts-prod","input":"x","voice":"alloy","response_format":"opus"}` || string(data) != "ID3audio" || a.ContentType != "audio/opus" {
		t.Errorf("sent %s %s; got %s %q", hr.URL, body, a.ContentType, data)
	}
	for _, c := range []struct {
		status int
		body   string
		kind   llm.ErrorKind
	}{
		{http.StatusOK, `{"error":{"message":"nope","type":"invalid_request_error"}}`, llm.KindInvalidRequest},
		{http.StatusOK, `{"object":"list"}`, llm.KindUpstream},
		{http.StatusTooManyRequests, `{"error":{"message":"slow down","type":"requests"}}`, llm.KindRateLimit},
	} {
		cl := serve(t, &recorder{status: c.status, body: c.body, header: map[string]string{"Content-Type": "application/json"}}, KindOpenAI, "/v1", testKey)
		_, err := cl.Speak(context.Background(), &llm.SpeechRequest{Model: "tts-1", Input: "x", Body: []byte(`{"input":"x","voice":"alloy"}`)})
		if e := asLLM(t, err); e.Kind != c.kind {
			t.Errorf("%d %s: %s", c.status, c.body, e.Kind)
		}
	}
}
