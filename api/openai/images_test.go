package openai_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	apiopenai "switchyard/api/openai"
	"switchyard/llm"
)

// The upstream's images answer reaches the client byte for byte, with
// the router's headers and the cost.
func TestImagesRelayed(t *testing.T) {
	const upstream = "{\n  \"created\": 1713833628,\n  \"data\": [{\"url\": \"https://example.com/a.png\", \"revised_prompt\": \"A fox\"}]\n}\n"
	b := &fakeBackend{Served: llm.Served{Deployment: "dall-e-3", Summary: "pinned=dall-e-3", CostUSD: 0.04}}
	b.ImagesFunc = func(_ context.Context, req *llm.ImageRequest) (*llm.ImageResponse, error) {
		if req.Model != "dall-e-3" || req.Prompt != "a fox" || req.Size != "1024x1024" || !strings.Contains(string(req.Body), `"style":"vivid"`) {
			return nil, fmt.Errorf("backend got %+v", req)
		}
		return &llm.ImageResponse{Images: 1, Body: []byte(upstream)}, nil
	}
	w := do(mux(b, 0), "POST", "/v1/images/generations", `{"model":"dall-e-3","prompt":"a fox","size":"1024x1024","style":"vivid"}`, nil)
	if w.Code != 200 || w.Body.String() != upstream {
		t.Fatalf("%d %q, want the upstream's bytes", w.Code, w.Body)
	}
	for k, want := range map[string]string{
		"Content-Type": "application/json", apiopenai.HeaderDeployment: "dall-e-3", apiopenai.HeaderRoute: "pinned=dall-e-3", apiopenai.HeaderCost: "0.04",
	} {
		if got := w.Header().Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

func TestImagesErrors(t *testing.T) {
	for _, tt := range []struct {
		name, body   string
		err          error
		status       int
		param, code  string
		backendCalls int
	}{
		{"no prompt", `{"model":"dall-e-3"}`, nil, 400, "prompt", "<null>", 0},
		{"bad n", `{"prompt":"p","n":20}`, nil, 400, "n", "<null>", 0},
		{"bad response_format", `{"prompt":"p","response_format":"gif"}`, nil, 400, "response_format", "<null>", 0},
		{"not JSON", `{"prompt":`, nil, 400, "<null>", "<null>", 0},
		{"unknown model", `{"model":"x","prompt":"p"}`, &llm.Error{Kind: llm.KindNotFound, Message: "The model `x` does not exist", Param: "model", Code: "model_not_found"}, 404, "model", "model_not_found", 1},
		{"upstream down", `{"prompt":"p"}`, &llm.Error{Kind: llm.KindUpstream, Message: "upstream up returned 500"}, 502, "<null>", "<null>", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := &fakeBackend{}
			b.ImagesFunc = func(context.Context, *llm.ImageRequest) (*llm.ImageResponse, error) { return nil, tt.err }
			w := do(mux(b, 0), "POST", "/v1/images/generations", tt.body, nil)
			e := errorBody(t, w)
			if w.Code != tt.status || str(e.Param) != tt.param || str(e.Code) != tt.code || b.Calls() != tt.backendCalls {
				t.Errorf("%d %+v (param %s), %d backend calls; want %d param %s, %d calls", w.Code, e, str(e.Param), b.Calls(), tt.status, tt.param, tt.backendCalls)
			}
		})
	}
	w := do(mux(&fakeBackend{}, 64), "POST", "/v1/images/generations", `{"prompt":"`+strings.Repeat("a", 100)+`"}`, nil)
	if w.Code != 413 {
		t.Errorf("an oversized body: %d %s", w.Code, w.Body)
	}
}
