package anthropic

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// A client's inference_geo is the canonical geography (null or absent:
// none); a value other than global and us is refused in Anthropic's
// shape, naming the field.
func TestRequestInferenceGeo(t *testing.T) {
	for geo, want := range map[string]llm.InferenceGeo{`"us"`: llm.GeoUS, `"global"`: llm.GeoGlobal, `null`: "", ``: ""} {
		body := `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}]`
		if geo != "" {
			body += `,"inference_geo":` + geo
		}
		out, err := DecodeRequest([]byte(body + `}`))
		if err != nil || out.InferenceGeo != want {
			t.Errorf("%s: geo %q, %v", geo, out.InferenceGeo, err)
		}
	}
	for _, geo := range []string{`"eu"`, `"US"`, `""`} {
		_, err := DecodeRequest([]byte(`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"inference_geo":` + geo + `}`))
		e := llm.AsError(err)
		if geo == `""` {
			if err != nil {
				t.Errorf("empty: %v", err)
			}
			continue
		}
		if e == nil || e.Kind != llm.KindInvalidRequest || e.Param != "inference_geo" || !strings.Contains(e.Message, "'global' or 'us'") {
			t.Errorf("%s: %v", geo, err)
		}
	}
}

// Claude Opus 4.6, Sonnet 4.6 and every later model take inference_geo
// on the Claude API; the older ones, and ids in Bedrock's and Google
// Cloud's styles (where the endpoint's region decides), do not.
func TestTakesInferenceGeo(t *testing.T) {
	for id, want := range map[string]bool{
		"claude-opus-4-6": true, "claude-sonnet-4-6": true, "claude-opus-4-7": true, "claude-opus-4-8": true,
		"claude-sonnet-5": true, "claude-opus-5-5": true, "claude-haiku-5-5": true, "claude-fable-5-1": true, "claude-mythos-5": true,
		"claude-opus-4-5": false, "claude-sonnet-4-5-20250929": false, "claude-haiku-4-5": false, "claude-3-7-sonnet-20250219": false,
		"claude-opus-4-1": false, "gpt-4o": false, "": false,
		"us.anthropic.claude-opus-4-6-v1:0": false, "claude-opus-4-6@20260101": false,
	} {
		if got := TakesInferenceGeo(id); got != want {
			t.Errorf("%s: %t, want %t", id, got, want)
		}
	}
}

// FromLLM sends inference_geo to the models that take it, as asked, and
// to no other (which would refuse it with a 400); nothing when unset.
func TestFromLLMInferenceGeo(t *testing.T) {
	for _, tc := range []struct {
		model string
		geo   llm.InferenceGeo
		want  string
	}{
		{"claude-opus-4-6", llm.GeoUS, `"inference_geo":"us"`},
		{"claude-sonnet-5-5", llm.GeoGlobal, `"inference_geo":"global"`},
		{"claude-opus-4-6", "", ``},
		{"claude-sonnet-4-5", llm.GeoUS, ``},
		{"claude-haiku-4-5", llm.GeoUS, ``},
	} {
		req := &llm.Request{Model: tc.model, InferenceGeo: tc.geo, Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")}}
		out, err := FromLLM(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(out)
		if has := strings.Contains(string(b), `"inference_geo"`); tc.want == "" && has || tc.want != "" && !strings.Contains(string(b), tc.want) {
			t.Errorf("%s %q: body %s, want %q", tc.model, tc.geo, b, tc.want)
		}
	}
}
