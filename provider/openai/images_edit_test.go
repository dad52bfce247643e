package openai

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"switchyard/llm"
)

// editRequest is a gpt-image-1 edit of one image with a mask.
func editRequest(model string, stream bool) *llm.ImageEditRequest {
	req := &llm.ImageEditRequest{Model: model, Prompt: "add a hat", N: 1, Stream: stream, Parts: []llm.FormPart{
		{Name: "image[]", File: true, FileName: "a.png", ContentType: "image/png", Value: []byte("png")},
		{Name: "mask", File: true, FileName: "m.png", ContentType: "image/png", Value: []byte("mask")},
		{Name: "model", Value: []byte("editor")},
		{Name: "prompt", Value: []byte("add a hat")},
	}}
	if stream {
		req.Parts = append(req.Parts, llm.FormPart{Name: "stream", Value: []byte("true")})
	}
	return req
}

// TestEditImages edits through the simulated OpenAI and Azure OpenAI,
// and varies through OpenAI: the answers relayed with what the cost
// needs.
func TestEditImages(t *testing.T) {
	for _, kind := range []string{KindOpenAI, KindAzure} {
		c := newEnv(t, kind, testKey).c
		resp, err := c.EditImages(context.Background(), editRequest("gpt-image-1", false))
		if err != nil || resp.Images != 1 || resp.Size != "1024x1024" || resp.Usage.TotalTokens == 0 {
			t.Errorf("%s: %+v, %v", kind, resp, err)
		}
	}
	c := newEnv(t, KindOpenAI, testKey).c
	_, err := c.EditImages(context.Background(), &llm.ImageEditRequest{Variation: true, Model: "gpt-image-1", N: 1,
		Parts: []llm.FormPart{{Name: "image", File: true, FileName: "a.png", Value: []byte("png")}}})
	if e := asLLM(t, err); e.Kind != llm.KindInvalidRequest || e.Param != "model" {
		t.Errorf("a gpt-image-1 variation: %+v", e)
	}
}

// TestEditImagesSends checks the upstream's path (OpenAI's, Azure's
// deployment route; variations) and form: the parts in order, the model
// replaced.
func TestEditImagesSends(t *testing.T) {
	answer := `{"created":1,"data":[{"url":"https://example.com/a.png"}]}`
	for _, c := range []struct {
		kind, suffix, path string
		variation          bool
	}{
		{KindOpenAI, "/v1", "/v1/images/edits", false},
		{KindOpenAI, "/v1", "/v1/images/variations", true},
		{KindAzure, "", "/openai/deployments/img-prod/images/edits", false},
	} {
		rec := &recorder{body: answer}
		cl := serve(t, rec, c.kind, c.suffix, testKey)
		req := editRequest("img-prod", false)
		req.Variation = c.variation
		if _, err := cl.EditImages(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		hr, body := rec.last(t)
		image, mask, model := strings.Index(body, `name="image[]"`), strings.Index(body, `name="mask"`), strings.Index(body, "name=\"model\"\r\n\r\nimg-prod\r\n")
		if hr.URL.Path != c.path || !strings.HasPrefix(hr.Header.Get("Content-Type"), "multipart/form-data; boundary=") || image < 0 || mask < image || model < mask || strings.Contains(body, "editor") {
			t.Errorf("%s: sent %s %q", c.kind, hr.URL, body)
		}
	}
}

// TestStreamMedia streams a transcription, an image and an edit from the
// simulated OpenAI: event streams read as they come; a 2xx that is no
// event stream is an error.
func TestStreamMedia(t *testing.T) {
	c := newEnv(t, KindOpenAI, testKey).c
	for name, req := range map[string]*llm.MediaStreamRequest{
		"image": {Images: &llm.ImageRequest{Model: "gpt-image-1", Prompt: "p", N: 1, Stream: true, Body: []byte(`{"prompt":"p","stream":true,"partial_images":1}`)}},
		"edit":  {Edit: editRequest("gpt-image-1", true)},
	} {
		body, err := c.StreamMedia(context.Background(), req)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		data, _ := io.ReadAll(body)
		body.Close()
		if !strings.HasPrefix(string(data), "event: image_") || !strings.Contains(string(data), ".completed\n") {
			t.Errorf("%s: %s", name, data)
		}
	}
	rec := &recorder{body: `{"text":"whole"}`, header: map[string]string{"Content-Type": "application/json"}}
	cl := serve(t, rec, KindOpenAI, "/v1", testKey)
	_, err := cl.StreamMedia(context.Background(), &llm.MediaStreamRequest{Transcription: &llm.TranscriptionRequest{Model: "m", File: []byte("a"), FileName: "a.wav", Stream: true,
		Fields: []llm.FormField{{Name: "stream", Value: "true"}}}})
	if e := asLLM(t, err); e.Kind != llm.KindUpstream {
		t.Errorf("a JSON answer: %+v", e)
	}
	hr, body := rec.last(t)
	if hr.URL.Path != "/v1/audio/transcriptions" || hr.Header.Get("Accept") != "text/event-stream" || !strings.Contains(body, "name=\"stream\"\r\n\r\ntrue") {
		t.Errorf("sent %s %v %q", hr.URL, hr.Header, body)
	}
	rec = &recorder{status: http.StatusBadRequest, body: `{"error":{"message":"no","type":"invalid_request_error","param":"stream"}}`}
	cl = serve(t, rec, KindOpenAI, "/v1", testKey)
	_, err = cl.StreamMedia(context.Background(), &llm.MediaStreamRequest{Edit: editRequest("m", true)})
	if e := asLLM(t, err); e.Kind != llm.KindInvalidRequest || e.Param != "stream" {
		t.Errorf("a 400: %+v", e)
	}
}
