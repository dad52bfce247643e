package openai

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchyard/sim"
)

// do sends one request and returns the status, headers and body.
func do(t *testing.T, hc *http.Client, method, url, body string, header map[string]string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

var bearer = map[string]string{"Authorization": "Bearer sk-sim", "Content-Type": "application/json"}

// errorOf decodes {"error":{...}} keeping nulls visible.
func errorOf(t *testing.T, body string) map[string]any {
	t.Helper()
	var v struct{ Error map[string]any }
	if err := json.Unmarshal([]byte(body), &v); err != nil || v.Error == nil {
		t.Fatalf("not an error object: %s", body)
	}
	return v.Error
}

func TestOpenAIValidation(t *testing.T) {
	url, hc := start(t, New(testCatalog(), nil))
	chat := url + "/v1/chat/completions"
	tests := []struct {
		name, method, url, body string
		header                  map[string]string
		status                  int
		param, code, msg        any // nil means JSON null
	}{
		{"no key", "POST", chat, `{"model":"gpt-sim","messages":[{"role":"user","content":"hi"}]}`, nil, 401, nil, nil, "You didn't provide an API key."},
		{"unknown model", "POST", chat, `{"model":"gpt-x","messages":[{"role":"user","content":"hi"}]}`, bearer, 404, nil, "model_not_found", "The model `gpt-x` does not exist or you do not have access to it."},
		{"malformed JSON", "POST", chat, `{"model":"gpt-sim",`, bearer, 400, "", "", ""},
		{"no messages", "POST", chat, `{"model":"gpt-sim"}`, bearer, 400, "messages", "", ""},
		{"unknown argument", "POST", chat, `{"model":"gpt-sim","messages":[{"role":"user","content":"hi"}],"top_k":3}`, bearer, 400, nil, nil, "Unrecognized request argument supplied: top_k"},
		{"reasoning_effort on a non-reasoning model", "POST", chat, `{"model":"gpt-sim","messages":[{"role":"user","content":"hi"}],"reasoning_effort":"low"}`, bearer, 400, "reasoning_effort", "unsupported_parameter", "Unsupported parameter: 'reasoning_effort' is not supported with this model."},
		{"bad reasoning_effort", "POST", chat, `{"model":"gpt-sim","messages":[{"role":"user","content":"hi"}],"reasoning_effort":"huge"}`, bearer, 400, "reasoning_effort", nil, "Invalid value for 'reasoning_effort': 'huge'."},
		{"json_object without json", "POST", chat, `{"model":"gpt-sim","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_object"}}`, bearer, 400, "messages", nil, "must contain the word 'json'"},
		{"orphan tool message", "POST", chat, `{"model":"gpt-sim","messages":[{"role":"user","content":"hi"},{"role":"tool","tool_call_id":"call_9","content":"1"}]}`, bearer, 400, "messages.[1].role", nil, "messages with role 'tool' must be a response to a preceeding message with 'tool_calls'"},
		{"unanswered tool call", "POST", chat, `{"model":"gpt-sim","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"user","content":"go on"}]}`, bearer, 400, "messages.[1].role", nil, "did not have response messages: call_1"},
		{"unanswered function call", "POST", url + "/v1/responses", `{"model":"gpt-sim","input":[{"role":"user","content":"hi"},{"type":"function_call","call_id":"call_1","name":"f","arguments":"{}"},{"role":"user","content":"go on"}]}`, bearer, 400, "input", nil, "No tool output found for function call call_1."},
		{"max tokens too large", "POST", chat, `{"model":"gpt-sim-small","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":500}`, bearer, 400, "max_completion_tokens", "invalid_value", "max_completion_tokens is too large: 500"},
		{"context too long", "POST", chat, `{"model":"gpt-sim-small","messages":[{"role":"user","content":"` + strings.Repeat("abcd ", 1000) + `"}]}`, bearer, 400, "messages", "context_length_exceeded", "maximum context length is 1000 tokens"},
		{"chat to embedding model", "POST", chat, `{"model":"embed-sim","messages":[{"role":"user","content":"hi"}]}`, bearer, 404, "model", nil, "This is not a chat model"},
		{"embeddings to chat model", "POST", url + "/v1/embeddings", `{"model":"gpt-sim","input":"hi"}`, bearer, 403, nil, nil, "You are not allowed to generate embeddings from this model"},
		{"embeddings without input", "POST", url + "/v1/embeddings", `{"model":"embed-sim"}`, bearer, 400, "", "", ""},
		{"embeddings empty string", "POST", url + "/v1/embeddings", `{"model":"embed-sim","input":""}`, bearer, 400, "", "", ""},
		{"embeddings empty token array", "POST", url + "/v1/embeddings", `{"model":"embed-sim","input":[[1,2],[]]}`, bearer, 400, "", "", ""},
		{"embeddings too many dimensions", "POST", url + "/v1/embeddings", `{"model":"embed-sim","input":"a","dimensions":64}`, bearer, 400, "dimensions", "", ""},
		{"unknown route", "GET", url + "/v1/chat/completions", "", bearer, 404, nil, nil, "Invalid URL (GET /v1/chat/completions)"},
		{"unknown model id", "GET", url + "/v1/models/nope", "", bearer, 404, "model", "model_not_found", "The model 'nope' does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, h, body := do(t, hc, tt.method, tt.url, tt.body, tt.header)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			if h.Get("Content-Type") != "application/json" || h.Get("X-Request-Id") == "" {
				t.Errorf("headers = %v", h)
			}
			e := errorOf(t, body)
			for _, f := range []struct {
				key  string
				want any
			}{{"param", tt.param}, {"code", tt.code}} {
				if f.want == "" { // anything
					continue
				}
				if got, ok := e[f.key]; !ok || got != f.want {
					t.Errorf("%s = %#v, want %#v (%s)", f.key, got, f.want, body)
				}
			}
			if msg, _ := e["message"].(string); msg == "" || !strings.Contains(msg, tt.msg.(string)) {
				t.Errorf("message = %q, want %q", msg, tt.msg)
			}
			if _, ok := e["type"].(string); !ok {
				t.Errorf("type missing: %s", body)
			}
		})
	}
}

func TestOpenAIRateLimitShape(t *testing.T) {
	url, hc := start(t, New(testCatalog(), nil))
	status, h, body := do(t, hc, "POST", url+"/v1/chat/completions", `{"model":"gpt-sim","messages":[{"role":"user","content":"hi [[sim:rate_limit=7]]"}]}`, bearer)
	if status != 429 || h.Get("Retry-After") != "7" || h.Get("X-Ratelimit-Remaining-Requests") != "0" || h.Get("X-Ratelimit-Limit-Requests") == "" {
		t.Errorf("status %d headers %v", status, h)
	}
	e := errorOf(t, body)
	if e["type"] != "requests" || e["code"] != "rate_limit_exceeded" || e["param"] != nil {
		t.Errorf("error = %v", e)
	}
}

// TestStreamWireFormat checks the stream byte for byte where OpenAI is
// specific: a role chunk with empty content, "usage":null on every chunk
// when usage is asked for, the usage chunk with "choices":[], then [DONE].
func TestStreamWireFormat(t *testing.T) {
	url, hc := start(t, New(testCatalog(), nil))
	req, _ := http.NewRequest("POST", url+"/v1/chat/completions", strings.NewReader(`{"model":"gpt-sim","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}`))
	for k, v := range bearer {
		req.Header.Set(k, v)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("content type %q", ct)
	}
	var events []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok {
			t.Fatalf("unexpected line %q", line)
		}
		events = append(events, data)
	}
	if n := len(events); n < 5 || events[n-1] != "[DONE]" {
		t.Fatalf("events = %q", events)
	}
	type chunk struct {
		Object  string
		Choices []struct {
			Delta        map[string]any
			FinishReason *string `json:"finish_reason"`
		}
		Usage json.RawMessage
	}
	var chunks []chunk
	for _, ev := range events[:len(events)-1] {
		var c chunk
		if err := json.Unmarshal([]byte(ev), &c); err != nil {
			t.Fatalf("event %s: %v", ev, err)
		}
		if c.Object != "chat.completion.chunk" || !strings.Contains(ev, `"usage":`) {
			t.Errorf("chunk %s", ev)
		}
		chunks = append(chunks, c)
	}
	first, fin, usage := chunks[0], chunks[len(chunks)-2], chunks[len(chunks)-1]
	if first.Choices[0].Delta["role"] != "assistant" || first.Choices[0].Delta["content"] != "" || string(first.Usage) != "null" {
		t.Errorf("first chunk = %s", events[0])
	}
	if fin.Choices[0].FinishReason == nil || *fin.Choices[0].FinishReason != "stop" || len(fin.Choices[0].Delta) != 0 {
		t.Errorf("finish chunk = %s", events[len(events)-3])
	}
	if usage.Choices == nil || len(usage.Choices) != 0 || !strings.Contains(string(usage.Usage), `"prompt_tokens"`) {
		t.Errorf("usage chunk = %s", events[len(events)-2])
	}
}

func TestEmbeddingsTokenInput(t *testing.T) {
	url, hc := start(t, New(testCatalog(), nil))
	for _, in := range []string{`[1,2,3]`, `[[1,2,3],[9]]`} {
		status, _, body := do(t, hc, "POST", url+"/v1/embeddings", `{"model":"embed-sim","input":`+in+`}`, bearer)
		var resp struct {
			Data  []struct{ Embedding []float64 }
			Usage struct {
				PromptTokens int `json:"prompt_tokens"`
			}
		}
		if err := json.Unmarshal([]byte(body), &resp); status != 200 || err != nil || len(resp.Data) == 0 || len(resp.Data[0].Embedding) != 32 || resp.Usage.PromptTokens < 3 {
			t.Errorf("input %s: status %d body %s", in, status, body)
		}
	}
}

func TestModels(t *testing.T) {
	url, hc := start(t, New(testCatalog(), nil))
	status, _, body := do(t, hc, "GET", url+"/v1/models", "", bearer)
	var list struct {
		Object string
		Data   []struct{ ID, Object, OwnedBy string }
	}
	if err := json.Unmarshal([]byte(body), &list); status != 200 || err != nil || list.Object != "list" || len(list.Data) != len(testCatalog()) || list.Data[0].ID != "embed-sim" {
		t.Errorf("status %d list %s", status, body)
	}
	status, _, body = do(t, hc, "GET", url+"/v1/models/gpt-sim", "", bearer)
	if status != 200 || !strings.Contains(body, `"id":"gpt-sim","object":"model"`) {
		t.Errorf("status %d model %s", status, body)
	}
}

func TestFaultControlAPI(t *testing.T) {
	faults := new(sim.Faults)
	url, hc := start(t, New(testCatalog(), faults))
	status, _, _ := do(t, hc, "POST", url+"/_sim/faults", `{"kind":"unavailable","model":"gpt-sim","count":1}`, nil)
	if status != http.StatusNoContent {
		t.Fatalf("add fault: %d", status)
	}
	body := `{"model":"gpt-sim","messages":[{"role":"user","content":"hi"}]}`
	if status, _, _ := do(t, hc, "POST", url+"/v1/chat/completions", body, bearer); status != 503 {
		t.Errorf("with the fault: %d", status)
	}
	if status, _, _ := do(t, hc, "POST", url+"/v1/chat/completions", body, bearer); status != 200 {
		t.Errorf("after the fault: %d", status)
	}
}

func TestLatency(t *testing.T) {
	cat := sim.NewCatalog(sim.Profile{Model: "slow", TTFT: 80 * time.Millisecond})
	url, hc := start(t, New(cat, nil))
	// A lower bound only: the simulator waits on real timers (it serves
	// real sockets), and a timer never fires early, so a busy machine
	// cannot make this fail the way an upper bound would.
	t0 := time.Now()
	status, h, _ := do(t, hc, "POST", url+"/v1/chat/completions", `{"model":"slow","messages":[{"role":"user","content":"hi"}]}`, bearer)
	if status != 200 || time.Since(t0) < 80*time.Millisecond || h.Get("Openai-Processing-Ms") == "" {
		t.Errorf("status %d after %v, headers %v", status, time.Since(t0), h)
	}
}

func TestAzure(t *testing.T) {
	url, hc := start(t, NewAzure(testCatalog(), nil))
	key := map[string]string{"api-key": "k", "Content-Type": "application/json"}
	chat := `{"messages":[{"role":"user","content":"hi"}]}`
	dep := url + "/openai/deployments/gpt-sim/chat/completions"
	tests := []struct {
		name, url, body string
		header          map[string]string
		status          int
		code            string
	}{
		{"ok", dep + "?api-version=2024-10-21", chat, key, 200, ""},
		{"bearer token", dep + "?api-version=2024-10-21", chat, bearer, 200, ""},
		{"no api-version", dep, chat, key, 404, "404"},
		{"bad api-version", dep + "?api-version=latest", chat, key, 400, "BadRequest"},
		{"no key", dep + "?api-version=2024-10-21", chat, nil, 401, "401"},
		{"unknown deployment", url + "/openai/deployments/nope/chat/completions?api-version=2024-10-21", chat, key, 404, "DeploymentNotFound"},
		{"chat to embedding deployment", url + "/openai/deployments/embed-sim/chat/completions?api-version=2024-10-21", chat, key, 400, "OperationNotSupported"},
		{"embeddings", url + "/openai/deployments/embed-sim/embeddings?api-version=2024-10-21", `{"input":["a","b"]}`, key, 200, ""},
		{"content filter", dep + "?api-version=2024-10-21", `{"messages":[{"role":"user","content":"[[sim:content_filter]]"}]}`, key, 400, "content_filter"},
		{"v1 route", url + "/openai/v1/chat/completions", `{"model":"gpt-sim","messages":[{"role":"user","content":"hi"}]}`, key, 200, ""},
		{"v1 unknown model", url + "/openai/v1/chat/completions", `{"model":"nope","messages":[{"role":"user","content":"hi"}]}`, key, 404, "DeploymentNotFound"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, h, body := do(t, hc, "POST", tt.url, tt.body, tt.header)
			if status != tt.status || h.Get("Apim-Request-Id") == "" {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			if tt.code != "" {
				if e := errorOf(t, body); e["code"] != tt.code {
					t.Errorf("code = %v, want %s: %s", e["code"], tt.code, body)
				}
			}
		})
	}
}
