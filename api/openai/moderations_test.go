package openai_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	apiopenai "switchyard/api/openai"
	"switchyard/llm"
)

// The upstream's answer reaches the client byte for byte, with the
// router's headers.
func TestModerationsRelayed(t *testing.T) {
	const upstream = "{\"id\": \"modr-Zx\",\n \"model\": \"omni-moderation-2024-09-26\", \"results\": [{\"flagged\": true, \"categories\": {\"violence\": true}, \"category_scores\": {\"violence\": 0.9971134662628174}, \"category_applied_input_types\": {\"violence\": [\"text\"]}}]}\n"
	b := &fakeBackend{Served: llm.Served{Deployment: "omni", Summary: "pinned=omni"}}
	b.ModerateFunc = func(_ context.Context, req *llm.ModerationRequest) (*llm.ModerationResponse, error) {
		if req.Model != "omni-moderation-latest" || len(req.Texts) != 1 || req.Texts[0] != "I want to kill them." {
			return nil, fmt.Errorf("backend got %+v", req)
		}
		return &llm.ModerationResponse{ID: "modr-Zx", Results: make([]llm.ModerationResult, 1), Body: []byte(upstream)}, nil
	}
	w := do(mux(b, 0), "POST", "/v1/moderations", `{"input":"I want to kill them."}`, nil)
	if w.Code != 200 || w.Body.String() != upstream {
		t.Fatalf("%d %q, want the upstream's bytes", w.Code, w.Body)
	}
	for k, want := range map[string]string{
		"Content-Type": "application/json", "Content-Length": fmt.Sprint(len(upstream)),
		apiopenai.HeaderDeployment: "omni", apiopenai.HeaderRoute: "pinned=omni", apiopenai.HeaderCost: "0",
	} {
		if got := w.Header().Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

// An answer without the upstream's bytes is encoded from its fields.
func TestModerationsEncoded(t *testing.T) {
	w := do(mux(&fakeBackend{}, 0), "POST", "/v1/moderations", `{"model":"m","input":["a","b"]}`, nil)
	var resp struct {
		ID, Model string
		Results   []struct {
			Flagged    bool
			Categories map[string]bool
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &resp); w.Code != 200 || err != nil || resp.ID != "modr-1" || resp.Model != "m" || len(resp.Results) != 2 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
}

func TestModerationsErrors(t *testing.T) {
	for _, tt := range []struct {
		name, body   string
		err          error
		status       int
		param, typ   string
		backendCalls int
	}{
		{"no input", `{"model":"m"}`, nil, 400, "input", "invalid_request_error", 0},
		{"bad part", `{"input":[{"type":"video"}]}`, nil, 400, "input[0].type", "invalid_request_error", 0},
		{"not JSON", `{"input":`, nil, 400, "<null>", "invalid_request_error", 0},
		{"upstream garbage", `{"input":"a"}`, &llm.Error{Kind: llm.KindUpstream, Message: "upstream up sent a malformed response"}, 502, "<null>", "server_error", 1},
		{"unknown model", `{"model":"x","input":"a"}`, &llm.Error{Kind: llm.KindNotFound, Message: "The model `x` does not exist", Param: "model"}, 404, "model", "invalid_request_error", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := &fakeBackend{ModerateFunc: func(context.Context, *llm.ModerationRequest) (*llm.ModerationResponse, error) { return nil, tt.err }}
			w := do(mux(b, 0), "POST", "/v1/moderations", tt.body, nil)
			e := errorBody(t, w)
			if w.Code != tt.status || str(e.Param) != tt.param || e.Type != tt.typ || b.Calls() != tt.backendCalls {
				t.Errorf("%d %+v (param %s), %d backend calls; want %d param %s type %s, %d calls", w.Code, e, str(e.Param), b.Calls(), tt.status, tt.param, tt.typ, tt.backendCalls)
			}
		})
	}
}
