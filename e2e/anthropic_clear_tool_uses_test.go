package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
)

// clearToolUsesParams is a conversation of four answered tool uses on
// model, with a clear_tool_uses_20250919 edit firing past two tool uses,
// keeping the last, clearing the inputs too.
func clearToolUsesParams(model string) sdk.BetaMessageNewParams {
	msgs := []sdk.BetaMessageParam{sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Compare four hotels in Lisbon."))}
	for i := range 4 {
		id := fmt.Sprint("toolu_0", i)
		msgs = append(msgs,
			sdk.BetaMessageParam{OfAssistant: &sdk.BetaAssistantMessageParam{Content: []sdk.BetaContentBlockParamUnion{
				sdk.NewBetaToolUseBlock(id, map[string]any{"hotel": fmt.Sprint("hotel-", i)}, "lookup")}}},
			sdk.NewBetaUserMessage(sdk.NewBetaToolResultBlock(id, fmt.Sprint("rooms of hotel ", i, ": 12"), false)))
	}
	return sdk.BetaMessageNewParams{Model: sdk.Model(model), MaxTokens: 200, Messages: msgs,
		Tools: []sdk.BetaToolUnionParam{{OfTool: &sdk.BetaToolParam{Name: "lookup", InputSchema: sdk.BetaToolInputSchemaParam{Properties: map[string]any{"hotel": map[string]any{"type": "string"}}}}}},
		ContextManagement: sdk.BetaContextManagementConfigParam{Edits: []sdk.BetaContextManagementConfigEditUnionParam{
			{OfClearToolUses20250919: &sdk.BetaClearToolUses20250919EditParam{
				Trigger:         sdk.BetaClearToolUses20250919EditTriggerUnionParam{OfToolUses: &sdk.BetaToolUsesTriggerParam{Value: 2}},
				Keep:            sdk.BetaToolUsesKeepParam{Value: 1},
				ClearToolInputs: sdk.BetaClearToolUses20250919EditClearToolInputsUnionParam{OfBool: sdk.Bool(true)},
			}},
		}}}
}

// TestAnthropicClearToolUsesByRouter: a deployment without context
// editing (OpenAI) is sent the conversation with the old tool results
// (and inputs) cleared, as Claude's API clears them; the answer reports
// the applied edit, complete and streamed; nothing is named dropped.
func TestAnthropicClearToolUsesByRouter(t *testing.T) {
	t.Parallel()
	e, tp, _ := compactionEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	var resp *http.Response
	msg, err := c.Beta.Messages.New(ctxT(t), clearToolUsesParams("gpt-4o-mini"), sdkoption.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	const applied = `"context_management":{"applied_edits":[{"cleared_input_tokens":`
	if !strings.Contains(msg.RawJSON(), applied) || !strings.Contains(msg.RawJSON(), `"cleared_tool_uses":3`) {
		t.Errorf("answer %.600s", msg.RawJSON())
	}
	if route := resp.Header.Get("x-switchyard-route"); strings.Contains(route, "context_management") {
		t.Errorf("route %q", route)
	}
	sent := string(tp.lastBody(t, "/chat/completions")["messages"])
	if strings.Count(sent, "This tool result was cleared to save context.") != 3 || !strings.Contains(sent, "rooms of hotel 3: 12") ||
		strings.Contains(sent, "rooms of hotel 2") || strings.Contains(sent, "hotel-0") || !strings.Contains(sent, "hotel-3") {
		t.Errorf("sent %.1500s", sent)
	}

	stream := c.Beta.Messages.NewStreaming(ctxT(t), clearToolUsesParams("gpt-4o-mini"))
	found := false
	for stream.Next() {
		if ev := stream.Current(); ev.Type == "message_delta" && strings.Contains(ev.RawJSON(), `"cleared_tool_uses":3`) {
			found = true
		}
	}
	if err := stream.Err(); err != nil || !found {
		t.Errorf("stream: %v, applied edits reported %v", err, found)
	}
	stream.Close()

	// A Claude deployment applies the edit itself: sent as it came.
	if _, err := c.Beta.Messages.New(ctxT(t), clearToolUsesParams("claude-sonnet-4-5")); err != nil {
		t.Fatal(err)
	}
	if sent := string(mustJSON(tp.lastBody(t, "/v1/messages"))); !strings.Contains(sent, "clear_tool_uses_20250919") || strings.Contains(sent, "cleared to save context") {
		t.Errorf("sent to Claude %.600s", sent)
	}
}
