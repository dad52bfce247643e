package openai

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"switchyard/sim"
)

// shape lists the member paths of a JSON document: "usage.input_tokens",
// "segments[].id".
func shape(t *testing.T, doc []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatalf("%v: %s", err, doc)
	}
	var out []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				p := strings.TrimPrefix(prefix+"."+k, ".")
				out = append(out, p)
				walk(p, x)
			}
		case []any:
			for _, x := range v {
				walk(prefix+"[]", x)
			}
		}
	}
	walk("", v)
	sort.Strings(out)
	return slices.Compact(out)
}

// sameShape checks that the simulator's answer has every member of the
// documented example, and no member but those and extra.
func sameShape(t *testing.T, name string, got []byte, fixture string, extra ...string) {
	t.Helper()
	want, err := os.ReadFile(filepath.Join("..", "..", "wire", "openai", "testdata", "spec", fixture))
	if err != nil {
		t.Fatal(err)
	}
	g, w := shape(t, got), shape(t, want)
	for _, p := range w {
		if !slices.Contains(g, p) {
			t.Errorf("%s: no %s, which %s has: %s", name, p, fixture, got)
		}
	}
	for _, p := range g {
		if !slices.Contains(w, p) && !slices.Contains(extra, p) {
			t.Errorf("%s: %s, which %s does not have", name, p, fixture)
		}
	}
}

func mediaServer(t *testing.T) string {
	cat := sim.NewCatalog(sim.Profile{Model: "gpt-image-1", Images: true}, sim.Profile{Model: "dall-e-3", Images: true},
		sim.Profile{Model: "whisper-1", Transcription: true}, sim.Profile{Model: "gpt-4o-transcribe", Transcription: true})
	srv := httptest.NewServer(New(cat, nil))
	t.Cleanup(srv.Close)
	return srv.URL
}

// The simulator's media answers have the shapes of OpenAI's documented
// examples (wire/openai/testdata/spec).
func TestMediaShapes(t *testing.T) {
	url := mediaServer(t)
	status, _, body := do(t, http.DefaultClient, "POST", url+"/v1/images/generations", `{"model":"gpt-image-1","prompt":"A cute baby sea otter","n":1,"size":"1024x1024"}`, bearer)
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	// gpt-image-1 also reports what it made (ImagesResponse's optional members).
	sameShape(t, "gpt-image-1", []byte(body), "images_default_response.json", "background", "output_format", "quality", "size")
	status, _, body = do(t, http.DefaultClient, "POST", url+"/v1/images/generations", `{"model":"dall-e-3","prompt":"A cute baby sea otter"}`, bearer)
	if status != 200 || !strings.Contains(body, `"url":"https://`) || !strings.Contains(body, `"revised_prompt"`) || strings.Contains(body, "usage") {
		t.Errorf("dall-e-3: %d %s", status, body)
	}

	for _, c := range []struct {
		path, model, format, fixture string
	}{
		{"/v1/audio/transcriptions", "gpt-4o-transcribe", "", "transcriptions_default_response.json"},
		{"/v1/audio/transcriptions", "whisper-1", "verbose_json", "transcriptions_segments_response.json"},
		{"/v1/audio/translations", "whisper-1", "", "translations_default_response.json"},
	} {
		status, _, body := upload(t, url+c.path, c.model, c.format)
		if status != 200 {
			t.Fatalf("%s %s: %d %s", c.path, c.model, status, body)
		}
		sameShape(t, c.path+" "+c.model, []byte(body), c.fixture)
	}
}

// upload posts a multipart transcription form.
func upload(t *testing.T, url, model, format string) (int, http.Header, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	w, _ := mw.CreateFormFile("file", "audio.mp3")
	w.Write(make([]byte, 16000*8))
	mw.WriteField("model", model)
	if format != "" {
		mw.WriteField("response_format", format)
	}
	mw.Close()
	return do(t, http.DefaultClient, "POST", url, b.String(), map[string]string{"Authorization": "Bearer sk-sim", "Content-Type": mw.FormDataContentType()})
}
