package openai

import (
	"bytes"
	"mime/multipart"
	"net/textproto"
	"strings"
	"testing"

	"switchyard/llm"
)

// editForm writes a multipart form of parts: "@name=content" is a file
// part, "name=value" a field.
func editForm(t testing.TB, parts ...string) ([]byte, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		name, value, _ := strings.Cut(p, "=")
		if file, ok := strings.CutPrefix(name, "@"); ok {
			h := make(textproto.MIMEHeader)
			h.Set("Content-Disposition", `form-data; name="`+file+`"; filename="`+file+`.png"`)
			h.Set("Content-Type", "image/png")
			w, _ := mw.CreatePart(h)
			w.Write([]byte(value))
			continue
		}
		mw.WriteField(name, value)
	}
	mw.Close()
	return b.Bytes(), mw.Boundary()
}

func TestDecodeImageEditForm(t *testing.T) {
	body, boundary := editForm(t, "@image[]=png1", "@image[]=png2", "@mask=maskpng", "prompt=a hat", "model=gpt-image-1", "n=2", "size=1024x1536", "quality=high", "input_fidelity=high", "background=transparent", "stream=true", "partial_images=2")
	req, err := DecodeImageEditForm(bytes.NewReader(body), boundary, false)
	if err != nil {
		t.Fatal(err)
	}
	if req.Model != "gpt-image-1" || req.Prompt != "a hat" || req.N != 2 || req.Size != "1024x1536" || req.Quality != "high" || !req.Stream || len(req.Parts) != 12 {
		t.Fatalf("decoded %+v", req)
	}
	if p := req.Parts[2]; !p.File || p.Name != "mask" || string(p.Value) != "maskpng" || p.FileName != "mask.png" || p.ContentType != "image/png" {
		t.Errorf("mask %+v", p)
	}
	// Upstream: the same parts in order, the model replaced.
	up := *req
	up.Model = "my-deployment"
	data, ct := EncodeImageEditForm(&up)
	again, err := DecodeImageEditForm(bytes.NewReader(data), strings.TrimPrefix(ct, "multipart/form-data; boundary="), false)
	if err != nil || again.Model != "my-deployment" || len(again.Parts) != len(req.Parts) {
		t.Fatalf("re-encoded: %+v, %v", again, err)
	}
	for i := range req.Parts {
		a, b := req.Parts[i], again.Parts[i]
		if a.Name != b.Name || a.File != b.File || a.FileName != b.FileName || a.ContentType != b.ContentType || a.Name != "model" && string(a.Value) != string(b.Value) {
			t.Errorf("part %d: %+v, sent %+v", i, a, b)
		}
	}
	// Defaults: a variation's model is dall-e-2, an edit's gpt-image-1.5;
	// a model the client left out goes first upstream.
	body, boundary = editForm(t, "@image=png")
	req, err = DecodeImageEditForm(bytes.NewReader(body), boundary, true)
	if err != nil || req.Model != "dall-e-2" || req.N != 1 || !req.Variation {
		t.Fatalf("variation %+v, %v", req, err)
	}
	data, _ = EncodeImageEditForm(req)
	if !bytes.Contains(data[:200], []byte(`name="model"`+"\r\n\r\ndall-e-2")) {
		t.Errorf("no model sent first: %q", data[:200])
	}
	body, boundary = editForm(t, "@image=png", "prompt=x")
	if req, err = DecodeImageEditForm(bytes.NewReader(body), boundary, false); err != nil || req.Model != DefaultImageEditModel {
		t.Errorf("edit default %+v, %v", req, err)
	}
}

func TestDecodeImageEditFormErrors(t *testing.T) {
	for _, c := range []struct {
		name       string
		variation  bool
		parts      []string
		param, msg string
	}{
		{"no image", false, []string{"prompt=x"}, "image", "Missing required parameter: 'image'"},
		{"no prompt", false, []string{"@image=p"}, "prompt", "Missing required parameter: 'prompt'"},
		{"empty prompt", false, []string{"@image=p", "prompt="}, "prompt", "empty string"},
		{"empty image", false, []string{"@image[]=", "prompt=x"}, "image", "the file is empty"},
		{"empty mask", false, []string{"@image=p", "@mask=", "prompt=x"}, "mask", "the file is empty"},
		{"n 0", false, []string{"@image=p", "prompt=x", "n=0"}, "n", "from 1 to 10"},
		{"n 11", true, []string{"@image=p", "n=11"}, "n", "from 1 to 10"},
		{"n text", true, []string{"@image=p", "n=two"}, "n", "from 1 to 10"},
		{"empty model", true, []string{"@image=p", "model="}, "model", "empty string"},
		{"bad format", true, []string{"@image=p", "response_format=png"}, "response_format", "'url', 'b64_json'"},
		{"bad stream", false, []string{"@image=p", "prompt=x", "stream=yes"}, "stream", "boolean"},
		{"bad partial_images", false, []string{"@image=p", "prompt=x", "partial_images=4"}, "partial_images", "from 0 to 3"},
		{"two variation images", true, []string{"@image=p", "@image=q"}, "image", "too many images"},
		{"huge prompt", false, []string{"@image=p", "prompt=" + strings.Repeat("p", maxFormField+1)}, "prompt", "over 65536 bytes"},
	} {
		body, boundary := editForm(t, c.parts...)
		_, err := DecodeImageEditForm(bytes.NewReader(body), boundary, c.variation)
		e, ok := err.(*llm.Error)
		if !ok || e.Kind != llm.KindInvalidRequest || e.Param != c.param || !strings.Contains(e.Message, c.msg) {
			t.Errorf("%s: %v; want %q on %q", c.name, err, c.msg, c.param)
		}
	}
	if _, err := DecodeImageEditForm(strings.NewReader("--b\r\nbroken"), "b", false); err == nil || !strings.Contains(err.Error(), "multipart") {
		t.Errorf("not a form: %v", err)
	}
}

// FuzzDecodeImageEditForm: any body decodes or fails with an
// invalid_request error (no panic, no hang); a decoded one has an image
// and a model, and survives the encoding sent upstream.
func FuzzDecodeImageEditForm(f *testing.F) {
	body, boundary := editForm(f, "@image[]=a", "@mask=m", "prompt=x", "model=gpt-image-1", "stream=true")
	f.Add(body, boundary, false)
	body, boundary = editForm(f, "@image=a", "n=3", "size=256x256")
	f.Add(body, boundary, true)
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nx\r\n--b--\r\n"), "b", true)
	f.Fuzz(func(t *testing.T, data []byte, boundary string, variation bool) {
		req, err := DecodeImageEditForm(bytes.NewReader(data), boundary, variation)
		if err != nil {
			if e, ok := err.(*llm.Error); !ok || e.Kind != llm.KindInvalidRequest {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		if req.Model == "" || len(req.Parts) == 0 {
			t.Fatalf("decoded %+v", req)
		}
		up, ct := EncodeImageEditForm(req)
		again, err := DecodeImageEditForm(bytes.NewReader(up), strings.TrimPrefix(ct, "multipart/form-data; boundary="), variation)
		if err != nil || again.Model != req.Model || again.N != req.N || again.Prompt != req.Prompt || again.Stream != req.Stream {
			t.Fatalf("re-encoded: %+v, %v", again, err)
		}
	})
}
