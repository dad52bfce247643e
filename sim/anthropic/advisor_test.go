package anthropic

import (
	"context"
	"reflect"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"
)

// sendBeta asks c through the Beta API, complete or streamed.
func sendBeta(t *testing.T, c sdk.Client, params sdk.BetaMessageNewParams, stream bool, opts ...option.RequestOption) *sdk.BetaMessage {
	t.Helper()
	if !stream {
		msg, err := c.Beta.Messages.New(context.Background(), params, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return msg
	}
	s := c.Beta.Messages.NewStreaming(context.Background(), params, opts...)
	defer s.Close()
	var acc sdk.BetaMessage
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

func betaTypes(msg *sdk.BetaMessage) []string {
	var out []string
	for _, b := range msg.Content {
		out = append(out, b.Type)
	}
	return out
}

func advisorParams() sdk.BetaMessageNewParams {
	return sdk.BetaMessageNewParams{Model: sdk.Model(model), MaxTokens: 256,
		Betas:    []sdk.AnthropicBeta{sdk.AnthropicBetaAdvisorTool2026_03_01},
		Tools:    []sdk.BetaToolUnionParam{{OfAdvisorTool20260301: &sdk.BetaAdvisorTool20260301Param{Model: "claude-opus-4-8"}}},
		Messages: []sdk.BetaMessageParam{sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Plan the migration of our database."))}}
}

// The advisor is consulted in the answer (server_tool_use named advisor,
// then its advisor_tool_result), complete and streamed; the next turn
// takes the blocks back; the tool without its beta or its model is
// refused.
func TestSimAdvisor(t *testing.T) {
	c, _ := sdkClient(t)
	for _, stream := range []bool{false, true} {
		params := advisorParams()
		msg := sendBeta(t, c, params, stream)
		if got, want := betaTypes(msg), []string{"server_tool_use", "advisor_tool_result", "text"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("stream %v: content %v, want %v", stream, got, want)
		}
		use, result := msg.Content[0], msg.Content[1]
		if use.Name != "advisor" || string(use.Input) != "{}" || result.ToolUseID != use.ID ||
			!strings.Contains(result.RawJSON(), `"text":"`+advisorAdvice+`"`) || msg.StopReason != sdk.BetaStopReasonEndTurn {
			t.Errorf("stream %v: %s", stream, msg.RawJSON())
		}
		params.Messages = append(params.Messages, msg.ToParam(), sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("And then?")))
		if next := sendBeta(t, c, params, stream); len(next.Content) == 0 {
			t.Errorf("stream %v: the next turn: %s", stream, next.RawJSON())
		}
	}
	noBeta := advisorParams()
	noBeta.Betas = nil
	if _, err := c.Beta.Messages.New(context.Background(), noBeta); err == nil || !strings.Contains(err.Error(), "advisor-tool-2026-03-01") {
		t.Errorf("without the beta: %v", err)
	}
	noModel := advisorParams()
	noModel.Tools[0].OfAdvisorTool20260301.Model = ""
	if _, err := c.Beta.Messages.New(context.Background(), noModel); err == nil || !strings.Contains(err.Error(), "model: Field required") {
		t.Errorf("without the model: %v", err)
	}
}

// A toolset's member is called as a client tool.
func TestSimToolset(t *testing.T) {
	c, _ := sdkClient(t)
	params := sdk.BetaMessageNewParams{Model: sdk.Model(model), MaxTokens: 256,
		Tools:    []sdk.BetaToolUnionParam{{OfComputerToolset20260801: &sdk.BetaComputerToolset20260801Param{}}},
		Messages: []sdk.BetaMessageParam{sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("What is on the screen?"))}}
	msg := sendBeta(t, c, params, true)
	if len(msg.Content) != 1 || msg.Content[0].Type != "tool_use" || msg.Content[0].Name != "screenshot" || msg.StopReason != sdk.BetaStopReasonToolUse {
		t.Errorf("%s", msg.RawJSON())
	}
}

// Tools changed mid-conversation: the sim calls only tools in effect, and
// refuses a reference to a tool it does not know; billing a user profile
// needs the header.
func TestSimToolChangesAndBilling(t *testing.T) {
	c, _ := sdkClient(t)
	schema := sdk.BetaToolInputSchemaParam{Properties: map[string]any{"city": map[string]any{"type": "string"}}, Required: []string{"city"}}
	params := sdk.BetaMessageNewParams{Model: sdk.Model(model), MaxTokens: 256,
		Betas: []sdk.AnthropicBeta{sdk.AnthropicBetaMidConversationToolChanges2026_07_01},
		Tools: []sdk.BetaToolUnionParam{{OfTool: &sdk.BetaToolParam{Name: "get_weather", InputSchema: schema}}},
		Messages: []sdk.BetaMessageParam{
			sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Hello")),
			{OfAssistant: &sdk.BetaAssistantMessageParam{Content: []sdk.BetaContentBlockParamUnion{sdk.NewBetaTextBlock("Hi.")}}},
			{OfSystem: &sdk.BetaSystemMessageParam{Content: []sdk.BetaSystemMessageParamContentUnion{
				{OfToolRemoval: &sdk.BetaRequestToolRemovalBlockParam{Tool: sdk.BetaRequestToolRemovalBlockToolUnionParam{
					OfToolReference: &sdk.BetaToolChangeToolReferenceParam{Name: "get_weather"}}}}}}},
			sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Use the get_weather tool for Paris.")),
		}}
	msg := sendBeta(t, c, params, false)
	for _, b := range msg.Content {
		if b.Type == "tool_use" {
			t.Errorf("called %s, a withdrawn tool: %s", b.Name, msg.RawJSON())
		}
	}
	params.Messages[2].OfSystem.Content[0].OfToolRemoval.Tool.OfToolReference.Name = "nope"
	if _, err := c.Beta.Messages.New(context.Background(), params); err == nil || !strings.Contains(err.Error(), "tool 'nope' is not defined") {
		t.Errorf("an unknown tool: %v", err)
	}
	bill := sdk.BetaMessageNewParams{Model: sdk.Model(model), MaxTokens: 64,
		BillingPolicy: sdk.BetaBillingPolicyParam{BillTo: sdk.BetaBillToUserProfile},
		Messages:      []sdk.BetaMessageParam{sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Hi"))}}
	if _, err := c.Beta.Messages.New(context.Background(), bill); err == nil || !strings.Contains(err.Error(), "anthropic-user-profile-id") {
		t.Errorf("user_profile without the header: %v", err)
	}
	bill.UserProfileID = sdk.String("uprof_1")
	sendBeta(t, c, bill, false)
}
