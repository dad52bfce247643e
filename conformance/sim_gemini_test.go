package conformance

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
)

var geminiHeaders = []string{"x-goog-api-key", "demo-key"}

const geminiTool = `"tools":[{"functionDeclarations":[{"name":"get_weather","description":"Weather in a city","parameters":{"type":"OBJECT","properties":{"city":{"type":"STRING"}},"required":["city"]}}]}]`

func TestSimGemini(t *testing.T) {
	t.Parallel()
	base := "http://" + simulators(t) + "/gemini/v1beta/models/"
	ge := loadSpec(t, "gemini")
	for _, model := range []string{"gemini-2.5-flash", "gemini-2.5-pro"} {
		for _, body := range []string{
			`{"contents":[{"role":"user","parts":[{"text":"Say hello."}]}]}`,
			`{"contents":[{"role":"user","parts":[{"text":"What is the weather in Paris?"}]}],` + geminiTool + `,"toolConfig":{"functionCallingConfig":{"mode":"ANY"}}}`,
			`{"contents":[{"role":"user","parts":[{"text":"Prove that 17 is prime."}]}],"generationConfig":{"thinkingConfig":{"thinkingBudget":1024,"includeThoughts":true}}}`,
		} {
			b := callOK(t, model, http.MethodPost, base+model+":generateContent", body, geminiHeaders...)
			ge.check(t, "GenerateContentResponse", b)
			st, b := call(t, http.MethodPost, base+model+":streamGenerateContent?alt=sse", body, geminiHeaders...)
			if st != http.StatusOK {
				t.Fatalf("%s stream: status %d: %s", model, st, b)
			}
			for _, ev := range sse(t, b) {
				ge.check(t, "GenerateContentResponse", ev.data)
			}
		}
	}
	b := callOK(t, "countTokens", http.MethodPost, base+"gemini-2.5-flash:countTokens", `{"contents":[{"role":"user","parts":[{"text":"Say hello."}]}]}`, geminiHeaders...)
	ge.check(t, "CountTokensResponse", b)
	b = callOK(t, "embedContent", http.MethodPost, base+"gemini-embedding-001:embedContent", `{"content":{"parts":[{"text":"hello"}]}}`, geminiHeaders...)
	ge.check(t, "EmbedContentResponse", b)
	b = callOK(t, "batchEmbedContents", http.MethodPost, base+"gemini-embedding-001:batchEmbedContents", `{"requests":[{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"hello"}]}}]}`, geminiHeaders...)
	ge.check(t, "BatchEmbedContentsResponse", b)
	b = callOK(t, "models", http.MethodGet, base[:len(base)-1], "", geminiHeaders...)
	ge.check(t, "ListModelsResponse", b)
	for _, c := range []struct {
		url, body string
		hdr       []string
	}{
		{base + "no-such-model:generateContent", `{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}`, geminiHeaders},
		{base + "gemini-2.5-flash:generateContent", `{"contents":`, geminiHeaders},
		{base + "gemini-2.5-flash:generateContent", `{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}`, nil},
	} {
		st, b := call(t, http.MethodPost, c.url, c.body, c.hdr...)
		if st < 400 {
			t.Errorf("%s: status %d, want an error", c.url, st)
			continue
		}
		checkGeminiError(t, ge, st, b)
	}
}

// checkGeminiError checks Google's JSON error envelope: {"error": a
// google.rpc.Status with its code's name in status}. The spec has only
// the Status message, so the envelope and status are checked here.
func checkGeminiError(t *testing.T, ge *spec, code int, b []byte) {
	t.Helper()
	var env struct {
		Error json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(b, &env); err != nil || len(env.Error) == 0 {
		t.Fatalf("not Google's error envelope: %s", b)
	}
	m := ge.check(t, "Status", env.Error)
	if c, _ := m["code"].(json.Number); c.String() != strconv.Itoa(code) {
		t.Errorf("error.code %v, want the HTTP status %d: %s", m["code"], code, b)
	}
	if s, _ := m["status"].(string); s == "" {
		t.Errorf("error.status missing: %s", b)
	}
}
