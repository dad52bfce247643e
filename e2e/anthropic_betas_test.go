package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
)

// The SDK's Beta API with interleaved thinking (Claude Code's betas): a
// thinking budget over max_tokens, which only that beta allows, reaches
// Claude with the beta (and without the betas the router does not pass
// on); another deployment answers it too. Without the beta it is the
// API's 400.
func TestAnthropicInterleavedThinkingBeta(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	ask := func(model string, betas ...sdk.AnthropicBeta) (*sdk.BetaMessage, error) {
		return c.Beta.Messages.New(ctxT(t), sdk.BetaMessageNewParams{
			Model: sdk.Model(model), MaxTokens: 2048, Betas: betas,
			Thinking: sdk.BetaThinkingConfigParamOfEnabled(4096),
			Messages: []sdk.BetaMessageParam{sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Plan a three-step proof that 17 is prime."))},
		})
	}
	betas := []sdk.AnthropicBeta{sdk.AnthropicBetaInterleavedThinking2025_05_14, "claude-code-20250219", "files-api-2025-04-14"}
	msg, err := ask("claude-sonnet-4-5", betas...)
	if err != nil {
		t.Fatal(err)
	}
	if len(msg.Content) == 0 || msg.Content[0].Type != "thinking" {
		t.Errorf("Claude did not think: %+v", msg.Content)
	}
	var sent *tapped
	for _, r := range tp.requests() {
		if strings.Contains(r.path, "/v1/messages") {
			sent = &r
		}
	}
	if sent == nil {
		t.Fatal("nothing reached Claude")
	}
	if got := sent.header.Get("anthropic-beta"); got != string(sdk.AnthropicBetaInterleavedThinking2025_05_14) {
		t.Errorf("anthropic-beta sent to Claude: %q, want the interleaved-thinking beta alone", got)
	}
	var body struct {
		Thinking struct {
			BudgetTokens int `json:"budget_tokens"`
		} `json:"thinking"`
	}
	if err := json.Unmarshal(sent.body, &body); err != nil || body.Thinking.BudgetTokens != 4096 {
		t.Errorf("thinking sent to Claude: %s (%v)", sent.body, err)
	}
	if msg, err := ask("gpt-4o-mini", betas...); err != nil || len(msg.Content) == 0 {
		t.Errorf("on an OpenAI deployment: %+v, %v", msg, err)
	}
	_, err = ask("claude-sonnet-4-5")
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(apiErr.Error(), "must be greater than `thinking.budget_tokens`") {
		t.Errorf("without the beta: %v", err)
	}
}
