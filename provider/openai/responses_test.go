package openai

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// pathTap records the paths and bodies a handler was sent.
type pathTap struct {
	h      http.Handler
	mu     sync.Mutex
	paths  []string
	bodies []string
}

func (p *pathTap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	p.mu.Lock()
	p.paths, p.bodies = append(p.paths, r.URL.Path), append(p.bodies, string(b))
	p.mu.Unlock()
	r.Body = io.NopCloser(strings.NewReader(string(b)))
	p.h.ServeHTTP(w, r)
}

func (p *pathTap) last() (string, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.paths) == 0 {
		return "", ""
	}
	return p.paths[len(p.paths)-1], p.bodies[len(p.bodies)-1]
}

// newResponsesEnv is the simulator behind a tap, and a client for it.
func newResponsesEnv(t *testing.T) (*pathTap, *sim.Faults, *Client) {
	t.Helper()
	faults := new(sim.Faults)
	tap := &pathTap{h: simopenai.New(catalog(), faults)}
	return tap, faults, serve(t, tap, KindOpenAI, "/v1", testKey)
}

// answer streams req and accumulates the answer.
func answer(t *testing.T, c *Client, req *llm.Request) (*llm.Response, error) {
	t.Helper()
	s, err := c.Stream(t.Context(), req)
	if err != nil {
		return nil, err
	}
	chunks, err := drain(s)
	if !errors.Is(err, io.EOF) {
		return nil, err
	}
	var acc llm.Accumulator
	for _, ch := range chunks {
		acc.Add(ch)
	}
	return acc.Response(), nil
}

func TestResponsesAPIChoice(t *testing.T) {
	tap, _, c := newResponsesEnv(t)
	for _, tc := range []struct {
		model string
		api   llm.UpstreamAPI
		path  string
	}{
		{"gpt-sim", llm.APIAuto, "/v1/chat/completions"},
		{"gpt-5.5-pro", llm.APIAuto, "/v1/responses"},
		{"gpt-sim", llm.APIResponses, "/v1/responses"},
	} {
		req := userRequest(tc.model, "Say hello.")
		req.API = tc.api
		resp, err := answer(t, c, req)
		if err != nil {
			t.Fatalf("%s %q: %v", tc.model, tc.api, err)
		}
		if path, _ := tap.last(); path != tc.path {
			t.Errorf("%s %q went to %s, want %s", tc.model, tc.api, path, tc.path)
		}
		if resp.Choices[0].Message.Text() == "" || resp.Choices[0].FinishReason != llm.FinishStop || resp.Usage == nil || resp.Usage.PromptTokens == 0 {
			t.Errorf("%s %q: answer %+v usage %+v", tc.model, tc.api, resp.Choices[0], resp.Usage)
		}
	}
}

func TestResponsesOnlyModelForcedOnChat(t *testing.T) {
	_, _, c := newResponsesEnv(t)
	req := userRequest("gpt-5.5-pro", "Say hello.")
	req.API = llm.APIChatCompletions
	_, err := c.Stream(t.Context(), req)
	e := asLLM(t, err)
	if e.Kind != llm.KindNotFound || e.Retryable || !strings.Contains(e.Message, "only supported in v1/responses") {
		t.Errorf("error = %+v", e)
	}
}

func TestResponsesRequestBody(t *testing.T) {
	tap, _, c := newResponsesEnv(t)
	strict := true
	req := &llm.Request{Model: "gpt-5.5-pro", Messages: []llm.Message{
		llm.TextMessage(llm.RoleSystem, "Be brief."),
		{Role: llm.RoleUser, Content: []llm.Part{{Type: llm.PartText, Text: "What is in this image? Answer in json."}, llm.ImagePart("https://example.com/a.png", "low")}},
	}, MaxTokens: ptr(8), Temperature: ptr(0.5), Reasoning: &llm.Reasoning{Effort: llm.EffortHigh}, User: "u1", ServiceTier: llm.TierFlex,
		ResponseFormat: &llm.ResponseFormat{Type: llm.FormatJSONSchema, Name: "out", Schema: json.RawMessage(`{"type":"object","properties":{"a":{"type":"string"}},"required":["a"],"additionalProperties":false}`), Strict: &strict},
		Extra:          map[string]json.RawMessage{"safety_identifier": json.RawMessage(`"s1"`), "prompt_cache_key": json.RawMessage(`"k1"`), "logit_bias": json.RawMessage(`{}`)}}
	if _, err := answer(t, c, req); err != nil {
		t.Fatal(err)
	}
	_, body := tap.last()
	var got map[string]any
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"instructions": "Be brief.", "max_output_tokens": 16.0, "store": false, "stream": true, "user": "u1",
		"safety_identifier": "s1", "prompt_cache_key": "k1",
		"reasoning": map[string]any{"effort": "high"}, "include": []any{"reasoning.encrypted_content"},
	}
	for k, v := range want {
		if b1, _ := json.Marshal(got[k]); string(b1) != mustJSON(v) {
			t.Errorf("%s = %s, want %s", k, b1, mustJSON(v))
		}
	}
	for _, k := range []string{"temperature", "service_tier", "logit_bias", "messages"} {
		if _, ok := got[k]; ok {
			t.Errorf("%s sent: %s", k, body)
		}
	}
	if !strings.Contains(body, `"text":{"format":{"type":"json_schema","name":"out"`) || !strings.Contains(body, `{"type":"input_image","image_url":"https://example.com/a.png","detail":"low"}`) {
		t.Errorf("body %s", body)
	}
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

func ptr[T any](v T) *T { return &v }

// TestResponsesReasoningToolLoop: the first turn's reasoning item comes
// back as a thinking block the second turn sends back, which the
// simulator verifies; an altered one is refused.
func TestResponsesReasoningToolLoop(t *testing.T) {
	tap, _, c := newResponsesEnv(t)
	tools := []llm.Tool{{Type: "function", Name: "get_weather", Parameters: json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`)}}
	req := &llm.Request{Model: "gpt-5.5-pro", Tools: tools, Reasoning: &llm.Reasoning{Effort: llm.EffortLow, Show: true},
		Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "Use get_weather for Paris.")}}
	first, err := answer(t, c, req)
	if err != nil {
		t.Fatal(err)
	}
	m := first.Choices[0].Message
	th := m.Thinking()
	if first.Choices[0].FinishReason != llm.FinishToolCalls || len(m.ToolCalls()) != 1 || len(th) != 1 || !th[0].IsOpenAIReasoning() {
		t.Fatalf("first turn: %+v thinking %+v", first.Choices[0], th)
	}
	if first.Usage.ReasoningTokens == 0 {
		t.Errorf("usage %+v: no reasoning tokens", first.Usage)
	}
	next := *req
	next.Messages = append(append([]llm.Message(nil), req.Messages...), m, llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: "18C"}}})
	next.Messages[2].SetToolCallID(m.ToolCalls()[0].ID)
	if _, err := answer(t, c, &next); err != nil {
		t.Fatal(err)
	}
	_, body := tap.last()
	_, enc, _ := th[0].OpenAIReasoning()
	if !strings.Contains(body, `"type":"reasoning"`) || !strings.Contains(body, enc) || !strings.Contains(body, `"type":"function_call_output","call_id":"`+m.ToolCalls()[0].ID) {
		t.Errorf("second turn body does not send the reasoning back: %s", body)
	}
	id, _, _ := th[0].OpenAIReasoning()
	altered := m
	altered.SetThinking([]llm.Thinking{llm.OpenAIReasoning(id, enc[:len(enc)-2]+"xx")})
	next.Messages[1] = altered
	_, err = answer(t, c, &next)
	if e := asLLM(t, err); e.Kind != llm.KindInvalidRequest || e.Code != "invalid_encrypted_content" {
		t.Errorf("altered reasoning: %+v", e)
	}
}

func TestResponsesFaults(t *testing.T) {
	_, faults, c := newResponsesEnv(t)
	for _, tc := range []struct {
		fault     sim.FaultKind
		kind      llm.ErrorKind
		retryable bool
	}{
		{sim.FaultRateLimit, llm.KindRateLimit, true},
		{sim.FaultServerError, llm.KindUpstream, true},
		{sim.FaultCut, llm.KindUpstream, true},
		{"server_error mid-stream", llm.KindUpstream, true},
	} {
		ft := sim.Fault{Kind: tc.fault, Model: "gpt-5.5-pro", Count: 1}
		if tc.fault == "server_error mid-stream" {
			ft.Kind, ft.After = sim.FaultServerError, 2
		}
		faults.Add(ft)
		req := userRequest("gpt-5.5-pro", "Tell me a long story about a lighthouse keeper.")
		if ft.After > 0 { // the stream starts, then fails with response.failed
			s, err := c.Stream(t.Context(), req)
			if err != nil {
				t.Fatalf("%s: %v before the stream", tc.fault, err)
			}
			chunks, err := drain(s)
			if e := asLLM(t, err); len(chunks) == 0 || e.Code != "server_error" || !strings.Contains(e.Message, "The server had an error") {
				t.Errorf("%s: %d chunks, then %+v", tc.fault, len(chunks), e)
			}
			continue
		}
		_, err := answer(t, c, req)
		e := asLLM(t, err)
		if e.Kind != tc.kind || e.Retryable != tc.retryable {
			t.Errorf("%s: error %+v", tc.fault, e)
		}
	}
}

func TestResponsesIncomplete(t *testing.T) {
	_, faults, c := newResponsesEnv(t)
	req := userRequest("gpt-5.5-pro", "Write a long essay on rivers.")
	req.MaxTokens = ptr(16)
	resp, err := answer(t, c, req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Choices[0].FinishReason != llm.FinishLength {
		t.Errorf("finish %q, want length", resp.Choices[0].FinishReason)
	}
	faults.Add(sim.Fault{Kind: sim.FaultRefusal, Model: "gpt-5.5-pro", Count: 1})
	if resp, err = answer(t, c, userRequest("gpt-5.5-pro", "Write about rivers.")); err != nil {
		t.Fatal(err)
	}
	if resp.Choices[0].FinishReason != llm.FinishContentFilter {
		t.Errorf("filtered: finish %q, want content_filter", resp.Choices[0].FinishReason)
	}
}

// TestResponsesUpstreamEvents feeds scripted streams: error events and a
// failed response are errors of their kind, a stream cut before its end
// a retryable one.
func TestResponsesUpstreamEvents(t *testing.T) {
	created := "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\",\"model\":\"gpt-5.5-pro\"}}\n\n"
	delta := "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":1,\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\"}\n\n"
	for name, tc := range map[string]struct {
		body      string
		kind      llm.ErrorKind
		code      string
		retryable bool
	}{
		"error event rate limit": {created + "event: error\ndata: {\"type\":\"error\",\"sequence_number\":1,\"code\":\"rate_limit_exceeded\",\"message\":\"Rate limit reached\",\"param\":null}\n\n", llm.KindRateLimit, "rate_limit_exceeded", true},
		"failed server error":    {created + delta + "event: response.failed\ndata: {\"type\":\"response.failed\",\"sequence_number\":2,\"response\":{\"id\":\"resp_1\",\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"The server had an error\"}}}\n\n", llm.KindUpstream, "server_error", true},
		"context length":         {created + "event: error\ndata: {\"type\":\"error\",\"sequence_number\":1,\"code\":\"context_length_exceeded\",\"message\":\"Your input exceeds the context window of this model.\",\"param\":\"input\"}\n\n", llm.KindInvalidRequest, "context_length_exceeded", false},
		"cut":                    {created + delta, llm.KindUpstream, "", true},
		// The caller's image, refused: not retried, nor failed over.
		"failed image policy": {created + "event: response.failed\ndata: {\"type\":\"response.failed\",\"sequence_number\":1,\"response\":{\"id\":\"resp_1\",\"status\":\"failed\",\"error\":{\"code\":\"image_content_policy_violation\",\"message\":\"Your input image may contain content that is not allowed by our safety system.\"}}}\n\n", llm.KindInvalidRequest, "image_content_policy_violation", false},
	} {
		rec := &recorder{header: map[string]string{"Content-Type": "text/event-stream"}, body: tc.body}
		c := serve(t, rec, KindOpenAI, "/v1", testKey)
		req := userRequest("gpt-5.5-pro", "hi")
		_, err := answer(t, c, req)
		e := asLLM(t, err)
		if e.Kind != tc.kind || e.Code != tc.code || e.Retryable != tc.retryable {
			t.Errorf("%s: error %+v", name, e)
		}
		if r, _ := rec.last(t); r.URL.Path != "/v1/responses" {
			t.Errorf("%s: path %s", name, r.URL.Path)
		}
	}
}

// TestResponsesAzure: Azure's v1 routes serve the Responses API (auto
// picks it for a Responses-only model); its deployment routes have none,
// so auto keeps Chat Completions there, which Azure refuses for the model.
func TestResponsesAzure(t *testing.T) {
	tap := &pathTap{h: simopenai.NewAzure(catalog(), nil)}
	v1 := serve(t, tap, KindAzure, "/openai/v1", testKey)
	if _, err := answer(t, v1, userRequest("gpt-5.5-pro", "Say hello.")); err != nil {
		t.Fatal(err)
	}
	if path, _ := tap.last(); path != "/openai/v1/responses" {
		t.Errorf("azure v1 went to %s", path)
	}
	routes := serve(t, tap, KindAzure, "", testKey)
	_, err := answer(t, routes, userRequest("gpt-5.5-pro", "Say hello."))
	if e := asLLM(t, err); e.Kind != llm.KindInvalidRequest {
		t.Errorf("azure deployment route: %+v", e)
	}
	if path, _ := tap.last(); path != "/openai/deployments/gpt-5.5-pro/chat/completions" {
		t.Errorf("azure deployment route went to %s", path)
	}
}

// TestResponsesBatch: a provider batch of a Responses-only model is a
// batch of the Responses API: its lines are POST /v1/responses bodies,
// not streamed, and its results are read as Response objects (a
// reasoning model's reasoning kept as OpenAI thinking, its usage).
func TestResponsesBatch(t *testing.T) {
	tap, _, c := newResponsesEnv(t)
	ctx := t.Context()
	tools := []llm.Tool{{Type: "function", Name: "get_weather", Parameters: json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"}}}`)}}
	call := userRequest("gpt-5.5-pro", "Use get_weather for Rome.")
	call.Tools = tools
	id, err := c.SubmitBatch(ctx, "", []provider.BatchRequest{{CustomID: "text", Request: userRequest("gpt-5.5-pro", "Why is the sky blue?")},
		{CustomID: "call", Request: call}})
	if err != nil {
		t.Fatal(err)
	}
	for {
		st, err := c.PollBatch(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Ended {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	tap.mu.Lock()
	for _, b := range tap.bodies {
		if strings.Contains(b, "/v1/chat/completions") {
			t.Errorf("a line for Chat Completions: %s", b)
		}
	}
	tap.mu.Unlock()
	rs, err := c.BatchResults(ctx, id)
	if err != nil || len(rs) != 2 {
		t.Fatalf("results %+v, %v", rs, err)
	}
	for _, r := range rs {
		if r.Response == nil || r.Response.Usage == nil || r.Response.Usage.ReasoningTokens == 0 {
			t.Fatalf("%s: %+v", r.CustomID, r)
		}
		ch := r.Response.Choices[0]
		switch r.CustomID {
		case "text":
			if ch.Message.Text() == "" || ch.FinishReason != llm.FinishStop {
				t.Errorf("text: %+v", ch)
			}
		case "call":
			if th := ch.Message.Thinking(); len(ch.Message.ToolCalls()) != 1 || ch.FinishReason != llm.FinishToolCalls || len(th) != 1 || !th[0].IsOpenAIReasoning() {
				t.Errorf("call: %+v thinking %+v", ch, th)
			}
		}
	}
}

// A reasoning item first, not shown to the client (no tools keep it):
// its chunk goes, but the assistant role the decoder put on it stays, on
// a chunk of its own, so the client's first chunk names the role.
func TestResponsesHiddenReasoningKeepsTheRole(t *testing.T) {
	body := "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\",\"model\":\"gpt-5.5-pro\"}}\n\n" +
		"event: response.output_item.done\ndata: {\"type\":\"response.output_item.done\",\"sequence_number\":1,\"output_index\":0,\"item\":{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"Thinking.\"}],\"encrypted_content\":\"gAAA\"}}\n\n" +
		"event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":2,\"output_index\":1,\"content_index\":0,\"delta\":\"Hi\"}\n\n" +
		"event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":3,\"response\":{\"id\":\"resp_1\",\"model\":\"gpt-5.5-pro\",\"status\":\"completed\"}}\n\n"
	c := serve(t, &recorder{header: map[string]string{"Content-Type": "text/event-stream"}, body: body}, KindOpenAI, "/v1", testKey)
	s, err := c.Stream(t.Context(), userRequest("gpt-5.5-pro", "hi"))
	if err != nil {
		t.Fatal(err)
	}
	chunks, err := drain(s)
	if !errors.Is(err, io.EOF) || len(chunks) == 0 {
		t.Fatalf("%d chunks, %v", len(chunks), err)
	}
	first := chunks[0].Choices[0].Delta
	if first.Role != llm.RoleAssistant || first.Thinking != nil {
		t.Errorf("first chunk %+v", first)
	}
	for _, ch := range chunks {
		if len(ch.Choices) > 0 && ch.Choices[0].Delta.Thinking != nil {
			t.Errorf("thinking shown: %+v", ch.Choices[0].Delta)
		}
	}
}
