package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"

	"switchyard/config"
)

// TestMaxTokensClampE2E: Claude Code's max_tokens 32000 on a route, or a
// deployment alias, whose only deployment is gpt-4o (max_output_tokens
// 16384) is answered, gpt-4o sent max_tokens 16384 (the sim, like
// OpenAI, refuses more: "max_tokens is too large"), the change named in
// x-switchyard-route; gpt-4o asked for by its own name keeps OpenAI's 400.
func TestMaxTokensClampE2E(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, func(c *config.Config) {
		c.Routes["coder"] = &config.Route{Name: "coder", Aliases: []string{"my-coder"}, Deployments: []string{"gpt-4o"},
			Policy: config.Policy{Strategy: config.StrategyOrdered}}
		c.Deployments["gpt-4o"].Aliases = append(c.Deployments["gpt-4o"].Aliases, "big-writer")
	})
	c := anthropicClient(e, "demo-key")
	for _, model := range []string{"coder", "my-coder", "big-writer"} {
		var resp *http.Response
		stream := c.Messages.NewStreaming(ctxT(t), userMessage(model, "Write a haiku about routers.", 32000), sdkoption.WithResponseInto(&resp))
		var msg sdk.Message
		for stream.Next() {
			if err := msg.Accumulate(stream.Current()); err != nil {
				t.Fatal(err)
			}
		}
		if err := stream.Err(); err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		if len(msg.Content) == 0 || msg.Content[0].Text == "" {
			t.Errorf("%s: answered %+v", model, msg.Content)
		}
		body := tp.lastBody(t, "/chat/completions")
		sent := string(body["max_completion_tokens"]) + string(body["max_tokens"])
		if sent != "16384" {
			t.Errorf("%s: gpt-4o sent max_tokens %q, want 16384", model, sent)
		}
		if route := resp.Header.Get("x-switchyard-route"); !strings.Contains(route, "clamped=max_tokens:16384") {
			t.Errorf("%s: route %q names no clamp", model, route)
		}
	}
	n := len(tp.requests())
	stream := c.Messages.NewStreaming(ctxT(t), userMessage("gpt-4o", "Write a haiku about routers.", 32000))
	for stream.Next() {
	}
	var apiErr *sdk.Error
	if err := stream.Err(); !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(err.Error(), "max_tokens") {
		t.Errorf("gpt-4o by name: %v, want a 400 on max_tokens", err)
	}
	if len(tp.requests()) != n {
		t.Errorf("gpt-4o by name reached the upstream")
	}
}

// TestMaxTokensClampWireFormatsE2E: the lowered max_tokens is what each
// wire format carries — Anthropic's max_tokens, Gemini's
// generationConfig.maxOutputTokens, the Responses API's
// max_output_tokens — for a route whose one deployment declares
// max_output_tokens 8192.
func TestMaxTokensClampWireFormatsE2E(t *testing.T) {
	t.Parallel()
	deps := []struct{ name, path, field string }{
		{"claude-haiku-4-5", "/v1/messages", "max_tokens"},
		{"gemini-2.5-flash", ":streamGenerateContent", "generationConfig"},
		{"gpt-5.3-codex", "/responses", "max_output_tokens"},
	}
	e, tp := newTapEnv(t, func(c *config.Config) {
		for _, d := range deps {
			c.Deployments[d.name].MaxOutputTokens = 8192
			c.Routes["only-"+d.name] = &config.Route{Name: "only-" + d.name, Deployments: []string{d.name},
				Policy: config.Policy{Strategy: config.StrategyOrdered}}
		}
	})
	c := anthropicClient(e, "demo-key")
	for _, d := range deps {
		stream := c.Messages.NewStreaming(ctxT(t), userMessage("only-"+d.name, "Write a haiku about routers.", 32000))
		for stream.Next() {
		}
		if err := stream.Err(); err != nil {
			t.Fatalf("%s: %v", d.name, err)
		}
		sent := string(tp.lastBody(t, d.path)[d.field])
		if d.field == "generationConfig" {
			var gc struct{ MaxOutputTokens json.RawMessage }
			if err := json.Unmarshal([]byte(sent), &gc); err != nil {
				t.Fatal(err)
			}
			sent = string(gc.MaxOutputTokens)
		}
		if sent != "8192" {
			t.Errorf("%s: sent %s %s, want 8192", d.name, d.field, sent)
		}
	}
}
