package anthropic

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
)

// serverToolsParams is a request with two deferred MCP-like tools and the
// tool search tool, or with web search.
func serverToolsParams(prompt string, web bool) sdk.MessageNewParams {
	params := sdk.MessageNewParams{Model: sdk.Model(model), MaxTokens: 256,
		Messages: []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock(prompt))}}
	if web {
		params.Tools = []sdk.ToolUnionParam{{OfWebSearchTool20250305: &sdk.WebSearchTool20250305Param{MaxUses: sdk.Int(2)}}}
		return params
	}
	for _, name := range []string{"mcp__calendar__list_events", "mcp__weather__get_forecast"} {
		params.Tools = append(params.Tools, sdk.ToolUnionParam{OfTool: &sdk.ToolParam{Name: name, Description: sdk.String("An MCP tool"),
			DeferLoading: sdk.Bool(true), InputSchema: sdk.ToolInputSchemaParam{Properties: map[string]any{"city": map[string]any{"type": "string"}}, Required: []string{"city"}}}})
	}
	params.Tools = append(params.Tools, sdk.ToolUnionParam{OfToolSearchToolRegex20251119: &sdk.ToolSearchToolRegex20251119Param{Type: "tool_search_tool_regex_20251119"}})
	return params
}

// send asks c, complete or streamed (the SDK's accumulated message).
func send(t *testing.T, c sdk.Client, params sdk.MessageNewParams, stream bool) *sdk.Message {
	t.Helper()
	if !stream {
		msg, err := c.Messages.New(context.Background(), params)
		if err != nil {
			t.Fatal(err)
		}
		return msg
	}
	s := c.Messages.NewStreaming(context.Background(), params)
	defer s.Close()
	var acc sdk.Message
	for s.Next() {
		if err := acc.Accumulate(s.Current()); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return &acc
}

func blockTypes(msg *sdk.Message) []string {
	var out []string
	for _, b := range msg.Content {
		out = append(out, b.Type)
	}
	return out
}

// The tool search tool finds the deferred tool the prompt names and calls
// it; the next turn, with the blocks sent back and the tool's result,
// answers; the same streamed.
func TestSimToolSearch(t *testing.T) {
	c, _ := sdkClient(t)
	for _, stream := range []bool{false, true} {
		params := serverToolsParams("What is the weather forecast in Paris?", false)
		msg := send(t, c, params, stream)
		if got, want := blockTypes(msg), []string{"server_tool_use", "tool_search_tool_result", "tool_use"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("stream %v: content %v, want %v", stream, got, want)
		}
		use, result, call := msg.Content[0], msg.Content[1], msg.Content[2]
		if use.Name != "tool_search_tool_regex" || !strings.Contains(string(use.Input), "weather") ||
			!strings.Contains(result.RawJSON(), `{"type":"tool_reference","tool_name":"mcp__weather__get_forecast"}`) ||
			call.Name != "mcp__weather__get_forecast" || msg.StopReason != sdk.StopReasonToolUse {
			t.Errorf("stream %v: %s", stream, msgJSON(msg))
		}
		params.Messages = append(params.Messages, msg.ToParam(),
			sdk.NewUserMessage(sdk.NewToolResultBlock(call.ID, "Sunny, 21C", false)))
		next := send(t, c, params, stream)
		if next.StopReason != sdk.StopReasonEndTurn || len(next.Content) == 0 || next.Content[0].Type != "text" {
			t.Errorf("stream %v: the answer to the result: %s", stream, msgJSON(next))
		}
	}
}

// Web search answers with the search, its results and text citing them,
// counted in usage; the next turn takes the blocks back, and refuses them
// changed.
func TestSimWebSearch(t *testing.T) {
	c, _ := sdkClient(t)
	for _, stream := range []bool{false, true} {
		params := serverToolsParams("latest Go release", true)
		msg := send(t, c, params, stream)
		if got, want := blockTypes(msg), []string{"server_tool_use", "web_search_tool_result", "text", "text", "text"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("stream %v: content %v, want %v", stream, got, want)
		}
		if msg.Usage.ServerToolUse.WebSearchRequests != 1 || len(msg.Content[3].Citations) != 1 ||
			msg.Content[3].Citations[0].Type != "web_search_result_location" || string(msg.Content[0].Input) != `{"query":"latest Go release"}` {
			t.Errorf("stream %v: %s", stream, msgJSON(msg))
		}
		params.Messages = append(params.Messages, msg.ToParam(), sdk.NewUserMessage(sdk.NewTextBlock("And before that?")))
		if next := send(t, c, params, stream); len(next.Content) < 2 || next.Content[1].Type != "web_search_tool_result" {
			t.Errorf("stream %v: the next turn: %s", stream, msgJSON(next))
		}
	}
	params := serverToolsParams("latest Go release", true)
	msg := send(t, c, params, false)
	tampered := strings.Replace(msg.Content[1].RawJSON(), `"encrypted_content":"Eq`, `"encrypted_content":"Xq`, 1)
	var block sdk.WebSearchToolResultBlockParam
	if err := json.Unmarshal([]byte(tampered), &block); err != nil {
		t.Fatal(err)
	}
	turn := msg.ToParam()
	turn.OfAssistant.Content[1] = sdk.ContentBlockParamUnion{OfWebSearchToolResult: &block}
	params.Messages = append(params.Messages, turn, sdk.NewUserMessage(sdk.NewTextBlock("more")))
	if _, err := c.Messages.New(context.Background(), params); err == nil || !strings.Contains(err.Error(), "invalid encrypted content") {
		t.Errorf("a changed result: %v", err)
	}
}

func msgJSON(m *sdk.Message) string { return m.RawJSON() }
