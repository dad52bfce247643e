package openai_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	apiopenai "switchyard/api/openai"
	"switchyard/llm"
)

// upload is a multipart transcription form with a file of n bytes and
// the fields; it returns the body and its Content-Type.
func upload(n int, fields ...string) (string, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	w, _ := mw.CreateFormFile("file", "talk.mp3")
	w.Write(bytes.Repeat([]byte{0xff}, n))
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	mw.Close()
	return b.String(), mw.FormDataContentType()
}

// The upstream's answer reaches the client as it came, in its format,
// with the router's headers; the form reaches the backend decoded.
func TestTranscriptionsRelayed(t *testing.T) {
	const srt = "1\n00:00:00,000 --> 00:00:02,000\nHello.\n\n"
	b := &fakeBackend{Served: llm.Served{Deployment: "whisper-1", CostUSD: 0.0002}}
	b.TranscribeFunc = func(_ context.Context, req *llm.TranscriptionRequest) (*llm.TranscriptionResponse, error) {
		if req.Model != "whisper-1" || len(req.File) != 1000 || req.FileName != "talk.mp3" || req.ResponseFormat != "srt" || !req.Translate || len(req.Fields) != 1 || req.Fields[0].Value != "Names: Zyx." {
			return nil, fmt.Errorf("backend got %+v", req)
		}
		return &llm.TranscriptionResponse{ContentType: "text/plain; charset=utf-8", Seconds: 2, Body: []byte(srt)}, nil
	}
	body, ct := upload(1000, "model", "whisper-1", "response_format", "srt", "prompt", "Names: Zyx.")
	w := do(mux(b, 0), "POST", "/v1/audio/translations", body, map[string]string{"Content-Type": ct})
	if w.Code != 200 || w.Body.String() != srt || w.Header().Get("Content-Type") != "text/plain; charset=utf-8" || w.Header().Get(apiopenai.HeaderCost) != "0.0002" {
		t.Fatalf("%d %v %q", w.Code, w.Header(), w.Body)
	}
}

// The upload's own bound (MaxAudioBytes) applies, not MaxBodyBytes.
func TestTranscriptionsLimits(t *testing.T) {
	b := &fakeBackend{}
	h := &apiopenai.Handler{Backend: b, MaxBodyBytes: 100, MaxAudioBytes: 4000}
	m := http.NewServeMux()
	h.Mount(m)
	body, ct := upload(2000, "model", "whisper-1")
	if w := do(m, "POST", "/v1/audio/transcriptions", body, map[string]string{"Content-Type": ct}); w.Code != 200 {
		t.Errorf("2000 bytes under a 4000-byte audio limit: %d %s", w.Code, w.Body)
	}
	body, ct = upload(5000, "model", "whisper-1")
	w := do(m, "POST", "/v1/audio/transcriptions", body, map[string]string{"Content-Type": ct})
	if e := errorBody(t, w); w.Code != 413 || !strings.Contains(e.Message, "server.max_audio_bytes") {
		t.Errorf("5000 bytes: %d %+v", w.Code, e)
	}
	// Without a Content-Length the bound holds while reading.
	r := httptest.NewRequest("POST", "/v1/audio/transcriptions", strings.NewReader(body))
	r.ContentLength = -1
	r.Header.Set("Content-Type", ct)
	rw := httptest.NewRecorder()
	m.ServeHTTP(rw, r)
	if rw.Code != 413 {
		t.Errorf("5000 bytes, no length: %d %s", rw.Code, rw.Body)
	}
}

func TestTranscriptionsErrors(t *testing.T) {
	okForm, okType := upload(10, "model", "whisper-1")
	noFile := "--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n--b--\r\n"
	for _, tt := range []struct {
		name, body, ct string
		err            error
		status         int
		param          string
		backendCalls   int
	}{
		{"not multipart", `{"model":"whisper-1"}`, "application/json", nil, 400, "<null>", 0},
		{"no file", noFile, "multipart/form-data; boundary=b", nil, 400, "file", 0},
		{"a broken form", "--b\r\ngarbage", "multipart/form-data; boundary=b", nil, 400, "<null>", 0},
		{"unknown model", okForm, okType, &llm.Error{Kind: llm.KindNotFound, Message: "The model `x` does not exist", Param: "model", Code: "model_not_found"}, 404, "model", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := &fakeBackend{}
			b.TranscribeFunc = func(context.Context, *llm.TranscriptionRequest) (*llm.TranscriptionResponse, error) {
				return nil, tt.err
			}
			w := do(mux(b, 0), "POST", "/v1/audio/transcriptions", tt.body, map[string]string{"Content-Type": tt.ct})
			e := errorBody(t, w)
			if w.Code != tt.status || str(e.Param) != tt.param || b.Calls() != tt.backendCalls {
				t.Errorf("%d %+v, %d calls; want %d on %s", w.Code, e, b.Calls(), tt.status, tt.param)
			}
		})
	}
}
