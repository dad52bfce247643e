package openai

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"switchyard/llm"
)

// The golden tests: what the codec writes for a spec example is the spec
// example itself, up to the documented differences.

func jsonValue(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return v
}

func TestGoldenRequests(t *testing.T) {
	files, _ := filepath.Glob("testdata/spec/chat_*_request.json")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, name := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			in := readFixture(t, strings.TrimPrefix(name, "testdata/"))
			req, err := DecodeChatRequest(in)
			if err != nil {
				t.Fatal(err)
			}
			out, err := EncodeChatRequest(req)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := jsonValue(t, out), jsonValue(t, in); !reflect.DeepEqual(got, want) {
				t.Errorf("re-encoded request differs from the spec example\n got %v\nwant %v", got, want)
			}
		})
	}
}

// specResponse normalizes a spec response example to what
// AppendChatResponse writes: system_fingerprint only when known, the logprobs'
// refusal list (null) always present with its content list, refusal and
// annotations always present, both usage details objects complete.
func specResponse(v any) any {
	m := v.(map[string]any)
	if m["system_fingerprint"] == nil {
		delete(m, "system_fingerprint")
	}
	for _, c := range m["choices"].([]any) {
		c := c.(map[string]any)
		if lp, ok := c["logprobs"].(map[string]any); ok {
			setDefault(lp, "refusal", nil)
		}
		msg := c["message"].(map[string]any)
		setDefault(msg, "refusal", nil)
		setDefault(msg, "annotations", []any{})
	}
	u := m["usage"].(map[string]any)
	setDefault(u, "prompt_tokens_details", map[string]any{})
	setDefault(u, "completion_tokens_details", map[string]any{})
	for _, k := range []string{"cached_tokens", "audio_tokens"} {
		setDefault(u["prompt_tokens_details"].(map[string]any), k, 0.0)
	}
	for _, k := range []string{"reasoning_tokens", "audio_tokens", "accepted_prediction_tokens", "rejected_prediction_tokens"} {
		setDefault(u["completion_tokens_details"].(map[string]any), k, 0.0)
	}
	return m
}

func setDefault(m map[string]any, k string, v any) {
	if _, ok := m[k]; !ok {
		m[k] = v
	}
}

func TestGoldenResponses(t *testing.T) {
	files, _ := filepath.Glob("testdata/spec/chat_*_response.json")
	for _, name := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			in := readFixture(t, strings.TrimPrefix(name, "testdata/"))
			r, err := DecodeChatResponse(in)
			if err != nil {
				t.Fatal(err)
			}
			got, want := jsonValue(t, AppendChatResponse(nil, r)), specResponse(jsonValue(t, in))
			if !reflect.DeepEqual(got, want) {
				t.Errorf("appended response differs from the spec example\n got %v\nwant %v", got, want)
			}
		})
	}
}

func TestGoldenEmbeddingsAndModels(t *testing.T) {
	in := readFixture(t, "spec/embeddings_default_response.json")
	r, err := DecodeEmbeddingResponse(in)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := jsonValue(t, AppendEmbeddingResponse(nil, r, "float")), jsonValue(t, in); !reflect.DeepEqual(got, want) {
		t.Errorf("embeddings\n got %v\nwant %v", got, want)
	}

	in = readFixture(t, "spec/models_default_response.json")
	var list struct {
		Data []struct {
			ID      string `json:"id"`
			Created int64  `json:"created"`
			OwnedBy string `json:"owned_by"`
		} `json:"data"`
	}
	if err := json.Unmarshal(in, &list); err != nil {
		t.Fatal(err)
	}
	var models []Model
	for _, m := range list.Data {
		models = append(models, Model{ID: m.ID, Created: m.Created, OwnedBy: m.OwnedBy})
	}
	want := jsonValue(t, in).(map[string]any)
	for _, m := range want["data"].([]any) {
		delete(m.(map[string]any), "shutdown_date") // Model does not carry it
	}
	if got := jsonValue(t, AppendModelList(nil, models)); !reflect.DeepEqual(got, any(want)) {
		t.Errorf("models\n got %v\nwant %v", got, want)
	}
}

func TestGoldenErrorShape(t *testing.T) {
	// OpenAI's documented error object: message, type, param, code, all present.
	got := jsonValue(t, AppendError(nil, &llm.Error{Kind: llm.KindNotFound, Message: "The model `x` does not exist", Code: "model_not_found"}))
	want := map[string]any{"error": map[string]any{"message": "The model `x` does not exist", "type": "invalid_request_error", "param": nil, "code": "model_not_found"}}
	if !reflect.DeepEqual(got, any(want)) {
		t.Errorf("got %v", got)
	}
}
