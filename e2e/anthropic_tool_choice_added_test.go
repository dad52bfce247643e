package e2e

import (
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
)

// TestToolChoiceOfAnAddedToolE2E: a tool_choice forcing get_news, a tool
// the conversation added mid-way, is served: Claude is sent the choice as
// it came (the tool is declared in the conversation), an OpenAI
// deployment the forced function among the tools in effect, and each
// answers with a call of get_news.
func TestToolChoiceOfAnAddedToolE2E(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for _, model := range []string{"claude-sonnet-4-5", "gpt-4o-mini"} {
		p := toolChangeParams(model)
		p.ToolChoice = sdk.BetaToolChoiceUnionParam{OfTool: &sdk.BetaToolChoiceToolParam{Name: "get_news"}}
		msg, err := c.Beta.Messages.New(ctxT(t), p)
		if err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		called := ""
		for _, b := range msg.Content {
			if b.Type == "tool_use" {
				called = b.Name
			}
		}
		if called != "get_news" {
			t.Errorf("%s: answered %s, want a call of get_news", model, msg.RawJSON())
		}
		path := "/v1/messages"
		if model == "gpt-4o-mini" {
			path = "/chat/completions"
		}
		if tc := string(tp.lastBody(t, path)["tool_choice"]); !strings.Contains(tc, `"get_news"`) {
			t.Errorf("%s: sent tool_choice %s", model, tc)
		}
	}
}
