package e2e

import (
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"switchyard/provider/toolname"
)

// Claude Code names an MCP server's tools mcp__<server>__<tool>, often
// past the 64 characters OpenAI takes: routed to an OpenAI deployment, on
// Chat Completions or the Responses API, such a tool loop works, and the
// client sees its own names.
func TestLongToolNamesToOpenAI(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	long := "mcp__github_enterprise_server__" + strings.Repeat("search_issues_", 5)
	for dep, path := range map[string]string{"gpt-4o-mini": "/chat/completions", "code-agent": "/responses"} {
		t.Run(dep, func(t *testing.T) {
			params := userMessage(dep, "Find the open issues", 300)
			params.Tools = []sdk.ToolUnionParam{{OfTool: &sdk.ToolParam{Name: long,
				InputSchema: sdk.ToolInputSchemaParam{Properties: map[string]any{"q": map[string]any{"type": "string"}}, Required: []string{"q"}}}}}
			params.ToolChoice = sdk.ToolChoiceUnionParam{OfTool: &sdk.ToolChoiceToolParam{Name: long}}
			for _, streamed := range []bool{false, true} {
				msg, _ := askVia(t, c, params, streamed)
				var call *sdk.ToolUseBlock
				for i := range msg.Content {
					if b, ok := msg.Content[i].AsAny().(sdk.ToolUseBlock); ok {
						call = &b
					}
				}
				if call == nil || call.Name != long {
					t.Fatalf("streamed %t: content %+v", streamed, msg.Content)
				}
				next := params
				next.ToolChoice = sdk.ToolChoiceUnionParam{}
				next.Messages = append(append([]sdk.MessageParam(nil), params.Messages...), msg.ToParam(),
					sdk.NewUserMessage(sdk.NewToolResultBlock(call.ID, "3 open issues", false)))
				askVia(t, c, next, streamed)
				sent := string(tp.lastBody(t, path)["tools"])
				if strings.Contains(sent, long) || !strings.Contains(sent, toolname.Short(long, toolname.OpenAIMax)) {
					t.Errorf("tools sent: %s", sent)
				}
			}
		})
	}
}
