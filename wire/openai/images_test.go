package openai

import (
	"strings"
	"testing"

	"switchyard/llm"
)

func TestDecodeImageRequest(t *testing.T) {
	body := `{"model":"dall-e-3","prompt":"a red fox","n":1,"size":"1792x1024","quality":"hd","response_format":"b64_json","style":"vivid","user":"u1"}`
	req, err := DecodeImageRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if req.Model != "dall-e-3" || req.Prompt != "a red fox" || req.N != 1 || req.Size != "1792x1024" || req.Quality != "hd" || string(req.Body) != body {
		t.Errorf("decoded %+v", req)
	}
	req, err = DecodeImageRequest([]byte(`{"prompt":"x","model":null,"n":null,"size":null}`))
	if err != nil || req.Model != DefaultImageModel || req.N != 1 || req.Size != "" {
		t.Errorf("defaults: %+v, %v", req, err)
	}
	for _, c := range []struct{ body, param, msg string }{
		{`{"model":"dall-e-3"}`, "prompt", "Missing required parameter"},
		{`{"prompt":""}`, "prompt", "empty string"},
		{`{"prompt":5}`, "prompt", "expected a string"},
		{`{"prompt":"x","n":0}`, "n", "from 1 to 10"},
		{`{"prompt":"x","n":11}`, "n", "from 1 to 10"},
		{`{"prompt":"x","n":1.5}`, "n", "integer"},
		{`{"prompt":"x","model":""}`, "model", "empty string"},
		{`{"prompt":"x","response_format":"png"}`, "response_format", "'url', 'b64_json'"},
		{`{"prompt":"x","stream":"yes"}`, "stream", "boolean"},
		{`{"prompt":"x","stream":true,"partial_images":4}`, "partial_images", "from 0 to 3"},
		{`{"prompt":"x","partial_images":-1}`, "partial_images", "from 0 to 3"},
		{`{"prompt":"x",}`, "", "parse the JSON"},
		{`[]`, "", "JSON object"},
	} {
		_, err := DecodeImageRequest([]byte(c.body))
		e, ok := err.(*llm.Error)
		if !ok || e.Kind != llm.KindInvalidRequest || e.Param != c.param || !strings.Contains(e.Message, c.msg) {
			t.Errorf("%s: %v (param %q); want %q on %q", c.body, err, paramOf(err), c.msg, c.param)
		}
	}
}

func paramOf(err error) string {
	if e, ok := err.(*llm.Error); ok {
		return e.Param
	}
	return ""
}

func TestWithModel(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"model":"route-x","prompt":"p"}`, `{"model":"dall-e-3","prompt":"p"}`},
		{`{"prompt":"p", "model" : "a\"b" ,"n":1}`, `{"prompt":"p", "model" : "dall-e-3" ,"n":1}`},
		{`{"prompt":"p"}`, `{"model":"dall-e-3","prompt":"p"}`},
		{` { } `, ` {"model":"dall-e-3" } `},
		{`{"model":null}`, `{"model":"dall-e-3"}`},
		{`{"x":{"model":"inner"},"model":"m"}`, `{"x":{"model":"inner"},"model":"dall-e-3"}`},
	} {
		if got := string(WithModel([]byte(c.in), "dall-e-3")); got != c.want {
			t.Errorf("WithModel(%s) = %s, want %s", c.in, got, c.want)
		}
	}
}

// TestDecodeImageResponse reads OpenAI's documented answers: dall-e-3 by
// URL with a revised prompt, and gpt-image-1 with its size, quality and
// usage.
func TestDecodeImageResponse(t *testing.T) {
	dalle := `{"created":1713833628,"data":[{"url":"https://example.com/a.png","revised_prompt":"A cute baby sea otter"}]}`
	r, err := DecodeImageResponse([]byte(dalle))
	if err != nil || r.Images != 1 || r.Size != "" || r.Usage.TotalTokens != 0 || string(r.Body) != dalle {
		t.Errorf("dall-e-3: %+v, %v", r, err)
	}
	gpt := `{"created":1713833628,"data":[{"b64_json":"iVBO"},{"b64_json":"iVBO"}],"background":"opaque","output_format":"png","quality":"high","size":"1024x1536",
	"usage":{"total_tokens":100,"input_tokens":50,"output_tokens":50,"input_tokens_details":{"text_tokens":10,"image_tokens":40}}}`
	r, err = DecodeImageResponse([]byte(gpt))
	if err != nil || r.Images != 2 || r.Size != "1024x1536" || r.Quality != "high" || r.Usage != (llm.Usage{PromptTokens: 50, CompletionTokens: 50, TotalTokens: 100}) {
		t.Errorf("gpt-image-1: %+v, %v", r, err)
	}
	for _, bad := range []string{`{"data":[]}`, `{"created":1}`, `{"error":{"message":"x"}}`, `[`} {
		if _, err := DecodeImageResponse([]byte(bad)); err == nil {
			t.Errorf("%s decoded", bad)
		}
	}
}

// FuzzDecodeImageRequest: any body decodes or fails with an
// invalid_request error, never panics; a decoded one keeps its body, and
// WithModel of it is valid JSON that decodes to the new model.
func FuzzDecodeImageRequest(f *testing.F) {
	for _, s := range []string{`{"model":"dall-e-3","prompt":"a fox","n":2,"size":"1024x1024"}`, `{"prompt":"x","model":null}`, `{"prompt":"\u00e9","stream":false}`, `{}`, `[`, `{"prompt":"x","n":1e400}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := DecodeImageRequest(data)
		if err != nil {
			if e, ok := err.(*llm.Error); !ok || e.Kind != llm.KindInvalidRequest {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		if string(req.Body) != string(data) || req.Prompt == "" || req.N < 1 {
			t.Fatalf("decoded %+v", req)
		}
		again, err := DecodeImageRequest(WithModel(data, "m-2"))
		if err != nil || again.Model != "m-2" || again.Prompt != req.Prompt {
			t.Fatalf("WithModel: %+v, %v (from %s)", again, err, WithModel(data, "m-2"))
		}
	})
}
