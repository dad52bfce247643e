package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// leakSent is one request of the leak test and what the client got.
type leakSent struct {
	kind   string
	id     string
	status int
	body   []byte // the response body (a stream's events)
}

// leakHeaders are the headers every raw request of the leak test sends:
// a custom one carrying a secret and a caller's trace.
func leakHeaders(auth map[string]string) map[string]string {
	h := map[string]string{
		"x-custom":    leakHeader.value,
		"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
	}
	for k, v := range auth {
		h[k] = v
	}
	return h
}

var (
	bearer  = map[string]string{"Authorization": "Bearer " + leakClientBearer.value}
	xAPIKey = map[string]string{"x-api-key": leakClientXAPIKey.value}
)

// chatJSON is a chat request body with the user field set.
func chatJSON(model string, stream bool, messages []map[string]any, extra map[string]any) []byte {
	m := map[string]any{"model": model, "stream": stream, "messages": messages, "user": leakUser.value}
	if stream {
		m["stream_options"] = map[string]bool{"include_usage": true}
	}
	for k, v := range extra {
		m[k] = v
	}
	b, _ := json.Marshal(m)
	return b
}

func userMsg(text string) []map[string]any {
	return []map[string]any{{"role": "user", "content": text}}
}

// toolEchoMessages is a conversation whose last turn is a tool result
// full of personal data and a key, with the arguments of the call that
// asked for it holding secrets too; the simulated model quotes the result
// in its answer.
func toolEchoMessages() []map[string]any {
	args, _ := json.Marshal(map[string]string{"email": leakEmail.value, "api_key": leakOpenAIKey.value, "card": leakCard.value})
	return []map[string]any{
		{"role": "user", "content": "Look up my account. " + secretPrompt()},
		{"role": "assistant", "content": nil, "tool_calls": []map[string]any{{
			"id": "call_leak1", "type": "function", "function": map[string]any{"name": "lookup_account", "arguments": string(args)},
		}}},
		{"role": "tool", "tool_call_id": "call_leak1", "content": toolResult},
	}
}

// toolResult is what the tool answered; the model's answer quotes it.
var toolResult = "token " + leakGitHubToken.value + " belongs to " + leakEmail.value + ", SSN " + leakSSN.value +
	", IBAN " + leakIBAN.value

// leakTool is a tool whose schema makes the model call it with the tool
// argument canary.
var leakTool = map[string]any{"type": "function", "function": map[string]any{
	"name": "lookup_account",
	"parameters": map[string]any{"type": "object", "required": []string{"token"},
		"properties": map[string]any{"token": map[string]any{"type": "string", "const": leakToolArg.value}}},
}}

// sendLeakTraffic sends requests of every kind, each carrying canaries,
// and checks each was answered as its kind says.
func sendLeakTraffic(t *testing.T, le *leakEnv) []leakSent {
	prompt := secretPrompt()
	var out []leakSent
	raw := func(kind, path string, body []byte, auth map[string]string, status int) leakSent {
		t.Helper()
		resp, b := postH(t, le.URL+path, body, leakHeaders(auth))
		s := leakSent{kind: kind, id: resp.Header.Get("x-switchyard-request-id"), status: resp.StatusCode, body: b}
		if s.status != status || s.id == "" {
			t.Fatalf("%s: status %d (want %d), request id %q: %s", kind, s.status, status, s.id, b)
		}
		out = append(out, s)
		return s
	}
	out = append(out, sendLeakSDK(t, le, prompt)...)
	raw("streamed", "/v1/chat/completions?api_key="+leakAnthropicKey.value, chatJSON("plain", true, userMsg(prompt), nil), xAPIKey, 200)
	for _, stream := range []bool{false, true} {
		s := raw("tool result echoed", "/v1/chat/completions", chatJSON("plain", stream, toolEchoMessages(), nil), bearer, 200)
		// The control: the client gets the answer as the model gave it,
		// secrets and all; only what the router keeps is masked.
		if a := answerText(t, s); !strings.Contains(a, leakGitHubToken.value) || !strings.Contains(a, leakEmail.value) {
			t.Errorf("the echoed answer reached the client without its secrets: %s", a)
		}
		s = raw("tool call", "/v1/chat/completions",
			chatJSON("plain", stream, userMsg("Please lookup account details."), map[string]any{"tools": []any{leakTool}}), bearer, 200)
		if a := answerText(t, s); !strings.Contains(a, leakToolArg.value) {
			t.Errorf("the tool call reached the client without its argument: %s", a)
		}
	}
	// Each simulated wire format carries its key its own way (Azure's
	// api-key, Gemini's x-goog-api-key).
	raw("complete (azure)", "/v1/chat/completions", chatJSON("azure-gpt-4o-mini", false, userMsg(prompt), nil), bearer, 200)
	raw("streamed (gemini)", "/v1/chat/completions", chatJSON("gemini-2.5-flash", true, userMsg(prompt), nil), xAPIKey, 200)
	raw("failed over", "/v1/chat/completions", chatJSON("failover", false, userMsg(prompt), nil), bearer, 200)
	failed := raw("failed", "/v1/chat/completions", chatJSON("broken", false, userMsg(prompt), nil), bearer, http.StatusBadRequest)
	if !strings.Contains(string(failed.body), "[REDACTED:") {
		t.Errorf("the upstream's error reached the client unmasked: %s", failed.body)
	}
	raw("stream broken by an error event", "/v1/chat/completions", chatJSON("leakstream", true, userMsg(prompt), nil), xAPIKey, 200)
	raw("resumed", "/v1/chat/completions", chatJSON("resume", true, userMsg("Tell me about rivers. [[sim:cut]] "+prompt), nil), bearer, 200)
	emb, _ := json.Marshal(map[string]any{"model": "text-embedding-3-small", "input": []string{prompt}, "user": leakUser.value})
	// A response with store false keeps nothing (a stored one keeps the
	// conversation unredacted, by design: docs/security.md#stored-responses).
	for _, stream := range []bool{false, true} {
		body, _ := json.Marshal(map[string]any{"model": "plain", "store": false, "stream": stream, "input": prompt})
		raw(fmt.Sprintf("responses, store false (stream %v)", stream), "/v1/responses", body, bearer, 200)
	}
	raw("embeddings", "/v1/embeddings", emb, bearer, 200)
	mod, _ := json.Marshal(map[string]any{"input": []string{prompt}})
	raw("moderations", "/v1/moderations", mod, bearer, 200)
	img, _ := json.Marshal(map[string]any{"model": "dall-e-3", "prompt": prompt})
	raw("images", "/v1/images/generations", img, bearer, 200)
	speech, _ := json.Marshal(map[string]any{"model": "tts-1", "voice": "alloy", "input": prompt})
	raw("speech", "/v1/audio/speech", speech, bearer, 200)
	raw("dry run", "/v1/route", chatJSON("plain", false, userMsg(prompt), nil), xAPIKey, 200)
	capped := leakHeaders(bearer)
	capped["x-switchyard-max-cost-usd"] = "0.0000001"
	raw("rejected by a cost cap", "/v1/chat/completions", chatJSON("plain", false, userMsg(prompt), nil), capped, http.StatusUnprocessableEntity)
	raw("rejected: unknown key", "/v1/chat/completions", chatJSON("plain", false, userMsg(prompt), nil),
		map[string]string{"Authorization": "Bearer " + leakUnknownKey.value}, http.StatusUnauthorized)
	raw("rejected: unknown model", "/v1/chat/completions", chatJSON(leakModel.value, false, userMsg(prompt), nil), bearer, http.StatusNotFound)
	pinned := leakHeaders(bearer)
	pinned["x-switchyard-model"] = leakPin.value
	raw("rejected: unknown pinned deployment", "/v1/chat/completions", chatJSON("plain", false, userMsg(prompt), nil), pinned, http.StatusBadRequest)
	raw("rejected: malformed", "/v1/chat/completions", []byte(`{"model":"plain","messages":[{"role":"user","content":"`+
		leakGitHubToken.value+` `+leakEmail.value+`"}],`), bearer, http.StatusBadRequest)
	return out
}

// sendLeakSDK sends a completion and a stream with the official SDK,
// secrets in the prompt, the user field and a custom header.
func sendLeakSDK(t *testing.T, le *leakEnv, prompt string) []leakSent {
	client := openai.NewClient(option.WithBaseURL(le.URL+"/v1"), option.WithAPIKey(leakClientBearer.value), option.WithMaxRetries(0),
		option.WithHeader("x-custom", leakHeader.value))
	params := openai.ChatCompletionNewParams{
		Model: "plain",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.SystemMessage("Support bot.\x00 Escalate to " + leakEmail.value + // NUL: PostgreSQL cannot store it as is
			". Retired key: " + leakProviderKeys["leaky"].value), openai.UserMessage(prompt)},
		User: openai.String(leakUser.value),
	}
	var resp *http.Response
	c, err := client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&resp))
	if err != nil {
		t.Fatalf("SDK completion: %v", err)
	}
	out := []leakSent{{kind: "complete (SDK)", id: resp.Header.Get("x-switchyard-request-id"), status: resp.StatusCode, body: []byte(c.RawJSON())}}
	stream := client.Chat.Completions.NewStreaming(ctxT(t), params, option.WithResponseInto(&resp))
	var text strings.Builder
	for stream.Next() {
		if ch := stream.Current(); len(ch.Choices) > 0 {
			text.WriteString(ch.Choices[0].Delta.Content)
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatalf("SDK stream: %v", err)
	}
	stream.Close()
	out = append(out, leakSent{kind: "streamed (SDK)", id: resp.Header.Get("x-switchyard-request-id"), status: resp.StatusCode, body: []byte(text.String())})
	for _, s := range out {
		if s.id == "" || s.status != 200 {
			t.Fatalf("%s: status %d, request id %q", s.kind, s.status, s.id)
		}
	}
	return out
}

// answerText is the text and tool-call arguments of the answer s got,
// a stream's deltas joined.
func answerText(t *testing.T, s leakSent) string {
	t.Helper()
	type message struct {
		Content   string `json:"content"`
		ToolCalls []struct {
			Function struct {
				Arguments string `json:"arguments"`
			} `json:"function"`
		} `json:"tool_calls"`
	}
	var b strings.Builder
	add := func(m message) {
		b.WriteString(m.Content)
		for _, c := range m.ToolCalls {
			b.WriteString(c.Function.Arguments)
		}
	}
	type envelope struct {
		Choices []struct {
			Message message `json:"message"`
			Delta   message `json:"delta"`
		} `json:"choices"`
	}
	var whole envelope
	if json.Unmarshal(s.body, &whole) == nil {
		for _, c := range whole.Choices {
			add(c.Message)
		}
		return b.String()
	}
	for _, line := range strings.Split(string(s.body), "\n") {
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok || data == "[DONE]" {
			continue
		}
		var ev envelope
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			t.Fatalf("%s: event %q: %v", s.kind, data, err)
		}
		for _, c := range ev.Choices {
			add(c.Delta)
		}
	}
	return b.String()
}
