package openai

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"testing"

	"switchyard/sim"
	wire "switchyard/wire/openai"
)

// editServer serves the models that edit, vary and stream, on OpenAI's
// routes and on Azure's.
func editServer(t *testing.T) (openaiURL, azureURL string) {
	cat := sim.NewCatalog(sim.Profile{Model: "gpt-image-1", Images: true}, sim.Profile{Model: "dall-e-2", Images: true},
		sim.Profile{Model: "dall-e-3", Images: true}, sim.Profile{Model: "gpt-4o-transcribe", Transcription: true}, sim.Profile{Model: "whisper-1", Transcription: true})
	o, a := httptest.NewServer(New(cat, nil)), httptest.NewServer(NewAzure(cat, nil))
	t.Cleanup(o.Close)
	t.Cleanup(a.Close)
	return o.URL, a.URL
}

// postParts posts a multipart form to url: "@name=content" is a file
// part, "name=value" a field.
func postParts(t *testing.T, url string, header map[string]string, parts ...string) (int, http.Header, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		name, value, _ := strings.Cut(p, "=")
		if file, ok := strings.CutPrefix(name, "@"); ok {
			h := make(textproto.MIMEHeader)
			h.Set("Content-Disposition", `form-data; name="`+file+`"; filename="f.png"`)
			h.Set("Content-Type", "image/png")
			w, _ := mw.CreatePart(h)
			w.Write([]byte(value))
			continue
		}
		mw.WriteField(name, value)
	}
	mw.Close()
	h := map[string]string{"Content-Type": mw.FormDataContentType()}
	for k, v := range header {
		if k != "Content-Type" {
			h[k] = v
		}
	}
	return do(t, http.DefaultClient, "POST", url, b.String(), h)
}

// events splits an event stream, checking each event's name line (when
// named) against its data's type; it returns the data.
func events(t *testing.T, body string, named bool) [][]byte {
	t.Helper()
	er := wire.NewEventReader(strings.NewReader(body), 0)
	var out [][]byte
	for {
		ev, err := er.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("%v in %q", err, body)
		}
		data := wire.EventData(ev)
		var v struct{ Type string }
		json.Unmarshal(data, &v)
		if name, _, _ := strings.Cut(strings.TrimPrefix(string(ev), "event: "), "\n"); named && (!strings.HasPrefix(string(ev), "event: ") || name != v.Type) {
			t.Errorf("event %q is not named by its type %q", ev, v.Type)
		}
		out = append(out, data)
	}
}

// The simulator's edits and variations answer as the documented
// ImagesResponse; Azure serves edits on its deployment route.
func TestImageEditShapes(t *testing.T) {
	url, azure := editServer(t)
	status, _, body := postParts(t, url+"/v1/images/edits", bearer, "@image[]=a", "@image[]=b", "@mask=m", "prompt=a gift basket", "model=gpt-image-1", "quality=low")
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	sameShape(t, "edit", []byte(body), "images_default_response.json", "background", "output_format", "quality", "size")
	status, _, body = postParts(t, url+"/v1/images/variations", bearer, "@image=a", "n=2", "size=1024x1024")
	if status != 200 || strings.Count(body, `"url":"https://`) != 2 {
		t.Fatalf("variation %d %s", status, body)
	}
	sameShape(t, "variation", []byte(body), "image_variations_default_response.json")
	status, _, body = postParts(t, azure+"/openai/deployments/gpt-image-1/images/edits?api-version=2025-04-01-preview", map[string]string{"Api-Key": "k"}, "@image=a", "prompt=x")
	if status != 200 || !strings.Contains(body, `"b64_json"`) {
		t.Errorf("azure edit %d %s", status, body)
	}
}

// The simulator refuses edits and variations as the API does.
func TestImageEditErrors(t *testing.T) {
	url, azure := editServer(t)
	for _, c := range []struct {
		name, path string
		parts      []string
		status     int
		param      string
	}{
		{"dall-e-3 edits nothing", "/v1/images/edits", []string{"@image=a", "prompt=x", "model=dall-e-3"}, 400, "model"},
		{"only dall-e-2 varies", "/v1/images/variations", []string{"@image=a", "model=gpt-image-1"}, 400, "model"},
		{"dall-e-2 edits one image", "/v1/images/edits", []string{"@image[]=a", "@image[]=b", "prompt=x", "model=dall-e-2"}, 400, "image"},
		{"dall-e-2 does not stream", "/v1/images/edits", []string{"@image=a", "prompt=x", "model=dall-e-2", "stream=true"}, 400, "stream"},
		{"a size dall-e-2 does not make", "/v1/images/variations", []string{"@image=a", "size=1536x1024"}, 400, "size"},
		{"no prompt", "/v1/images/edits", []string{"@image=a", "model=gpt-image-1"}, 400, "prompt"},
		{"an unknown model", "/v1/images/edits", []string{"@image=a", "prompt=x", "model=nope"}, 404, "model"},
	} {
		status, _, body := postParts(t, url+c.path, bearer, c.parts...)
		if status != c.status || !strings.Contains(body, `"param":"`+c.param+`"`) {
			t.Errorf("%s: %d %s", c.name, status, body)
		}
	}
	if status, _, body := do(t, http.DefaultClient, "POST", url+"/v1/images/generations", `{"model":"dall-e-3","prompt":"x","stream":true}`, bearer); status != 400 || !strings.Contains(body, `"param":"stream"`) {
		t.Errorf("dall-e-3 stream: %d %s", status, body)
	}
	if status, _, _ := postParts(t, azure+"/openai/deployments/dall-e-2/images/variations?api-version=2025-04-01-preview", map[string]string{"Api-Key": "k"}, "@image=a"); status != 404 {
		t.Errorf("azure variations: %d, want 404 (Azure has none)", status)
	}
}

// Streamed images and transcription answer the documented events: each
// partial image, then the completed one with its usage (named by event:
// lines); transcript deltas that make the done event's text.
func TestMediaStreamShapes(t *testing.T) {
	url, _ := editServer(t)
	status, h, body := do(t, http.DefaultClient, "POST", url+"/v1/images/generations", `{"model":"gpt-image-1","prompt":"an otter","stream":true,"partial_images":2,"quality":"high"}`, bearer)
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("%d %v %s", status, h, body)
	}
	evs := events(t, body, true)
	if len(evs) != 3 {
		t.Fatalf("%d events: %s", len(evs), body)
	}
	sameShape(t, "partial image", evs[0], "images_partial_image_event.json")
	sameShape(t, "completed", evs[2], "images_completed_event.json")
	if !strings.Contains(string(evs[1]), `"partial_image_index":1`) || !strings.Contains(string(evs[2]), `"output_tokens":4360`) {
		t.Errorf("events %s", body)
	}

	status, _, body = postParts(t, url+"/v1/images/edits", bearer, "@image=a", "prompt=x", "model=gpt-image-1", "stream=true", "partial_images=1")
	evs = events(t, body, true)
	if status != 200 || len(evs) != 2 {
		t.Fatalf("edit stream %d %s", status, body)
	}
	sameShape(t, "edit partial image", evs[0], "image_edits_partial_image_event.json")
	sameShape(t, "edit completed", evs[1], "image_edits_completed_event.json")

	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	w, _ := mw.CreateFormFile("file", "audio.mp3")
	w.Write(make([]byte, 16000*8))
	mw.WriteField("model", "gpt-4o-transcribe")
	mw.WriteField("stream", "true")
	mw.Close()
	status, h, body = do(t, http.DefaultClient, "POST", url+"/v1/audio/transcriptions", b.String(), map[string]string{"Authorization": "Bearer k", "Content-Type": mw.FormDataContentType()})
	evs = events(t, body, false)
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/event-stream") || len(evs) < 3 || strings.Contains(body, "event:") {
		t.Fatalf("transcription stream %d %s", status, body)
	}
	var text strings.Builder
	for _, ev := range evs[:len(evs)-1] {
		sameShape(t, "delta", ev, "transcript_text_delta_event.json")
		var d struct{ Delta string }
		json.Unmarshal(ev, &d)
		text.WriteString(d.Delta)
	}
	sameShape(t, "done", evs[len(evs)-1], "transcript_text_done_event.json")
	if done, _ := wire.DecodeMediaEvent(evs[len(evs)-1]); !done.Final || done.Usage.AudioPromptTokens != 81 || !strings.Contains(string(evs[len(evs)-1]), `"text":"`+text.String()+`"`) {
		t.Errorf("done %s after %q", evs[len(evs)-1], text.String())
	}
}
