package openai

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// TestGenerateImages asks the simulated OpenAI and Azure OpenAI for
// images: the answers relayed as they came, with what the cost needs.
func TestGenerateImages(t *testing.T) {
	for _, kind := range []string{KindOpenAI, KindAzure} {
		c := newEnv(t, kind, testKey).c
		req, err := wire.DecodeImageRequest([]byte(`{"model":"my-route","prompt":"a red fox","size":"1792x1024","quality":"hd"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Model = "dall-e-3"
		resp, err := c.GenerateImages(context.Background(), req)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if resp.Images != 1 || !strings.Contains(string(resp.Body), `"revised_prompt":"A detailed rendering of a red fox"`) {
			t.Errorf("%s: %+v %s", kind, resp, resp.Body)
		}
	}
	c := newEnv(t, KindOpenAI, testKey).c
	resp, err := c.GenerateImages(context.Background(), &llm.ImageRequest{Model: "gpt-image-1", Prompt: "p", N: 2, Quality: "high",
		Body: []byte(`{"prompt":"p","n":2,"quality":"high"}`)})
	if err != nil || resp.Images != 2 || resp.Quality != "high" || resp.Size != "1024x1024" || resp.Usage.CompletionTokens != 2*4160 {
		t.Errorf("gpt-image-1: %+v, %v", resp, err)
	}
	_, err = c.GenerateImages(context.Background(), &llm.ImageRequest{Model: "gpt-sim", Prompt: "p", N: 1, Body: []byte(`{"prompt":"p"}`)})
	if e := asLLM(t, err); e.Kind != llm.KindNotFound || e.Code != "model_not_found" {
		t.Errorf("a chat model: %+v", e)
	}
}

// TestGenerateImagesSends checks what the upstream gets: OpenAI's path
// and Azure's deployment route, the client's body with the model
// replaced.
func TestGenerateImagesSends(t *testing.T) {
	answer := `{"created":1,"data":[{"url":"https://example.com/a.png"}]}`
	for _, c := range []struct{ kind, suffix, path string }{
		{KindOpenAI, "/v1", "/v1/images/generations"},
		{KindAzure, "", "/openai/deployments/dalle-prod/images/generations"},
	} {
		rec := &recorder{body: answer}
		cl := serve(t, rec, c.kind, c.suffix, testKey)
		_, err := cl.GenerateImages(context.Background(), &llm.ImageRequest{Model: "dalle-prod", Prompt: "p", N: 1, Body: []byte(`{"model":"images","prompt":"p","style":"natural"}`)})
		if err != nil {
			t.Fatal(err)
		}
		hr, body := rec.last(t)
		if hr.URL.Path != c.path || body != `{"model":"dalle-prod","prompt":"p","style":"natural"}` || hr.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s: sent %s %s", c.kind, hr.URL, body)
		}
		if c.kind == KindAzure && (hr.URL.Query().Get("api-version") == "" || hr.Header.Get("Api-Key") != testKey) {
			t.Errorf("azure: %s, api-key %q", hr.URL, hr.Header.Get("Api-Key"))
		}
	}
	for _, c := range []struct {
		status int
		body   string
		kind   llm.ErrorKind
	}{
		{http.StatusOK, `{"created":1}`, llm.KindUpstream},
		{http.StatusOK, `{"error":{"message":"Your request was rejected by the safety system.","type":"invalid_request_error","code":"content_policy_violation"}}`, llm.KindInvalidRequest},
		{http.StatusBadRequest, `{"error":{"message":"Your request was rejected as a result of our safety system.","type":"invalid_request_error","param":null,"code":"content_policy_violation"}}`, llm.KindInvalidRequest},
		{http.StatusInternalServerError, `{"error":{"message":"boom","type":"server_error"}}`, llm.KindUpstream},
	} {
		cl := serve(t, &recorder{status: c.status, body: c.body}, KindOpenAI, "/v1", testKey)
		_, err := cl.GenerateImages(context.Background(), &llm.ImageRequest{Model: "dall-e-3", Prompt: "p", N: 1, Body: []byte(`{"prompt":"p"}`)})
		if e := asLLM(t, err); e.Kind != c.kind {
			t.Errorf("%d %s: kind %s (%v)", c.status, c.body, e.Kind, e)
		}
	}
}
