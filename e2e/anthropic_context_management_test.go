package e2e

import (
	"net/http"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
)

// Claude Code sends context_management (context editing, a beta) to
// Claude 4.6 models. Through the router with the official SDK's beta
// client: a Claude deployment gets it as sent, with the beta header the
// API requires (the sim refuses it without, as the API does); another
// provider answers without it (its clear_tool_uses edit has nothing to
// clear), and x-switchyard-route names it dropped.
// It was a 400 for every deployment.
func TestAnthropicContextManagement(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for _, dep := range []string{"claude-sonnet-4-5", "gpt-4o-mini"} {
		var resp *http.Response
		msg, err := c.Beta.Messages.New(ctxT(t), sdk.BetaMessageNewParams{
			Model: sdk.Model(dep), MaxTokens: 300,
			Betas: []sdk.AnthropicBeta{"context-management-2025-06-27"},
			ContextManagement: sdk.BetaContextManagementConfigParam{Edits: []sdk.BetaContextManagementConfigEditUnionParam{
				{OfClearToolUses20250919: &sdk.BetaClearToolUses20250919EditParam{}},
			}},
			Messages: []sdk.BetaMessageParam{sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("What is the capital of France?"))},
		}, sdkoption.WithResponseInto(&resp))
		if err != nil {
			t.Fatalf("%s: %v", dep, err)
		}
		if len(msg.Content) == 0 || msg.Content[0].Text == "" {
			t.Fatalf("%s: %+v", dep, msg)
		}
		route := resp.Header.Get("x-switchyard-route")
		if dep == "gpt-4o-mini" {
			if !strings.Contains(route, "context_management") {
				t.Errorf("%s: x-switchyard-route %q does not name context_management", dep, route)
			}
			if _, sent := tp.lastBody(t, "/chat/completions")["context_management"]; sent {
				t.Error("context_management sent to OpenAI")
			}
			continue
		}
		body := tp.lastBody(t, "/v1/messages")
		if string(body["context_management"]) != `{"edits":[{"type":"clear_tool_uses_20250919"}]}` || strings.Contains(route, "context_management") {
			t.Errorf("Claude got context_management %s; route %q", body["context_management"], route)
		}
	}
}
