package gemini

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/sim"
	wire "switchyard/wire/gemini"
)

func catalog() sim.Catalog {
	return sim.NewCatalog(
		sim.Profile{Model: "gemini-2.5-flash", Reasoning: true, MaxOutputTokens: 8192},
		sim.Profile{Model: "gemini-2.0-flash"},
		sim.Profile{Model: "text-embedding-004", Embedding: true, Dimensions: 768},
	)
}

// call sends body to path on a fresh simulator and returns the response.
func call(t *testing.T, h http.Handler, method, path, key, body string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if key != "" {
		req.Header.Set("x-goog-api-key", key)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	resp := rec.Result()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

const hello = `{"contents":[{"role":"user","parts":[{"text":"Hello"}]}]}`

func TestAuth(t *testing.T) {
	h := New(catalog(), nil)
	tests := []struct {
		name, path, key string
		code            int
		status          string
	}{
		{"missing key", "/v1beta/models/gemini-2.0-flash:generateContent", "", 403, wire.StatusPermissionDenied},
		{"invalid key", "/v1beta/models/gemini-2.0-flash:generateContent", "invalid-key", 400, wire.StatusInvalidArgument},
		{"header key", "/v1beta/models/gemini-2.0-flash:generateContent", "AIzaGood", 200, ""},
		{"query key", "/v1beta/models/gemini-2.0-flash:generateContent?key=AIzaGood", "", 200, ""},
		{"models list needs a key too", "/v1beta/models", "", 403, wire.StatusPermissionDenied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := http.MethodPost
			if strings.HasSuffix(tt.path, "/models") {
				method = http.MethodGet
			}
			resp, body := call(t, h, method, tt.path, tt.key, hello)
			if resp.StatusCode != tt.code {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.code, body)
			}
			if tt.status != "" {
				checkError(t, body, tt.code, tt.status)
			}
		})
	}
	_, body := call(t, h, http.MethodPost, tests[1].path, "invalid-key", hello)
	if st, _ := wire.ParseError(body); !st.HasReason(wire.ReasonAPIKeyInvalid) {
		t.Errorf("invalid key error lacks reason API_KEY_INVALID: %s", body)
	}
}

// checkError asserts body is the API's error shape with code and status.
func checkError(t *testing.T, body []byte, code int, status string) {
	t.Helper()
	var e wire.ErrorResponse
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body is not JSON: %s", body)
	}
	if e.Error.Code != code || e.Error.Status != status || e.Error.Message == "" {
		t.Errorf("error = %+v, want code %d status %s", e.Error, code, status)
	}
}

func TestValidation(t *testing.T) {
	h := New(sim.NewCatalog(
		sim.Profile{Model: "gemini-2.5-flash", Reasoning: true, MaxOutputTokens: 8192},
		sim.Profile{Model: "gemini-2.0-flash"},
		sim.Profile{Model: "gemini-3-flash-preview", MaxOutputTokens: 8192},
		sim.Profile{Model: "text-embedding-004", Embedding: true, Dimensions: 768},
	), nil)
	const gen = "/v1beta/models/gemini-2.0-flash:generateContent"
	tests := []struct {
		name, path, body string
		code             int
	}{
		{"malformed JSON", gen, `{"contents":[`, 400},
		{"empty contents", gen, `{"contents":[]}`, 400},
		{"no contents", gen, `{}`, 400},
		{"role assistant", gen, `{"contents":[{"role":"assistant","parts":[{"text":"hi"}]}]}`, 400},
		{"role system", gen, `{"contents":[{"role":"system","parts":[{"text":"hi"}]}]}`, 400},
		{"empty parts", gen, `{"contents":[{"role":"user","parts":[]}]}`, 400},
		{"empty part", gen, `{"contents":[{"role":"user","parts":[{}]}]}`, 400},
		{"two data fields", gen, `{"contents":[{"role":"user","parts":[{"text":"a","inlineData":{"mimeType":"image/png","data":"AA=="}}]}]}`, 400},
		{"functionResponse without name", gen, `{"contents":[{"role":"user","parts":[{"functionResponse":{"response":{"a":1}}}]}]}`, 400},
		{"functionResponse not an object", gen, `{"contents":[{"role":"user","parts":[{"functionResponse":{"name":"f","response":"sunny"}}]}]}`, 400},
		{"functionCall without name", gen, `{"contents":[{"role":"model","parts":[{"functionCall":{"args":{}}}]}]}`, 400},
		{"bad base64", gen, `{"contents":[{"role":"user","parts":[{"inlineData":{"mimeType":"image/png","data":"%%%"}}]}]}`, 400},
		{"temperature above 2", gen, `{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"temperature":2.5}}`, 400},
		{"negative temperature", gen, `{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"temperature":-0.1}}`, 400},
		{"topP above 1", gen, `{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"topP":1.5}}`, 400},
		{"six stop sequences", gen, `{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"stopSequences":["1","2","3","4","5","6"]}}`, 400},
		{"maxOutputTokens over the limit", gen, `{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"maxOutputTokens":100000}}`, 400},
		{"schema without JSON mime", gen, `{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"responseJsonSchema":{"type":"object"}}}`, 400},
		{"both schemas", gen, `{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"responseMimeType":"application/json","responseSchema":{"type":"OBJECT"},"responseJsonSchema":{"type":"object"}}}`, 400},
		{"unknown mime", gen, `{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"responseMimeType":"text/html"}}`, 400},
		{"thinking on a non-thinking model", gen, `{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"thinkingConfig":{"thinkingBudget":1024}}}`, 400},
		{"bad function name", gen, `{"contents":[{"parts":[{"text":"a"}]}],"tools":[{"functionDeclarations":[{"name":"get weather"}]}]}`, 400},
		{"both parameter forms", gen, `{"contents":[{"parts":[{"text":"a"}]}],"tools":[{"functionDeclarations":[{"name":"f","parameters":{"type":"OBJECT"},"parametersJsonSchema":{"type":"object"}}]}]}`, 400},
		{"allowed names with AUTO", gen, `{"contents":[{"parts":[{"text":"a"}]}],"tools":[{"functionDeclarations":[{"name":"f"}]}],"toolConfig":{"functionCallingConfig":{"mode":"AUTO","allowedFunctionNames":["f"]}}}`, 400},
		{"allowed name not declared", gen, `{"contents":[{"parts":[{"text":"a"}]}],"tools":[{"functionDeclarations":[{"name":"f"}]}],"toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["g"]}}}`, 400},
		{"unknown mode", gen, `{"contents":[{"parts":[{"text":"a"}]}],"toolConfig":{"functionCallingConfig":{"mode":"SOMETIMES"}}}`, 400},
		{"non-text system instruction", gen, `{"systemInstruction":{"parts":[{"inlineData":{"mimeType":"image/png","data":"AA=="}}]},"contents":[{"parts":[{"text":"a"}]}]}`, 400},
		{"bad alt", "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=proto", hello, 400},
		{"unknown model", "/v1beta/models/gemini-9:generateContent", hello, 404},
		{"embedding model cannot generate", "/v1beta/models/text-embedding-004:generateContent", hello, 404},
		{"chat model cannot embed", "/v1beta/models/gemini-2.0-flash:embedContent", `{"content":{"parts":[{"text":"a"}]}}`, 404},
		{"unknown method", "/v1beta/models/gemini-2.0-flash:doMagic", hello, 404},
		{"penalty on Gemini 2.5", "/v1beta/models/gemini-2.5-flash:generateContent", `{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"presencePenalty":0.5}}`, 400},
		{"zero penalty on Gemini 2.5", "/v1beta/models/gemini-2.5-flash:generateContent", `{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"frequencyPenalty":0}}`, 200},
		{"penalty on Gemini 2.0", gen, `{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"presencePenalty":0.5,"frequencyPenalty":0.5}}`, 200},
		// Gemini before 3 refuses a JSON response beside functions it may
		// call (mode NONE is answered); Gemini 3 takes the pair.
		{"JSON response with tools", gen, `{"contents":[{"parts":[{"text":"a"}]}],"tools":[{"functionDeclarations":[{"name":"f"}]}],"generationConfig":{"responseMimeType":"application/json"}}`, 400},
		{"JSON schema with tools forced", gen, `{"contents":[{"parts":[{"text":"a"}]}],"tools":[{"functionDeclarations":[{"name":"f"}]}],"toolConfig":{"functionCallingConfig":{"mode":"ANY"}},"generationConfig":{"responseMimeType":"application/json","responseJsonSchema":{"type":"object"}}}`, 400},
		{"JSON response with tools off", gen, `{"contents":[{"parts":[{"text":"a"}]}],"tools":[{"functionDeclarations":[{"name":"f"}]}],"toolConfig":{"functionCallingConfig":{"mode":"NONE"}},"generationConfig":{"responseMimeType":"application/json"}}`, 200},
		{"JSON response with tools on Gemini 3", "/v1beta/models/gemini-3-flash-preview:generateContent", `{"contents":[{"parts":[{"text":"a"}]}],"tools":[{"functionDeclarations":[{"name":"f"}]}],"generationConfig":{"responseMimeType":"application/json"}}`, 200},
		// Gemini 3 takes a "$ref" in a function response for a reference
		// to one of its parts, and refuses one that names none.
		{"$ref in a function response on Gemini 3", "/v1beta/models/gemini-3-flash-preview:generateContent", `{"contents":[{"parts":[{"text":"a"}]},{"role":"model","parts":[{"functionCall":{"name":"f","args":{}},"thoughtSignature":"skip_thought_signature_validator"}]},{"role":"user","parts":[{"functionResponse":{"name":"f","response":{"schema":{"$ref":"#/$defs/C"}}}}]}]}`, 400},
		{"$ref as text in a function response on Gemini 3", "/v1beta/models/gemini-3-flash-preview:generateContent", `{"contents":[{"parts":[{"text":"a"}]},{"role":"model","parts":[{"functionCall":{"name":"f","args":{}},"thoughtSignature":"skip_thought_signature_validator"}]},{"role":"user","parts":[{"functionResponse":{"name":"f","response":{"content":"{\"$ref\":\"#/$defs/C\"}"}}}]}]}`, 200},
		{"valid request", gen, `{"contents":[{"parts":[{"text":"a"}]},{"role":"model","parts":[{"text":"b"}]},{"role":"user","parts":[{"text":"c"}]}],"generationConfig":{"temperature":2,"topK":40}}`, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := call(t, h, http.MethodPost, tt.path, "AIzaGood", tt.body)
			if resp.StatusCode != tt.code {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.code, body)
			}
			if tt.code != 200 {
				checkError(t, body, tt.code, wire.StatusName(tt.code))
			}
		})
	}
}

func generate(t *testing.T, h http.Handler, model, body string) *wire.GenerateContentResponse {
	t.Helper()
	resp, b := call(t, h, http.MethodPost, "/v1beta/models/"+model+":generateContent", "AIzaGood", body)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	var out wire.GenerateContentResponse
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

func TestGenerateText(t *testing.T) {
	out := generate(t, New(catalog(), nil), "gemini-2.5-flash", hello)
	if len(out.Candidates) != 1 {
		t.Fatalf("%d candidates", len(out.Candidates))
	}
	c := out.Candidates[0]
	if c.Content.Role != wire.RoleModel || c.FinishReason != wire.FinishStop || c.Content.Parts[0].Text == "" {
		t.Errorf("candidate = %+v", c)
	}
	u := out.UsageMetadata
	if u.PromptTokenCount == 0 || u.CandidatesTokenCount == 0 || u.ThoughtsTokenCount == 0 ||
		u.TotalTokenCount != u.PromptTokenCount+u.CandidatesTokenCount+u.ThoughtsTokenCount {
		t.Errorf("usage = %+v", u)
	}
	if out.ModelVersion != "gemini-2.5-flash" || len(out.ResponseID) != 22 {
		t.Errorf("modelVersion %q responseId %q", out.ModelVersion, out.ResponseID)
	}
	two := generate(t, New(catalog(), nil), "gemini-2.0-flash", `{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"candidateCount":2}}`)
	if len(two.Candidates) != 2 || two.Candidates[1].Index != 1 || two.UsageMetadata.ThoughtsTokenCount != 0 {
		t.Errorf("candidateCount 2 gave %+v", two)
	}
}

func TestMaxTokens(t *testing.T) {
	out := generate(t, New(catalog(), nil), "gemini-2.0-flash", `{"contents":[{"parts":[{"text":"a long story"}]}],"generationConfig":{"maxOutputTokens":3}}`)
	if c := out.Candidates[0]; c.FinishReason != wire.FinishMaxTokens || out.UsageMetadata.CandidatesTokenCount != 3 {
		t.Errorf("finish %q, %d candidate tokens", c.FinishReason, out.UsageMetadata.CandidatesTokenCount)
	}
}

func TestGenerateTools(t *testing.T) {
	h := New(catalog(), nil)
	const tools = `"tools":[{"functionDeclarations":[{"name":"get_weather","parameters":{"type":"OBJECT","properties":{"city":{"type":"STRING"}},"required":["city"]}}]}]`
	forced := generate(t, h, "gemini-2.5-flash", `{"contents":[{"parts":[{"text":"hi"}]}],`+tools+`,"toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_weather"]}}}`)
	p := forced.Candidates[0].Content.Parts
	if len(p) != 1 || p[0].FunctionCall == nil || p[0].FunctionCall.Name != "get_weather" || compact(p[0].FunctionCall.Args) != `{"city":"example"}` {
		t.Fatalf("forced call parts = %+v", p)
	}
	if forced.Candidates[0].FinishReason != wire.FinishStop || p[0].ThoughtSignature == "" {
		t.Errorf("finish %q signature %q", forced.Candidates[0].FinishReason, p[0].ThoughtSignature)
	}
	none := generate(t, h, "gemini-2.5-flash", `{"contents":[{"parts":[{"text":"get_weather please"}]}],`+tools+`,"toolConfig":{"functionCallingConfig":{"mode":"NONE"}}}`)
	if none.Candidates[0].Content.Parts[0].FunctionCall != nil {
		t.Error("mode NONE still called a function")
	}
	result := generate(t, h, "gemini-2.5-flash", `{"contents":[{"parts":[{"text":"weather?"}]},
		{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},
		{"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"temp":21}}}]}],`+tools+`}`)
	if txt := result.Candidates[0].Content.Parts[0].Text; !strings.Contains(txt, `{"temp":21}`) {
		t.Errorf("answer to a tool result = %q", txt)
	}
}

func TestGenerateJSON(t *testing.T) {
	h := New(catalog(), nil)
	for _, cfg := range []string{
		`{"responseMimeType":"application/json","responseSchema":{"type":"OBJECT","properties":{"n":{"type":"INTEGER"}}}}`,
		`{"responseMimeType":"application/json","responseJsonSchema":{"type":"object","properties":{"n":{"type":"integer"}}}}`,
	} {
		out := generate(t, h, "gemini-2.0-flash", `{"contents":[{"parts":[{"text":"count"}]}],"generationConfig":`+cfg+`}`)
		var v map[string]any
		if err := json.Unmarshal([]byte(out.Candidates[0].Content.Parts[0].Text), &v); err != nil || v["n"] != 7.0 {
			t.Errorf("%s gave %q", cfg, out.Candidates[0].Content.Parts[0].Text)
		}
	}
}

func TestThoughtsIncluded(t *testing.T) {
	out := generate(t, New(catalog(), nil), "gemini-2.5-flash",
		`{"contents":[{"parts":[{"text":"q"}]}],"generationConfig":{"thinkingConfig":{"includeThoughts":true}}}`)
	parts := out.Candidates[0].Content.Parts
	if len(parts) != 2 || !parts[0].Thought || parts[1].Thought {
		t.Errorf("parts = %+v", parts)
	}
}

func TestImplicitCache(t *testing.T) {
	h := New(catalog(), nil)
	long := strings.Repeat("lorem ipsum dolor sit amet ", 200) // > 1024 tokens
	body := `{"systemInstruction":{"parts":[{"text":"` + long + `"}]},"contents":[{"parts":[{"text":"q"}]}]}`
	first := generate(t, h, "gemini-2.0-flash", body)
	second := generate(t, h, "gemini-2.0-flash", body)
	if first.UsageMetadata.CachedContentTokenCount != 0 {
		t.Errorf("first call read %d cached tokens", first.UsageMetadata.CachedContentTokenCount)
	}
	c := second.UsageMetadata.CachedContentTokenCount
	if c < sim.MinCachedTokens || c > second.UsageMetadata.PromptTokenCount {
		t.Errorf("second call cached %d of %d", c, second.UsageMetadata.PromptTokenCount)
	}
}

func TestModels(t *testing.T) {
	h := New(catalog(), nil)
	resp, body := call(t, h, http.MethodGet, "/v1beta/models", "AIzaGood", "")
	var list wire.ListModelsResponse
	if resp.StatusCode != 200 || json.Unmarshal(body, &list) != nil || len(list.Models) != 3 {
		t.Fatalf("list: %d %s", resp.StatusCode, body)
	}
	m := list.Models[1]
	if m.Name != "models/gemini-2.5-flash" || m.DisplayName != "Gemini 2.5 Flash" || m.OutputTokenLimit != 8192 ||
		m.InputTokenLimit == 0 || m.SupportedGenerationMethods[0] != "generateContent" {
		t.Errorf("model = %+v", m)
	}
	if got := list.Models[2].SupportedGenerationMethods; got[0] != "embedContent" {
		t.Errorf("embedding methods = %v", got)
	}
	if resp, _ := call(t, h, http.MethodGet, "/v1beta/models/gemini-2.0-flash", "AIzaGood", ""); resp.StatusCode != 200 {
		t.Errorf("get model: %d", resp.StatusCode)
	}
	if resp, _ := call(t, h, http.MethodGet, "/v1beta/models/nope", "AIzaGood", ""); resp.StatusCode != 404 {
		t.Errorf("get unknown model: %d", resp.StatusCode)
	}
}

func TestEmbeddings(t *testing.T) {
	h := New(catalog(), nil)
	const path = "/v1beta/models/text-embedding-004:batchEmbedContents"
	req := func(text string, dims string) string {
		r := `{"model":"models/text-embedding-004","content":{"parts":[{"text":"` + text + `"}]}`
		if dims != "" {
			r += `,"outputDimensionality":` + dims
		}
		return r + "}"
	}
	resp, body := call(t, h, http.MethodPost, path, "AIzaGood", `{"requests":[`+req("alpha", "")+","+req("alpha", "")+","+req("beta", "")+`]}`)
	var out wire.BatchEmbedContentsResponse
	if resp.StatusCode != 200 || json.Unmarshal(body, &out) != nil || len(out.Embeddings) != 3 {
		t.Fatalf("batch: %d %s", resp.StatusCode, body)
	}
	a, a2, b := out.Embeddings[0].Values, out.Embeddings[1].Values, out.Embeddings[2].Values
	if len(a) != 768 || norm(a) < 0.999 || norm(a) > 1.001 {
		t.Errorf("len %d norm %f", len(a), norm(a))
	}
	if dot(a, a2) < 0.9999 || dot(a, b) > 0.5 {
		t.Errorf("same text dot %f, different text dot %f", dot(a, a2), dot(a, b))
	}
	resp, body = call(t, h, http.MethodPost, path, "AIzaGood", `{"requests":[`+req("alpha", "64")+`]}`)
	if json.Unmarshal(body, &out) != nil || len(out.Embeddings[0].Values) != 64 {
		t.Errorf("outputDimensionality 64: %d %s", resp.StatusCode, body)
	}
	one, body := call(t, h, http.MethodPost, "/v1beta/models/text-embedding-004:embedContent", "AIzaGood", `{"content":{"parts":[{"text":"alpha"}]}}`)
	var single wire.EmbedContentResponse
	if one.StatusCode != 200 || json.Unmarshal(body, &single) != nil || dot(single.Embedding.Values, a) < 0.9999 {
		t.Errorf("embedContent: %d %s", one.StatusCode, body)
	}
	for name, bad := range map[string]string{
		"no requests":         `{"requests":[]}`,
		"model mismatch":      `{"requests":[{"model":"models/other","content":{"parts":[{"text":"a"}]}}]}`,
		"model missing":       `{"requests":[{"content":{"parts":[{"text":"a"}]}}]}`,
		"empty parts":         `{"requests":[{"model":"models/text-embedding-004","content":{"parts":[]}}]}`,
		"too many dims":       `{"requests":[` + req("a", "4096") + `]}`,
		"zero dimensionality": `{"requests":[` + req("a", "0") + `]}`,
	} {
		if resp, body := call(t, h, http.MethodPost, path, "AIzaGood", bad); resp.StatusCode != 400 {
			t.Errorf("%s: %d %s", name, resp.StatusCode, body)
		}
	}
}

func compact(raw json.RawMessage) string {
	var b bytes.Buffer
	json.Compact(&b, raw)
	return b.String()
}

func norm(v []float32) float64 { return math.Sqrt(dot(v, v)) }

func dot(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

func TestCountTokens(t *testing.T) {
	resp, body := call(t, New(catalog(), nil), http.MethodPost, "/v1beta/models/gemini-2.0-flash:countTokens", "AIzaGood", hello)
	var out wire.CountTokensResponse
	if resp.StatusCode != 200 || json.Unmarshal(body, &out) != nil || out.TotalTokens == 0 {
		t.Errorf("countTokens: %d %s", resp.StatusCode, body)
	}
}
