package openai_test

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"testing"

	apiopenai "switchyard/api/openai"
	"switchyard/llm"
)

func TestModels(t *testing.T) {
	w := do(mux(&fakeBackend{}, 0), "GET", "/v1/models", "", nil)
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("%d %v", w.Code, w.Header())
	}
	var list struct {
		Object string
		Data   []map[string]any
	}
	if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{
		{"id": "auto", "object": "model", "created": 1735689600.0, "owned_by": "switchyard"},
		{"id": "openai/gpt-4o", "object": "model", "created": 1.0, "owned_by": "openai"},
		{"id": "org/team/model-v1", "object": "model", "created": 2.0, "owned_by": "org"},
	}
	if list.Object != "list" || !reflect.DeepEqual(list.Data, want) {
		t.Fatalf("models = %s", w.Body)
	}
}

func TestModel(t *testing.T) {
	tests := []struct {
		path   string
		status int
		id     string
	}{
		{"/v1/models/auto", 200, "auto"},
		{"/v1/models/openai/gpt-4o", 200, "openai/gpt-4o"},
		{"/v1/models/openai%2Fgpt-4o", 200, "openai/gpt-4o"},
		{"/v1/models/org/team/model-v1", 200, "org/team/model-v1"},
		{"/v1/models/gpt-4o", 404, "gpt-4o"},
		{"/v1/models/openai/", 404, "openai/"},
		{"/v1/models/Auto", 404, "Auto"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := do(mux(&fakeBackend{}, 0), "GET", tt.path, "", nil)
			if w.Code != tt.status {
				t.Fatalf("status = %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			if tt.status == 404 {
				e := errorBody(t, w)
				if str(e.Param) != "model" || str(e.Code) != "model_not_found" || e.Message != fmt.Sprintf("The model `%s` does not exist or you do not have access to it.", tt.id) {
					t.Fatalf("error = %+v", e)
				}
				return
			}
			var m map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
				t.Fatal(err)
			}
			if m["id"] != tt.id || m["object"] != "model" || m["owned_by"] == nil || m["created"] == nil {
				t.Fatalf("model = %s", w.Body)
			}
		})
	}
}

func TestEmbeddings(t *testing.T) {
	vec := []float32{0.5, -1, 0.25, 1e-7, float32(math.Pi)}
	tests := []struct {
		name, format string
	}{
		{"default float", ""},
		{"float", `,"encoding_format":"float"`},
		{"base64", `,"encoding_format":"base64"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &fakeBackend{Served: llm.Served{Deployment: "embed-d", Summary: "s", CostUSD: 2e-6}}
			b.EmbedFunc = func(_ context.Context, req *llm.EmbeddingRequest) (*llm.EmbeddingResponse, error) {
				if !reflect.DeepEqual(req.Input, []string{"a", "b"}) {
					return nil, llm.Errorf(llm.KindInvalidRequest, "backend got %q", req.Input)
				}
				return &llm.EmbeddingResponse{Model: "up-embed", Usage: llm.Usage{PromptTokens: 2, TotalTokens: 2},
					Data: []llm.Embedding{{Index: 0, Vector: vec}, {Index: 1, Vector: vec[:2]}}}, nil
			}
			w := do(mux(b, 0), "POST", "/v1/embeddings", `{"model":"e","input":["a","b"]`+tt.format+`}`, nil)
			if w.Code != 200 {
				t.Fatalf("status = %d: %s", w.Code, w.Body)
			}
			if w.Header().Get(apiopenai.HeaderDeployment) != "embed-d" || w.Header().Get(apiopenai.HeaderCost) != "0.000002" {
				t.Errorf("headers = %v", w.Header())
			}
			var resp struct {
				Object string
				Model  string
				Data   []struct {
					Object    string
					Index     int
					Embedding json.RawMessage
				}
				Usage struct {
					Prompt int `json:"prompt_tokens"`
					Total  int `json:"total_tokens"`
				}
			}
			if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
				t.Fatal(err)
			}
			if resp.Object != "list" || resp.Model != "up-embed" || len(resp.Data) != 2 || resp.Usage.Prompt != 2 || resp.Usage.Total != 2 {
				t.Fatalf("response = %s", w.Body)
			}
			for i, want := range [][]float32{vec, vec[:2]} {
				d := resp.Data[i]
				if d.Object != "embedding" || d.Index != i {
					t.Errorf("data[%d] = %+v", i, d)
				}
				var got []float32
				if tt.name == "base64" {
					var s string
					if err := json.Unmarshal(d.Embedding, &s); err != nil {
						t.Fatalf("base64 embedding is not a string: %s", d.Embedding)
					}
					raw, err := base64.StdEncoding.DecodeString(s)
					if err != nil || len(raw) != 4*len(want) {
						t.Fatalf("bad base64 %q: %v", s, err)
					}
					for j := 0; j < len(raw); j += 4 {
						got = append(got, math.Float32frombits(binary.LittleEndian.Uint32(raw[j:])))
					}
				} else if err := json.Unmarshal(d.Embedding, &got); err != nil {
					t.Fatalf("float embedding is not numbers: %s", d.Embedding)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("data[%d] = %v, want %v", i, got, want)
				}
			}
		})
	}
}
