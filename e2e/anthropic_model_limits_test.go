package e2e

import (
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"switchyard/config"
)

// A deployment's ModelInfo carries its context window and output limit
// (max_input_tokens, max_tokens), which an Anthropic SDK user reads to
// size a request; a route's, whose deployments differ, and a limit the
// router does not know, are null. They were null for all.
func TestAnthropicSDKModelLimits(t *testing.T) {
	t.Parallel()
	var want *config.Deployment
	e := newEnv(t, func(c *config.Config) {
		want = c.Deployments["claude-haiku-4-5"]
		c.Deployments["gpt-4o-mini"].ContextWindow, c.Deployments["gpt-4o-mini"].MaxOutputTokens = 0, 0
	})
	if want.ContextWindow == 0 || want.MaxOutputTokens == 0 {
		t.Fatalf("the demo's claude-haiku-4-5 has no limits: %+v", want)
	}
	c := anthropicClient(e, "demo-key")
	m, err := c.Models.Get(ctxT(t), "claude-haiku-4-5", sdk.ModelGetParams{})
	if err != nil || m.MaxInputTokens != int64(want.ContextWindow) || m.MaxTokens != int64(want.MaxOutputTokens) {
		t.Errorf("claude-haiku-4-5: %v %s", err, m.RawJSON())
	}
	m, err = c.Models.Get(ctxT(t), "auto", sdk.ModelGetParams{})
	if err != nil || m.JSON.MaxInputTokens.Raw() != "null" || m.JSON.MaxTokens.Raw() != "null" {
		t.Errorf("auto: %v %s, want null limits", err, m.RawJSON())
	}
	// Without a configured window, the price catalog's (128,000 for
	// gpt-4o-mini), as routing reads it; no output limit: null.
	m, err = c.Models.Get(ctxT(t), "gpt-4o-mini", sdk.ModelGetParams{})
	if err != nil || m.MaxInputTokens != 128000 || m.JSON.MaxTokens.Raw() != "null" {
		t.Errorf("gpt-4o-mini: %v %s, want the catalog's window and a null max_tokens", err, m.RawJSON())
	}
	listed := 0
	for iter := c.Models.ListAutoPaging(ctxT(t), sdk.ModelListParams{Limit: sdk.Int(5)}); iter.Next(); {
		if m := iter.Current(); m.ID == "claude-haiku-4-5" {
			listed++
			if m.MaxTokens != int64(want.MaxOutputTokens) {
				t.Errorf("listed: %s", m.RawJSON())
			}
		}
	}
	if listed != 1 {
		t.Errorf("claude-haiku-4-5 listed %d times", listed)
	}
}
