package e2e

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"switchyard/config"
)

// A native Messages request declaring Claude's web search tool passes
// over a Claude deployment whose model has no web search tool (Claude 3
// Haiku, which the API refuses the tool on) for the next that has it;
// named directly, that deployment is the router's 400 in Anthropic's
// error shape, naming the model, and the upstream is not called.
func TestAnthropicWebSearchModelPassedOver(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, func(c *config.Config) {
		c.Deployments["claude-3-haiku"] = &config.Deployment{Name: "claude-3-haiku", Provider: "anthropic", Model: "claude-3-haiku-20240307"}
		c.Routes["search"] = &config.Route{Name: "search", Deployments: []string{"claude-3-haiku", "claude-haiku-4-5"}, Policy: config.Policy{Strategy: config.StrategyOrdered}}
	})
	c := anthropicClient(e, "demo-key")
	for _, tool := range []sdk.ToolUnionParam{
		{OfWebSearchTool20250305: &sdk.WebSearchTool20250305Param{MaxUses: sdk.Int(3)}},
		{OfWebSearchTool20260209: &sdk.WebSearchTool20260209Param{MaxUses: sdk.Int(3)}},
	} {
		params := userMessage("search", "latest Go release notes", 512)
		params.Tools = []sdk.ToolUnionParam{tool}
		msg, dep := askVia(t, c, params, false)
		if dep != "claude-haiku-4-5" || msg.Usage.ServerToolUse.WebSearchRequests != 1 {
			t.Errorf("%s: served by %q, usage %s; want claude-haiku-4-5 after a search", *tool.GetType(), dep, mustJSON(msg.Usage))
		}
		calls := len(tp.requests())
		params.Model = "claude-3-haiku"
		_, err := c.Messages.New(ctxT(t), params)
		var apiErr *sdk.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(apiErr.RawJSON(), `"type":"invalid_request_error"`) ||
			!strings.Contains(apiErr.Error(), "serves model claude-3-haiku-20240307, which has no web search tool") {
			t.Errorf("%s named on claude-3-haiku: %v", *tool.GetType(), err)
		}
		if got := len(tp.requests()); got != calls {
			t.Errorf("%s: the upstream was called %d times for the refused request", *tool.GetType(), got-calls)
		}
	}
}
