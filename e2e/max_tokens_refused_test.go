package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"

	"switchyard/config"
)

// sentMaxTokensTo is the max_tokens of each upstream request through tp
// whose path holds path, in order.
func sentMaxTokensTo(t *testing.T, tp *tap, path string) []string {
	t.Helper()
	var out []string
	for _, r := range tp.requests() {
		if strings.Contains(r.path, path) {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(r.body, &m); err != nil {
				t.Fatal(err)
			}
			out = append(out, string(m["max_completion_tokens"])+string(m["max_tokens"]))
		}
	}
	return out
}

// TestMaxTokensClampOnFirstRefusalE2E: Claude Code's max_tokens 32000 on
// a route whose only deployment is gpt-4o, with no max_output_tokens
// declared, is answered on the first request: gpt-4o refuses 32000 in
// OpenAI's words ("This model supports at most 16384 completion
// tokens"), and is sent the request again at once with 16384, named in
// x-switchyard-route. Streamed and complete; the second request is sent
// 16384 at once (the limit learned). A route whose max_tokens is refuse
// keeps the 400, as does gpt-4o named by its own name.
func TestMaxTokensClampOnFirstRefusalE2E(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, func(c *config.Config) {
		c.Deployments["gpt-4o"].MaxOutputTokens = 0
		for _, name := range []string{"coder", "strict"} {
			c.Routes[name] = &config.Route{Name: name, Deployments: []string{"gpt-4o"}, Policy: config.Policy{Strategy: config.StrategyOrdered}}
		}
		c.Routes["strict"].MaxTokens = config.MaxTokensRefuse
		c.Deployments["gemini-2.5-flash"].MaxOutputTokens = 0
		c.Routes["gem"] = &config.Route{Name: "gem", Deployments: []string{"gemini-2.5-flash"}, Policy: config.Policy{Strategy: config.StrategyOrdered}}
	})
	c := anthropicClient(e, "demo-key")
	askMax := func(model string, maxTokens int64) (*http.Response, sdk.Message, error) {
		var resp *http.Response
		stream := c.Messages.NewStreaming(ctxT(t), userMessage(model, "Write a haiku about routers.", maxTokens), sdkoption.WithResponseInto(&resp))
		var msg sdk.Message
		for stream.Next() {
			if err := msg.Accumulate(stream.Current()); err != nil {
				t.Fatal(err)
			}
		}
		return resp, msg, stream.Err()
	}
	ask := func(model string) (*http.Response, sdk.Message, error) { return askMax(model, 32000) }
	resp, msg, err := ask("coder")
	if err != nil {
		t.Fatalf("the first request: %v", err)
	}
	if len(msg.Content) == 0 || msg.Content[0].Text == "" {
		t.Errorf("answered %+v", msg.Content)
	}
	if sent := sentMaxTokensTo(t, tp, "/chat/completions"); !slices.Equal(sent, []string{"32000", "16384"}) {
		t.Errorf("gpt-4o sent max_tokens %v, want 32000 then 16384", sent)
	}
	route := resp.Header.Get("x-switchyard-route")
	if !strings.Contains(route, "clamped=max_tokens:16384") || !strings.Contains(route, "attempt=2") {
		t.Errorf("x-switchyard-route %q names no clamp on the second attempt", route)
	}
	if rec := recordOf(t, e, resp.Header.Get("x-switchyard-request-id")); len(rec.Trail) != 2 || rec.Trail[1].Outcome != "ok" {
		t.Errorf("trail %+v, want the refused call and the answered one", rec.Trail)
	}

	if _, msg, err = ask("coder"); err != nil || len(msg.Content) == 0 {
		t.Fatalf("the second request: %v", err)
	}
	if sent := sentMaxTokensTo(t, tp, "/chat/completions"); !slices.Equal(sent, []string{"32000", "16384", "16384"}) {
		t.Errorf("gpt-4o sent max_tokens %v, want 16384 at once the second time", sent)
	}

	_, _, err = ask("strict")
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(err.Error(), "max_tokens") {
		t.Errorf("max_tokens refuse: %v, want a 400 on max_tokens", err)
	}

	// Gemini's refusal (Vertex's words: "supported range is from 1
	// (inclusive) to 65537 (exclusive)") is lowered alike.
	if resp, msg, err = askMax("gem", 100000); err != nil || len(msg.Content) == 0 {
		t.Fatalf("gemini: %v", err)
	}
	if sent := sentGemini(t, tp); !slices.Equal(sent, []string{"100000", "65536"}) {
		t.Errorf("gemini sent maxOutputTokens %v, want 100000 then 65536", sent)
	}
	if route := resp.Header.Get("x-switchyard-route"); !strings.Contains(route, "clamped=max_tokens:65536") {
		t.Errorf("gemini: x-switchyard-route %q names no clamp", route)
	}
}

// TestMaxTokensNamedKeepsRefusalE2E: gpt-4o named by its own name, no
// max_output_tokens declared, alone in its home route, keeps OpenAI's 400
// on max_tokens 32000, sent once: a drop-in answers what the provider
// would. Its home route's max_tokens always sends it 16384 after the
// refusal.
func TestMaxTokensNamedKeepsRefusalE2E(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{config.MaxTokensClamp, config.MaxTokensAlways} {
		e, tp := newTapEnv(t, func(c *config.Config) {
			c.Deployments["gpt-4o"].MaxOutputTokens = 0
			c.Routes["solo"] = &config.Route{Name: "solo", Deployments: []string{"gpt-4o"}, MaxTokens: mode, Policy: config.Policy{Strategy: config.StrategyOrdered}}
		})
		c := anthropicClient(e, "demo-key")
		stream := c.Messages.NewStreaming(ctxT(t), userMessage("gpt-4o", "Write a haiku about routers.", 32000))
		for stream.Next() {
		}
		err := stream.Err()
		sent := sentMaxTokensTo(t, tp, "/chat/completions")
		if mode == config.MaxTokensAlways {
			if err != nil || !slices.Equal(sent, []string{"32000", "16384"}) {
				t.Errorf("always: %v, sent max_tokens %v, want 32000 then 16384", err, sent)
			}
			continue
		}
		var apiErr *sdk.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(err.Error(), "supports at most 16384") {
			t.Errorf("gpt-4o by name: %v, want OpenAI's 400", err)
		}
		if !slices.Equal(sent, []string{"32000"}) {
			t.Errorf("gpt-4o by name was sent max_tokens %v, want 32000 alone", sent)
		}
	}
}

// sentGemini is the generationConfig.maxOutputTokens of each Gemini
// request through tp, in order.
func sentGemini(t *testing.T, tp *tap) []string {
	t.Helper()
	var out []string
	for _, r := range tp.requests() {
		if !strings.Contains(r.path, "GenerateContent") {
			continue
		}
		var m struct {
			GenerationConfig struct {
				MaxOutputTokens json.RawMessage `json:"maxOutputTokens"`
			} `json:"generationConfig"`
		}
		if err := json.Unmarshal(r.body, &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, string(m.GenerationConfig.MaxOutputTokens))
	}
	return out
}

// TestMaxTokensClampHedgedE2E: a hedged route of two gpt-4o deployments,
// no max_output_tokens declared, asked for 32000 by Claude Code: both
// refuse in OpenAI's words, and the last, which no later candidate
// follows, is sent the request again at once with 16384, named in
// x-switchyard-route. Before, a hedged attempt was never lowered and the
// pair answered the 400.
func TestMaxTokensClampHedgedE2E(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, func(c *config.Config) {
		c.Deployments["gpt-4o"].MaxOutputTokens = 0
		b := *c.Deployments["gpt-4o"]
		b.Name, b.Model, b.Aliases = "gpt-4o-b", "gpt-4o", nil
		c.Deployments["gpt-4o-b"] = &b
		c.Routes["hedged"] = &config.Route{Name: "hedged", Deployments: []string{"gpt-4o", "gpt-4o-b"},
			Policy: config.Policy{Strategy: config.StrategyOrdered}, Hedge: config.Hedge{After: time.Millisecond}}
	})
	var resp *http.Response
	c := anthropicClient(e, "demo-key")
	stream := c.Messages.NewStreaming(ctxT(t), userMessage("hedged", "Write a haiku about routers.", 32000), sdkoption.WithResponseInto(&resp))
	var msg sdk.Message
	for stream.Next() {
		if err := msg.Accumulate(stream.Current()); err != nil {
			t.Fatal(err)
		}
	}
	if err := stream.Err(); err != nil || len(msg.Content) == 0 {
		t.Fatalf("hedged: %v", err)
	}
	if sent := sentMaxTokensTo(t, tp, "/chat/completions"); !slices.Equal(sent, []string{"32000", "32000", "16384"}) {
		t.Errorf("sent max_tokens %v, want 32000 twice then 16384", sent)
	}
	if route := resp.Header.Get("x-switchyard-route"); !strings.Contains(route, "gpt-4o-b") || !strings.Contains(route, "clamped=max_tokens:16384") {
		t.Errorf("x-switchyard-route %q names no clamp of gpt-4o-b", route)
	}
}
