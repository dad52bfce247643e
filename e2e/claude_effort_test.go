package e2e

import (
	"net/http"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
)

// Claude's effort (output_config.effort). An OpenAI client's
// reasoning_effort on a model whose thinking is adaptive only (Opus 4.7)
// was sent as adaptive thinking alone, so "low" spent what "high" does;
// it now also sets the effort, at the nearest level the model has. An
// Anthropic client's own effort reaches a Claude model that takes it and
// is dropped (and named) where the model takes none, which the sim, as
// the API, refuses.
func TestClaudeEffort(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, func(c *config.Config) {
		c.Deployments["claude-opus-4-7"] = &config.Deployment{Name: "claude-opus-4-7", Provider: "anthropic", Model: "claude-opus-4-7"}
	})
	for effort, want := range map[shared.ReasoningEffort]string{
		shared.ReasoningEffortLow: `{"effort":"low"}`, shared.ReasoningEffortXhigh: `{"effort":"xhigh"}`, shared.ReasoningEffortMinimal: `{"effort":"low"}`,
	} {
		_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "claude-opus-4-7", ReasoningEffort: effort,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Why is the sky blue?")}}, option.WithMaxRetries(0))
		if err != nil {
			t.Fatalf("%s: %v", effort, err)
		}
		body := tp.lastBody(t, "/v1/messages")
		if string(body["output_config"]) != want || string(body["thinking"]) != `{"type":"adaptive"}` {
			t.Errorf("%s: output_config %s, thinking %s", effort, body["output_config"], body["thinking"])
		}
	}
	c := anthropicClient(e, "demo-key")
	for _, dep := range []string{"claude-opus-4-7", "claude-sonnet-4-5"} {
		params := userMessage(dep, "Why is the sky blue?", 500)
		params.OutputConfig = sdk.OutputConfigParam{Effort: sdk.OutputConfigEffortMedium}
		var resp *http.Response
		if _, err := c.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp)); err != nil {
			t.Fatalf("%s: %v", dep, err)
		}
		got := string(tp.lastBody(t, "/v1/messages")["output_config"])
		dropped := strings.Contains(resp.Header.Get("x-switchyard-route"), "effort")
		if dep == "claude-opus-4-7" && (got != `{"effort":"medium"}` || dropped) || dep == "claude-sonnet-4-5" && (got != "" || !dropped) {
			t.Errorf("%s: output_config %s, x-switchyard-route %q", dep, got, resp.Header.Get("x-switchyard-route"))
		}
	}
}
