package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	simgemini "switchyard/sim/gemini"
)

// newClientTap starts a tap in front of the router at routerURL: what a
// client sends the router, kept as the router gets it (its address is
// the client's base URL in the router's place).
func newClientTap(t *testing.T, routerURL string) (*tap, string) {
	t.Helper()
	u, err := url.Parse(routerURL)
	if err != nil {
		t.Fatal(err)
	}
	ct := &tap{target: u.Host}
	ts := httptest.NewServer(ct.wrap(http.HandlerFunc(ct.forward)))
	t.Cleanup(ts.Close)
	return ct, ts.URL
}

// lastResponsesBody returns the body of the last POST /v1/responses a
// client tap kept.
func lastResponsesBody(t *testing.T, ct *tap) map[string]json.RawMessage {
	t.Helper()
	reqs := ct.requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if strings.HasSuffix(reqs[i].path, "/v1/responses") {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(reqs[i].body, &m); err != nil {
				t.Fatal(err)
			}
			return m
		}
	}
	t.Fatal("the client sent no POST /v1/responses")
	return nil
}

// replayedReasoning is a reasoning item a client sent back.
type replayedReasoning struct {
	Type             string `json:"type"`
	ID               string `json:"id"`
	EncryptedContent string `json:"encrypted_content"`
	Summary          []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	} `json:"summary"`
}

// reasoningItemsOf returns the reasoning items of a Responses request's
// input, failing on one with a field the CLI is not known to send.
func reasoningItemsOf(t *testing.T, body map[string]json.RawMessage) []replayedReasoning {
	t.Helper()
	var input []map[string]json.RawMessage
	if err := json.Unmarshal(body["input"], &input); err != nil {
		t.Fatalf("input: %v", err)
	}
	var out []replayedReasoning
	for _, it := range input {
		if string(it["type"]) != `"reasoning"` {
			continue
		}
		for k := range it {
			if k != "type" && k != "id" && k != "encrypted_content" && k != "summary" {
				t.Errorf("the reasoning item sent back has %q, which this test does not expect", k)
			}
		}
		raw, _ := json.Marshal(it)
		var r replayedReasoning
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// replayTurn sends body, a turn a client sent, again through openai-go
// with its model set to model and not streamed, and returns the answer
// and the x-switchyard-route header.
func replayTurn(t *testing.T, e *env, body map[string]json.RawMessage, model string) (*responses.Response, string) {
	t.Helper()
	m := make(map[string]json.RawMessage, len(body))
	for k, v := range body {
		m[k] = v
	}
	m["model"], _ = json.Marshal(model)
	delete(m, "stream")
	delete(m, "stream_options")
	raw, _ := json.Marshal(m)
	var hr *http.Response
	got, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{},
		option.WithRequestBody("application/json", raw), option.WithResponseInto(&hr))
	if err != nil {
		t.Fatalf("the turn sent again to %s: %v", model, err)
	}
	return got, hr.Header.Get("x-switchyard-route")
}

// checkReplayedItems checks the reasoning items a client sent back are
// the router's (rs_ ids, encrypted_content it sealed, summary_text
// parts), and returns their summaries' texts: what no other model's
// upstream may be sent.
func checkReplayedItems(t *testing.T, items []replayedReasoning) []string {
	t.Helper()
	var texts []string
	for _, r := range items {
		if r.Type != "reasoning" || !strings.HasPrefix(r.ID, "rs_") || !strings.HasPrefix(r.EncryptedContent, "swy1.") || len(r.Summary) == 0 {
			t.Errorf("reasoning item sent back: %+v", r)
		}
		for _, s := range r.Summary {
			if s.Type != "summary_text" || s.Text == "" {
				t.Errorf("summary part sent back: %+v", s)
			}
			texts = append(texts, s.Text)
		}
	}
	return texts
}

// checkOwnReasoning checks the turn the client sent reached tc's
// upstream with the reasoning its model wants back, and returns what of
// it (Claude's thinking and signatures, Gemini's signatures) no other
// model's upstream may be sent.
func checkOwnReasoning(t *testing.T, tp *tap, tc qwenResponsesCase, turn map[string]json.RawMessage) []string {
	t.Helper()
	switch tc.path {
	case "/v1/messages":
		var out []string
		for _, b := range claudeTurnThinking(t, tp) {
			var blk struct{ Thinking, Signature string }
			if err := json.Unmarshal([]byte(b), &blk); err != nil {
				t.Fatal(err)
			}
			if blk.Signature == "" {
				t.Errorf("Claude's thinking went back unsigned: %s", b)
			}
			out = append(out, blk.Thinking, blk.Signature)
		}
		if len(out) == 0 && tc.items > 0 {
			t.Error("the assistant turn reached Claude without its thinking")
		}
		return out
	case ":streamGenerateContent":
		return checkGeminiSignature(t, tp, tc, turn)
	}
	for _, m := range chatMessagesOf(t, tp.lastBody(t, tc.path)) {
		for _, k := range []string{"reasoning_content", "reasoning", "reasoning_details", "thinking"} {
			if m[k] != nil {
				t.Errorf("a message reached %s with %s: %s", tc.model, k, m[k])
			}
		}
	}
	return nil
}

// checkGeminiSignature checks the call of the turn reached Gemini with
// the signature the simulated model put on it (when it thinks), and no
// thought part; it returns the signatures sent.
func checkGeminiSignature(t *testing.T, tp *tap, tc qwenResponsesCase, turn map[string]json.RawMessage) []string {
	t.Helper()
	var call struct{ Name, Arguments string }
	var input []map[string]json.RawMessage
	if err := json.Unmarshal(turn["input"], &input); err != nil {
		t.Fatal(err)
	}
	for _, it := range input {
		if string(it["type"]) == `"function_call"` {
			json.Unmarshal(it["name"], &call.Name)
			json.Unmarshal(it["arguments"], &call.Arguments)
		}
	}
	var sigs []string
	for _, p := range geminiPartsOf(t, tp.lastBody(t, tc.path)) {
		if p.Thought {
			t.Errorf("a thought part reached Gemini: %+v", p)
		}
		if p.FunctionCall == nil {
			continue
		}
		if want := simgemini.CallSignature(call.Name, call.Arguments); tc.items > 0 && p.ThoughtSignature != want {
			t.Errorf("the call went back to Gemini with signature %q, want the model's %q", p.ThoughtSignature, want)
		}
		if p.ThoughtSignature != "" {
			sigs = append(sigs, p.ThoughtSignature)
		}
	}
	return sigs
}

// geminiPart is a part of a Gemini request's contents.
type geminiPart struct {
	Text             string          `json:"text"`
	Thought          bool            `json:"thought"`
	ThoughtSignature string          `json:"thoughtSignature"`
	FunctionCall     json.RawMessage `json:"functionCall"`
}

// geminiPartsOf returns the parts of a Gemini request's contents.
func geminiPartsOf(t *testing.T, body map[string]json.RawMessage) []geminiPart {
	t.Helper()
	var contents []struct{ Parts []geminiPart }
	if err := json.Unmarshal(body["contents"], &contents); err != nil {
		t.Fatal(err)
	}
	var out []geminiPart
	for _, c := range contents {
		out = append(out, c.Parts...)
	}
	return out
}

// chatMessagesOf returns the messages of a Chat Completions request.
func chatMessagesOf(t *testing.T, body map[string]json.RawMessage) []map[string]json.RawMessage {
	t.Helper()
	var msgs []map[string]json.RawMessage
	if err := json.Unmarshal(body["messages"], &msgs); err != nil {
		t.Fatal(err)
	}
	return msgs
}

// checkForeignReasoning sends the turn again to other's model: it is
// answered, its upstream was sent none of secrets (the first model's
// thinking and signatures), and a thinking Claude goes without
// thinking (dropped=reasoning) rather than refuse a tool loop whose
// assistant turn has none it can take.
func checkForeignReasoning(t *testing.T, e *env, tp *tap, turn map[string]json.RawMessage, other qwenResponsesCase, secrets []string) {
	t.Helper()
	got, route := replayTurn(t, e, turn, other.model)
	if got.Status != "completed" || len(got.Output) == 0 {
		t.Errorf("the turn sent again to %s: %s", other.model, got.RawJSON())
	}
	reqs := tp.requests()
	last := reqs[len(reqs)-1]
	if !strings.Contains(last.path, other.path) {
		t.Fatalf("the turn sent again to %s reached %s", other.model, last.path)
	}
	for _, s := range secrets {
		esc, _ := json.Marshal(s)
		if s != "" && bytes.Contains(last.body, esc[1:len(esc)-1]) {
			t.Errorf("the turn sent again to %s carried the first model's reasoning %.60q", other.model, s)
		}
	}
	if other.path == "/v1/messages" && !strings.Contains(route, "dropped=reasoning") {
		t.Errorf("the turn sent again to %s: route %q, want dropped=reasoning", other.model, route)
	}
}
