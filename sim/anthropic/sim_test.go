package anthropic

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"switchyard/provider/sse"
	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const model = "claude-sim-sonnet-4-5-20250929"

func newServer(t *testing.T) (*httptest.Server, *sim.Faults) {
	t.Helper()
	faults := &sim.Faults{}
	cat := sim.NewCatalog(
		sim.Profile{Model: model, MaxOutputTokens: 8192},
		sim.Profile{Model: "claude-sim-haiku-3-5", MaxOutputTokens: 4096},
		sim.Profile{Model: "embedder", Embedding: true},
	)
	srv := httptest.NewServer(New(cat, faults))
	t.Cleanup(func() {
		srv.Client().CloseIdleConnections()
		srv.Close()
	})
	return srv, faults
}

// post sends body to path with the usual headers, minus those in drop.
func post(t *testing.T, srv *httptest.Server, path, body string, drop ...string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
	req.Header.Set("x-api-key", "sk-ant-test")
	req.Header.Set("anthropic-version", "2023-06-01")
	req.Header.Set("content-type", "application/json")
	for _, h := range drop {
		req.Header.Del(h)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestStrictness(t *testing.T) {
	srv, _ := newServer(t)
	const ok = `{"model":"` + model + `","max_tokens":100,"messages":[{"role":"user","content":"Hello"}]}`
	withMsgs := func(msgs string) string {
		return `{"model":"` + model + `","max_tokens":100,"messages":` + msgs + `}`
	}
	toolUse := `{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"f","input":{}}]}`
	tests := []struct {
		name   string
		body   string
		drop   []string
		status int
		typ    wire.ErrorType
		msg    string
	}{
		{"no api key", ok, []string{"x-api-key"}, 401, wire.AuthenticationError, "x-api-key header is required"},
		{"no version", ok, []string{"anthropic-version"}, 400, wire.InvalidRequestError, "anthropic-version: header is required"},
		{"malformed JSON", `{"model":`, nil, 400, wire.InvalidRequestError, "not valid JSON"},
		{"missing max_tokens", `{"model":"` + model + `","messages":[{"role":"user","content":"Hi"}]}`, nil, 400, wire.InvalidRequestError, "max_tokens: Field required"},
		{"missing model", `{"max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}`, nil, 400, wire.InvalidRequestError, "model: Field required"},
		{"OpenAI field", `{"model":"` + model + `","max_tokens":5,"n":1,"messages":[{"role":"user","content":"Hi"}]}`, nil, 400, wire.InvalidRequestError, "n: Extra inputs are not permitted"},
		{"system messages only", withMsgs(`[{"role":"system","content":"Be brief"}]`), nil, 400, wire.InvalidRequestError, `first message must use the "user" role`},
		{"tool role", withMsgs(`[{"role":"tool","content":"x"}]`), nil, 400, wire.InvalidRequestError, "messages.0.role: Input should be 'user', 'assistant' or 'system'"},
		{"empty messages", withMsgs(`[]`), nil, 400, wire.InvalidRequestError, "messages: at least one message is required"},
		{"empty text", withMsgs(`[{"role":"user","content":""}]`), nil, 400, wire.InvalidRequestError, "text content blocks must be non-empty"},
		{"empty content", withMsgs(`[{"role":"user","content":[]}]`), nil, 400, wire.InvalidRequestError, "must have non-empty content"},
		{"unknown model", `{"model":"claude-nope","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}`, nil, 404, wire.NotFoundError, "model: claude-nope"},
		{"embedding model", `{"model":"embedder","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}`, nil, 404, wire.NotFoundError, "model: embedder"},
		{"temperature above 1", `{"model":"` + model + `","max_tokens":5,"temperature":1.5,"messages":[{"role":"user","content":"Hi"}]}`, nil, 400, wire.InvalidRequestError, "temperature: Input should be less than or equal to 1"},
		{"max_tokens over limit", `{"model":"` + model + `","max_tokens":100000,"messages":[{"role":"user","content":"Hi"}]}`, nil, 400, wire.InvalidRequestError, "100000 > 8192"},
		{"starts with assistant", withMsgs(`[{"role":"assistant","content":"Hello!"},{"role":"user","content":"Hi"}]`), nil, 400, wire.InvalidRequestError, `messages: first message must use the "user" role`},
		{"orphan tool_result", withMsgs(`[{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_x","content":"1"}]}]`), nil, 400, wire.InvalidRequestError, "unexpected `tool_use_id`"},
		{"unanswered tool_use", withMsgs(`[{"role":"user","content":"Hi"},` + toolUse + `,{"role":"user","content":"ignored"}]`), nil, 400, wire.InvalidRequestError, "without `tool_result` blocks immediately after"},
		{"text before tool_result", withMsgs(`[{"role":"user","content":"Hi"},` + toolUse + `,{"role":"user","content":[{"type":"text","text":"here"},{"type":"tool_result","tool_use_id":"toolu_1","content":"1"}]}]`), nil, 400, wire.InvalidRequestError, "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1"},
		{"tool_use answered twice", withMsgs(`[{"role":"user","content":"Hi"},` + toolUse + `,{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"1"},{"type":"tool_result","tool_use_id":"toolu_1","content":"1"}]}]`), nil, 400, wire.InvalidRequestError, "messages.2.content.1: each tool_use must have a single result. Found multiple `tool_result` blocks with id: toolu_1"},
		{"repeated tool_use id", withMsgs(`[{"role":"user","content":"Hi"},` + toolUse + `,{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"1"}]},` + toolUse + `,{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"2"}]}]`), nil, 400, wire.InvalidRequestError, "messages.3.content.0: `tool_use` ids must be unique"},
		{"prefill ending in whitespace", withMsgs(`[{"role":"user","content":"Hi"},{"role":"assistant","content":"The answer is "}]`), nil, 400, wire.InvalidRequestError, "messages: final assistant content cannot end with trailing whitespace"},
		{"tool_use in user turn", withMsgs(`[{"role":"user","content":[{"type":"tool_use","id":"toolu_1","name":"f","input":{}}]}]`), nil, 400, wire.InvalidRequestError, "only be in assistant messages"},
		{"bad media type", withMsgs(`[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/bmp","data":"Qk0="}}]}]`), nil, 400, wire.InvalidRequestError, "media_type"},
		{"tool_choice without tools", `{"model":"` + model + `","max_tokens":5,"tool_choice":{"type":"any"},"messages":[{"role":"user","content":"Hi"}]}`, nil, 400, wire.InvalidRequestError, "tool_choice may only be specified while providing tools"},
		{"tool without schema", `{"model":"` + model + `","max_tokens":5,"tools":[{"name":"f"}],"messages":[{"role":"user","content":"Hi"}]}`, nil, 400, wire.InvalidRequestError, "input_schema: Field required"},
		{"thinking budget", `{"model":"` + model + `","max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":4000},"messages":[{"role":"user","content":"Hi"}]}`, nil, 400, wire.InvalidRequestError, "`max_tokens` must be greater than `thinking.budget_tokens`"},
		{"five breakpoints", withMsgs(`[{"role":"user","content":[` + strings.Repeat(`{"type":"text","text":"a","cache_control":{"type":"ephemeral"}},`, 4) + `{"type":"text","text":"b","cache_control":{"type":"ephemeral"}}]}]`), nil, 400, wire.InvalidRequestError, "A maximum of 4 blocks with cache_control"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := post(t, srv, "/v1/messages", tt.body, tt.drop...)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			var e struct {
				Type  string           `json:"type"`
				Error wire.ErrorObject `json:"error"`
				ReqID string           `json:"request_id"`
			}
			if err := json.Unmarshal(body, &e); err != nil || e.Type != "error" || e.Error.Type != tt.typ || !strings.Contains(e.Error.Message, tt.msg) {
				t.Errorf("body %s; want type %s with %q", body, tt.typ, tt.msg)
			}
			if !strings.HasPrefix(e.ReqID, "req_") || resp.Header.Get("request-id") != e.ReqID {
				t.Errorf("request id %q, header %q", e.ReqID, resp.Header.Get("request-id"))
			}
		})
	}
}

// TestAuthHeaders checks both ways to send a key: x-api-key and, as the
// current SDKs do, "Authorization: Bearer".
func TestAuthHeaders(t *testing.T) {
	srv, _ := newServer(t)
	body := `{"model":"` + model + `","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}`
	for _, auth := range []string{"Bearer sk-ant-test", "Basic abc", ""} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/messages", strings.NewReader(body))
		req.Header.Set("anthropic-version", "2026-10-21")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := http.StatusUnauthorized
		if strings.HasPrefix(auth, "Bearer") {
			want = http.StatusOK
		}
		if resp.StatusCode != want {
			t.Errorf("Authorization %q: status %d, want %d", auth, resp.StatusCode, want)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/messages", strings.NewReader(body))
	req.Header.Set("x-api-key", "k")
	req.Header.Set("anthropic-version", "06-01-2023")
	if resp, err := srv.Client().Do(req); err != nil || resp.StatusCode != 400 {
		t.Errorf("malformed version accepted: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
}

// TestFaultControl drives faults through the control API and the random
// error rate of a profile.
func TestFaultControl(t *testing.T) {
	srv, _ := newServer(t)
	body := `{"model":"` + model + `","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}`
	resp, err := srv.Client().Post(srv.URL+"/_sim/faults", "application/json", strings.NewReader(`{"kind":"unavailable","model":"`+model+`","count":1}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("adding a fault: %d", resp.StatusCode)
	}
	for i, want := range []int{529, 200} {
		resp := post(t, srv, "/v1/messages", body)
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != want || (want == 529 && !bytes.Contains(b, []byte(`"overloaded_error"`))) {
			t.Errorf("request %d: %d %s", i, resp.StatusCode, b)
		}
	}
	failing := httptest.NewServer(New(sim.NewCatalog(sim.Profile{Model: "flaky", ErrorRate: 1}), nil))
	defer failing.Close()
	defer failing.Client().CloseIdleConnections()
	resp = post(t, failing, "/v1/messages", strings.Replace(body, model, "flaky", 1))
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 500 || !bytes.Contains(b, []byte(`"api_error"`)) || resp.Header.Get("x-should-retry") != "true" {
		t.Errorf("error rate 1: %d %s", resp.StatusCode, b)
	}
}

func TestAcceptsWhatTheAPIAccepts(t *testing.T) {
	srv, _ := newServer(t)
	for name, body := range map[string]string{
		"consecutive user turns": `{"model":"` + model + `","max_tokens":50,"messages":[{"role":"user","content":"Hi"},{"role":"user","content":"there"}]}`,
		"tool round trip": `{"model":"` + model + `","max_tokens":50,"tools":[{"name":"f","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":"Hi"},` +
			`{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"42"},{"type":"text","text":"go on"}]}]}`,
		"system blocks and url image": `{"model":"` + model + `","max_tokens":50,"system":[{"type":"text","text":"Be brief."}],"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}},{"type":"text","text":"What?"}]}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			resp := post(t, srv, "/v1/messages", body)
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, b)
			}
			var m wire.MessagesResponse
			if err := json.Unmarshal(b, &m); err != nil || !strings.HasPrefix(m.ID, "msg_") || m.Type != "message" || m.StopReason == nil {
				t.Errorf("response %s (%v)", b, err)
			}
		})
	}
}

func TestMethodsAndPaths(t *testing.T) {
	srv, _ := newServer(t)
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/messages", nil)
	req.Header.Set("x-api-key", "k")
	req.Header.Set("anthropic-version", "2023-06-01")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /v1/messages: %d", resp.StatusCode)
	}
	resp = post(t, srv, "/v1/nothing", "{}")
	if resp.StatusCode != 404 {
		t.Errorf("unknown path: %d", resp.StatusCode)
	}
	resp = post(t, srv, "/v1/messages/count_tokens", `{"model":"`+model+`","messages":[{"role":"user","content":"Hello there"}]}`)
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.Contains(b, []byte(`"input_tokens":3`)) {
		t.Errorf("count_tokens: %d %s", resp.StatusCode, b)
	}
	// With thinking, and no max_tokens (count_tokens has none).
	resp = post(t, srv, "/v1/messages/count_tokens", `{"model":"`+model+`","messages":[{"role":"user","content":"Hello there"}],"thinking":{"type":"enabled","budget_tokens":2048}}`)
	b, _ = io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.Contains(b, []byte(`"input_tokens":3`)) {
		t.Errorf("count_tokens with thinking: %d %s", resp.StatusCode, b)
	}
}

func TestModels(t *testing.T) {
	srv, _ := newServer(t)
	get := func(path string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("x-api-key", "k")
		req.Header.Set("anthropic-version", "2023-06-01")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := get("/v1/models")
	want := `{"data":[{"type":"model","id":"claude-sim-haiku-3-5","display_name":"Claude Sim Haiku 3.5","created_at":"2025-02-19T00:00:00Z","capabilities":null,"max_input_tokens":null,"max_tokens":4096},` +
		`{"type":"model","id":"claude-sim-sonnet-4-5-20250929","display_name":"Claude Sim Sonnet 4.5","created_at":"2025-02-19T00:00:00Z","capabilities":null,"max_input_tokens":null,"max_tokens":8192}],` +
		`"has_more":false,"first_id":"claude-sim-haiku-3-5","last_id":"claude-sim-sonnet-4-5-20250929"}`
	if code != 200 || body != want {
		t.Errorf("list: %d\n got %s\nwant %s", code, body, want)
	}
	if code, body = get("/v1/models?limit=1"); !strings.Contains(body, `"has_more":true`) || strings.Contains(body, "sonnet") {
		t.Errorf("limit=1: %d %s", code, body)
	}
	if code, body = get("/v1/models?after_id=claude-sim-haiku-3-5"); !strings.Contains(body, `"first_id":"claude-sim-sonnet`) {
		t.Errorf("after_id: %d %s", code, body)
	}
	if code, _ = get("/v1/models/" + model); code != 200 {
		t.Errorf("get model: %d", code)
	}
	if code, body = get("/v1/models/nope"); code != 404 || !strings.Contains(body, "not_found_error") {
		t.Errorf("get unknown model: %d %s", code, body)
	}
}

// events reads a stream body into (name, data) pairs.
func events(t *testing.T, r io.Reader) (names []string, datas []string) {
	t.Helper()
	sr := sse.NewReader(r)
	for {
		ev, err := sr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("after %v: %v", names, err)
		}
		var head struct{ Type string }
		if json.Unmarshal(ev.Data, &head) != nil || head.Type != ev.Name {
			t.Errorf("event %q carries data %s", ev.Name, ev.Data)
		}
		names = append(names, ev.Name)
		datas = append(datas, string(ev.Data))
	}
}

func TestStreamSequence(t *testing.T) {
	srv, _ := newServer(t)
	body := `{"model":"` + model + `","max_tokens":2000,"stream":true,"thinking":{"type":"enabled","budget_tokens":1024},` +
		`"tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"location":{"type":"string"}}}}],` +
		`"messages":[{"role":"user","content":"Use get_weather for Paris"}]}`
	resp := post(t, srv, "/v1/messages", body)
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream; charset=utf-8" || resp.Header.Get("request-id") == "" {
		t.Errorf("headers: %v", resp.Header)
	}
	names, datas := events(t, resp.Body)
	seq := strings.Join(compress(names), " ")
	want := "message_start content_block_start ping content_block_delta+ content_block_stop " +
		"content_block_start content_block_delta+ content_block_stop message_delta message_stop"
	if seq != want {
		t.Errorf("events:\n got %s\nwant %s", seq, want)
	}
	all := strings.Join(datas, "\n")
	for _, frag := range []string{`"content_block":{"type":"thinking","thinking":"","signature":""}`, `"type":"signature_delta"`,
		`"content_block":{"type":"tool_use","id":"toolu_01`, `"input":{}}`, `"partial_json":""`, `"stop_reason":"tool_use"`, `"id":"msg_01`} {
		if !strings.Contains(all, frag) {
			t.Errorf("stream lacks %s:\n%s", frag, all)
		}
	}
}

// compress writes repeated names once, with a "+".
func compress(names []string) []string {
	var out []string
	for i, n := range names {
		switch {
		case i > 0 && names[i-1] == n && strings.HasSuffix(out[len(out)-1], "+"):
		case i > 0 && names[i-1] == n:
			out[len(out)-1] += "+"
		default:
			out = append(out, n)
		}
	}
	return out
}

func TestStopSequenceAndJSON(t *testing.T) {
	srv, _ := newServer(t)
	resp := post(t, srv, "/v1/messages", `{"model":"`+model+`","max_tokens":100,"stop_sequences":["answering"],"messages":[{"role":"user","content":"Hi"}]}`)
	var m wire.MessagesResponse
	json.NewDecoder(resp.Body).Decode(&m)
	if *m.StopReason != wire.StopStopSequence || m.StopSequence == nil || *m.StopSequence != "answering" || strings.Contains(m.Content[0].Text, "answering") {
		t.Errorf("stop sequence: %+v %q", m, m.Content[0].Text)
	}
	// Billed is what was generated up to the stop, as the other sims bill it.
	if want := len(sim.Split(m.Content[0].Text)); m.Usage.OutputTokens != want {
		t.Errorf("output_tokens %d for the %q the stop sequence left, want %d", m.Usage.OutputTokens, m.Content[0].Text, want)
	}
	// The JSON instruction FromLLM writes makes the sim answer JSON, fenced
	// as Claude models asked by prompt alone often fence it.
	schema := `{"type":"object","properties":{"city":{"type":"string"},"population":{"type":"integer"}},"required":["city"]}`
	instr := `Respond with a single JSON value that conforms to the JSON Schema below, and nothing else: no prose before or after it and no Markdown code fences.\nJSON Schema:\n` + strings.ReplaceAll(schema, `"`, `\"`)
	resp = post(t, srv, "/v1/messages", `{"model":"`+model+`","max_tokens":100,"system":[{"type":"text","text":"`+instr+`"}],"messages":[{"role":"user","content":"Biggest city?"}]}`)
	json.NewDecoder(resp.Body).Decode(&m)
	if m.Content[0].Text != "```json\n{\"city\":\"example\",\"population\":7}\n```" {
		t.Errorf("JSON answer %q", m.Content[0].Text)
	}
}
