package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"

	"switchyard/config"
)

// claudeCodeFields are the fields of a Claude Code request a Claude
// deployment must get as sent.
var claudeCodeFields = []string{"system", "tools", "tool_choice", "metadata", "thinking", "output_config", "context_management", "messages", "max_tokens"}

// sameJSON reports whether a and b are the same JSON value.
func sameJSON(t *testing.T, a, b json.RawMessage) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// checkSentToClaude checks the last request Claude got: every field of
// body as sent, claudeCodeKeptBetas, and not Claude Code's x-app and
// browser-access headers.
func checkSentToClaude(t *testing.T, tp *tap, body map[string]any) {
	t.Helper()
	got := tp.lastBody(t, "/v1/messages")
	for _, f := range claudeCodeFields {
		want, _ := json.Marshal(body[f])
		if !sameJSON(t, got[f], want) {
			t.Errorf("%s reached Claude as %s, sent %s", f, got[f], want)
		}
	}
	reqs := tp.requests()
	h := reqs[len(reqs)-1].header
	if beta := h.Get("anthropic-beta"); beta != claudeCodeKeptBetas {
		t.Errorf("anthropic-beta to Claude: %q, want %q", beta, claudeCodeKeptBetas)
	}
	if h.Get("x-app") != "" || h.Get("anthropic-dangerous-direct-browser-access") != "" {
		t.Errorf("the client's own headers forwarded: %v", h)
	}
}

// A Claude Code request routed to Claude reaches it as sent: the
// identity block's global cache scope with its beta, the tools'
// eager_input_streaming, input_examples and cache_control, thinking,
// effort and the clear_thinking edit; complete and streamed, nothing
// dropped.
func TestClaudeCodeToClaude(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, func(c *config.Config) {
		c.Deployments["claude-opus-4-7"] = &config.Deployment{Name: "claude-opus-4-7", Provider: "anthropic", Model: "claude-opus-4-7"}
	})
	c := anthropicClient(e, "demo-key")
	cc := claudeCodeCall{model: "claude-opus-4-7", thinking: `{"type":"adaptive"}`, messages: []any{claudeCodeUserTurn("Explain this repository.", true)}}
	msg, resp := cc.ask(t, c)
	if len(msg.Content) == 0 || strings.Contains(resp.Header.Get("x-switchyard-route"), "dropped=") {
		t.Errorf("answer %.300s, route %q", msg.RawJSON(), resp.Header.Get("x-switchyard-route"))
	}
	checkSentToClaude(t, tp, cc.body(t, false))
	msg, resp = cc.askStreamed(t, c)
	if len(msg.Content) == 0 || msg.StopReason == "" || strings.Contains(resp.Header.Get("x-switchyard-route"), "dropped=") {
		t.Errorf("streamed: %+v, route %q", msg.Content, resp.Header.Get("x-switchyard-route"))
	}
	checkSentToClaude(t, tp, cc.body(t, true))
}

// A Claude Code request routed off Claude, to OpenAI and to Gemini (with
// the max_tokens CLAUDE_CODE_MAX_OUTPUT_TOKENS sets for a model that
// writes less): answered, what those cannot take dropped and named in
// x-switchyard-route (the effort on gpt-4o-mini, which cannot reason;
// Gemini 2.5 Flash thinks at it); the Bash call it asks for runs and its result is
// answered on a second turn, complete then streamed.
func TestClaudeCodeOffClaude(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for _, model := range []string{"gpt-4o-mini", "gemini-2.5-flash"} {
		t.Run(model, func(t *testing.T) {
			const prompt = "Use Bash to list the files."
			cc := claudeCodeCall{model: model, maxTokens: 16000, messages: []any{claudeCodeUserTurn(prompt, true)}}
			msg, resp := cc.ask(t, c)
			route := resp.Header.Get("x-switchyard-route")
			if !strings.Contains(route, "context_management") {
				t.Errorf("route %q does not name what was dropped", route)
			}
			if named, thinks := strings.Contains(route, "effort"), model == "gemini-2.5-flash"; named == thinks {
				t.Errorf("route %q: effort named dropped %v on %s, which takes it as its thinking %v", route, named, model, thinks)
			}
			var call *sdk.BetaContentBlockUnion
			for i := range msg.Content {
				if msg.Content[i].Type == "tool_use" {
					call = &msg.Content[i]
				}
			}
			if call == nil || call.Name != "Bash" || msg.StopReason != sdk.BetaStopReasonToolUse || !strings.Contains(string(call.Input), "command") {
				t.Fatalf("no Bash call: %.400s", msg.RawJSON())
			}
			var answered struct {
				Content json.RawMessage `json:"content"`
			}
			if err := json.Unmarshal([]byte(msg.RawJSON()), &answered); err != nil {
				t.Fatal(err)
			}
			cc.messages = []any{claudeCodeUserTurn(prompt, false),
				map[string]any{"role": "assistant", "content": answered.Content},
				map[string]any{"role": "user", "content": []any{map[string]any{"type": "tool_result", "tool_use_id": call.ID,
					"content": "README.md\ngo.mod", "cache_control": map[string]any{"type": "ephemeral"}}}}}
			done, _ := cc.ask(t, c)
			if done.StopReason != sdk.BetaStopReasonEndTurn || len(done.Content) == 0 {
				t.Errorf("second turn: %.400s", done.RawJSON())
			}
			streamed, resp := cc.askStreamed(t, c)
			if streamed.StopReason != sdk.BetaStopReasonEndTurn || len(streamed.Content) == 0 || !strings.Contains(resp.Header.Get("x-switchyard-route"), "dropped=") {
				t.Errorf("second turn streamed: %+v, route %q", streamed.Content, resp.Header.Get("x-switchyard-route"))
			}
		})
	}
}

// Claude Code's count_tokens calls (the same request without max_tokens,
// stream and metadata, which count_tokens refuses; the cache scope and
// its beta among it): the router's estimate, for a Claude, an OpenAI and
// a Gemini model alike; the scope without its beta is the API's 400.
func TestClaudeCodeCountTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	count := func(model string, opts ...sdkoption.RequestOption) (*sdk.BetaMessageTokensCount, error) {
		cc := claudeCodeCall{model: model, messages: []any{claudeCodeUserTurn("Explain this repository.", true)}}
		body := cc.body(t, false)
		delete(body, "max_tokens")
		delete(body, "stream")
		delete(body, "metadata")
		var resp *http.Response
		return c.Beta.Messages.CountTokens(ctxT(t), sdk.BetaMessageCountTokensParams{}, append(claudeCodeOptions(t, body, &resp), opts...)...)
	}
	for _, model := range []string{"claude-sonnet-4-5", "gpt-4o-mini", "gemini-2.5-flash"} {
		n, err := count(model)
		if err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		if n.InputTokens < 50 {
			t.Errorf("%s: %d input tokens", model, n.InputTokens)
		}
	}
	_, err := count("claude-sonnet-4-5", sdkoption.WithHeader("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14"))
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(apiErr.Error(), "system.1.cache_control.ephemeral.scope: Extra inputs are not permitted") {
		t.Errorf("the scope without its beta: %v", err)
	}
}
