package openai

import (
	"strings"
	"testing"

	"switchyard/llm"
)

func TestDecodeSpeechRequest(t *testing.T) {
	body := `{"model":"tts-1","input":"Hello there.","voice":"alloy","response_format":"wav","speed":1.25,"instructions":"calm"}`
	req, err := DecodeSpeechRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if req.Model != "tts-1" || req.Input != "Hello there." || req.ResponseFormat != "wav" || string(req.Body) != body {
		t.Errorf("decoded %+v", req)
	}
	if req, err = DecodeSpeechRequest([]byte(`{"model":"m","input":"x","voice":{"id":"voice_123"},"response_format":null,"stream_format":"sse"}`)); err != nil || req.ResponseFormat != "" {
		t.Errorf("a custom voice: %+v, %v", req, err)
	}
	for _, c := range []struct{ body, param, msg string }{
		{`{"input":"x","voice":"alloy"}`, "model", "Missing required parameter"},
		{`{"model":"m","voice":"alloy"}`, "input", "Missing required parameter"},
		{`{"model":"m","input":"x"}`, "voice", "Missing required parameter"},
		{`{"model":"m","input":"","voice":"alloy"}`, "input", "empty string"},
		{`{"model":"m","input":"` + strings.Repeat("é", 4097) + `","voice":"alloy"}`, "input", "maximum length 4096"},
		{`{"model":"m","input":"x","voice":"alloy","response_format":"ogg"}`, "response_format", "'mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'"},
		{`{"model":"m","input":"x","voice":"alloy","speed":5}`, "speed", "0.25 to 4.0"},
		{`{"model":"m","input":"x","voice":"alloy","stream_format":"chunks"}`, "stream_format", "'sse', 'audio'"},
		{`{"model":"","input":"x","voice":"alloy"}`, "model", "empty string"},
		{`{"model":"m","input":"x","voice":3}`, "voice", "expected a string"},
		{`{"model":"m"`, "", "parse the JSON"},
	} {
		_, err := DecodeSpeechRequest([]byte(c.body))
		e, ok := err.(*llm.Error)
		if !ok || e.Kind != llm.KindInvalidRequest || e.Param != c.param || !strings.Contains(e.Message, c.msg) {
			t.Errorf("%.80s: %v (param %q); want %q on %q", c.body, err, paramOf(err), c.msg, c.param)
		}
	}
}

// FuzzDecodeSpeechRequest: any body decodes or fails with an
// invalid_request error; a decoded one has its required fields and
// body, and keeps them with its model replaced.
func FuzzDecodeSpeechRequest(f *testing.F) {
	for _, s := range []string{`{"model":"tts-1","input":"Hi","voice":"alloy","response_format":"mp3","speed":1}`, `{"model":"m","input":"x","voice":{"id":"v"}}`, `{"input":"\ud83d\ude00"}`, `{}`, `{"speed":1e999}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := DecodeSpeechRequest(data)
		if err != nil {
			if e, ok := err.(*llm.Error); !ok || e.Kind != llm.KindInvalidRequest {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		if req.Model == "" || req.Input == "" || string(req.Body) != string(data) || llm.SpeechContentType(req.ResponseFormat) == "" {
			t.Fatalf("decoded %+v", req)
		}
		again, err := DecodeSpeechRequest(WithModel(data, "m-2"))
		if err != nil || again.Model != "m-2" || again.Input != req.Input {
			t.Fatalf("WithModel: %+v, %v", again, err)
		}
	})
}
