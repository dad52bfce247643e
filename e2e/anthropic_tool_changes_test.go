package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"

	"switchyard/record"
)

// toolChangeParams is a conversation declaring get_weather and get_time
// whose system message, before the last turn, withdraws get_weather and
// defines get_news inline.
func toolChangeParams(model string) sdk.BetaMessageNewParams {
	schema := sdk.BetaToolInputSchemaParam{Properties: map[string]any{"city": map[string]any{"type": "string"}}}
	news := sdk.BetaToolUnionParam{OfTool: &sdk.BetaToolParam{Name: "get_news", Description: sdk.String("Today's headlines"), InputSchema: schema}}
	return sdk.BetaMessageNewParams{
		Model: sdk.Model(model), MaxTokens: 256,
		Betas: []sdk.AnthropicBeta{sdk.AnthropicBetaMidConversationToolChanges2026_07_01, sdk.AnthropicBetaInlineTools2026_09_15},
		Tools: []sdk.BetaToolUnionParam{
			{OfTool: &sdk.BetaToolParam{Name: "get_weather", InputSchema: schema}},
			{OfTool: &sdk.BetaToolParam{Name: "get_time", InputSchema: schema}},
		},
		Messages: []sdk.BetaMessageParam{
			sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Hello")),
			{OfAssistant: &sdk.BetaAssistantMessageParam{Content: []sdk.BetaContentBlockParamUnion{sdk.NewBetaTextBlock("Hi, how can I help?")}}},
			{OfSystem: &sdk.BetaSystemMessageParam{Content: []sdk.BetaSystemMessageParamContentUnion{
				{OfText: &sdk.BetaTextBlockParam{Text: "The weather service is down; the news is up."}},
				{OfToolRemoval: &sdk.BetaRequestToolRemovalBlockParam{Tool: sdk.BetaRequestToolRemovalBlockToolUnionParam{
					OfToolReference: &sdk.BetaToolChangeToolReferenceParam{Name: "get_weather"}}}},
				{OfToolAddition: &sdk.BetaRequestToolAdditionBlockParam{Tool: sdk.BetaRequestToolAdditionBlockToolUnionParam{
					OfToolDefinition: &sdk.BetaToolChangeToolDefinitionParam{Definition: news}}}},
			}}},
			sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("What is new in Paris?")),
		},
	}
}

// upstreamToolNames are the names of the tools of an upstream body
// (Anthropic's tools[].name or OpenAI's tools[].function.name).
func upstreamToolNames(t *testing.T, body map[string]json.RawMessage) []string {
	t.Helper()
	var tools []struct {
		Name     string `json:"name"`
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	}
	if err := json.Unmarshal(body["tools"], &tools); err != nil {
		t.Fatalf("tools %s: %v", body["tools"], err)
	}
	var out []string
	for _, tl := range tools {
		out = append(out, tl.Name+tl.Function.Name)
	}
	return out
}

// Tools changed mid-conversation reach Claude as sent: the declared tools
// and the system message's tool_removal and tool_addition blocks in
// place, with their betas. An OpenAI deployment is offered the tool set
// in effect at the last turn (get_time and get_news) and sent none of
// the blocks. A reference to a tool the conversation does not define is
// the API's 400.
func TestAnthropicToolChanges(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	if _, err := c.Beta.Messages.New(ctxT(t), toolChangeParams("claude-sonnet-4-5")); err != nil {
		t.Fatal(err)
	}
	sent := tp.lastBody(t, "/v1/messages")
	if got := upstreamToolNames(t, sent); !reflect.DeepEqual(got, []string{"get_weather", "get_time"}) {
		t.Errorf("Claude is sent tools %v, want the declared ones", got)
	}
	var msgs []struct {
		Role    string `json:"role"`
		Content []struct {
			Type string `json:"type"`
		} `json:"content"`
	}
	if err := json.Unmarshal(sent["messages"], &msgs); err != nil || len(msgs) != 4 || msgs[2].Role != "system" || len(msgs[2].Content) != 3 ||
		msgs[2].Content[1].Type != "tool_removal" || msgs[2].Content[2].Type != "tool_addition" {
		t.Errorf("Claude is sent messages %s (%v)", sent["messages"], err)
	}
	reqs := tp.requests()
	if beta := reqs[len(reqs)-1].header.Get("anthropic-beta"); !strings.Contains(beta, "mid-conversation-tool-changes-2026-07-01") || !strings.Contains(beta, "inline-tools-2026-09-15") {
		t.Errorf("anthropic-beta sent to Claude: %q", beta)
	}

	msg, err := c.Beta.Messages.New(ctxT(t), toolChangeParams("gpt-4o-mini"))
	if err != nil || len(msg.Content) == 0 {
		t.Fatalf("on an OpenAI deployment: %+v, %v", msg, err)
	}
	sent = tp.lastBody(t, "/chat/completions")
	if got := upstreamToolNames(t, sent); !reflect.DeepEqual(got, []string{"get_time", "get_news"}) {
		t.Errorf("OpenAI is offered tools %v, want those in effect at the end [get_time get_news]", got)
	}
	if strings.Contains(string(sent["messages"]), "tool_") || !strings.Contains(string(sent["messages"]), "The weather service is down") {
		t.Errorf("OpenAI is sent messages %s", sent["messages"])
	}

	// A system message of tool changes alone: every kind takes what is
	// left of it (nothing, or an empty system message).
	for _, model := range []string{"gpt-4o-mini", "gemini-2.5-flash", "claude-sonnet-4-5"} {
		only := toolChangeParams(model)
		only.Messages[2].OfSystem.Content = only.Messages[2].OfSystem.Content[1:]
		if msg, err := c.Beta.Messages.New(ctxT(t), only); err != nil || len(msg.Content) == 0 {
			t.Errorf("%s, a system message of tool changes alone: %+v, %v", model, msg, err)
		}
	}

	bad := toolChangeParams("gpt-4o-mini")
	bad.Messages[2].OfSystem.Content[1].OfToolRemoval.Tool.OfToolReference.Name = "get_stock"
	_, err = c.Beta.Messages.New(ctxT(t), bad)
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(apiErr.Error(), "tool 'get_stock' is not defined") ||
		!strings.Contains(apiErr.RawJSON(), `"error_code":"tool_reference_unresolved"`) {
		t.Errorf("an unknown tool: %v", err)
	}
}

// The advisor tool runs on Anthropic's side: a Claude deployment is sent
// it as written and answers with the advisor's blocks, complete and
// streamed; a model with no Claude deployment answers 400 naming it.
func TestAnthropicAdvisorTool(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	params := func(model string) sdk.BetaMessageNewParams {
		return sdk.BetaMessageNewParams{Model: sdk.Model(model), MaxTokens: 256,
			Betas:    []sdk.AnthropicBeta{sdk.AnthropicBetaAdvisorTool2026_03_01},
			Tools:    []sdk.BetaToolUnionParam{{OfAdvisorTool20260301: &sdk.BetaAdvisorTool20260301Param{Model: "claude-opus-4-8", MaxUses: sdk.Int(2)}}},
			Messages: []sdk.BetaMessageParam{sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Plan the migration of our billing database."))}}
	}
	msg, err := c.Beta.Messages.New(ctxT(t), params("claude-sonnet-4-5"))
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, b := range msg.Content {
		types = append(types, b.Type)
	}
	if !reflect.DeepEqual(types, []string{"server_tool_use", "advisor_tool_result", "text"}) || msg.Content[0].Name != "advisor" {
		t.Fatalf("content %v: %s", types, msg.RawJSON())
	}
	if tools := string(tp.lastBody(t, "/v1/messages")["tools"]); !strings.Contains(tools, `"model":"claude-opus-4-8"`) || !strings.Contains(tools, `"max_uses":2`) {
		t.Errorf("Claude is sent tools %s", tools)
	}
	stream := c.Beta.Messages.NewStreaming(ctxT(t), params("claude-sonnet-4-5"))
	var acc sdk.BetaMessage
	for stream.Next() {
		if err := acc.Accumulate(stream.Current()); err != nil {
			t.Fatal(err)
		}
	}
	if err := stream.Err(); err != nil || len(acc.Content) != 3 || acc.Content[1].Type != "advisor_tool_result" || !strings.Contains(acc.Content[1].RawJSON(), `"advisor_result"`) {
		t.Errorf("streamed: %s (%v)", acc.RawJSON(), err)
	}
	stream.Close()
	_, err = c.Beta.Messages.New(ctxT(t), params("gpt-4o-mini"))
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(apiErr.Error(), "the advisor") {
		t.Errorf("the advisor named on gpt-4o-mini: %v", err)
	}
}

// billing_policy bill_to user_profile needs the anthropic-user-profile-id
// header (the API's 400 without it) and a Claude API deployment: Claude
// is sent the policy and the header, an OpenAI deployment is never
// chosen (400), and the record says who was billed. bill_to self goes
// anywhere, and no other upstream is sent the header.
func TestAnthropicBillingPolicy(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	params := func(model, billTo string) sdk.BetaMessageNewParams {
		return sdk.BetaMessageNewParams{Model: sdk.Model(model), MaxTokens: 64,
			BillingPolicy: sdk.BetaBillingPolicyParam{BillTo: sdk.BetaBillTo(billTo)},
			Messages:      []sdk.BetaMessageParam{sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Hello"))}}
	}
	_, err := c.Beta.Messages.New(ctxT(t), params("claude-sonnet-4-5", "user_profile"))
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(apiErr.Error(), "anthropic-user-profile-id") ||
		!strings.Contains(apiErr.RawJSON(), `"details":{"error_code":"user_profile_required"}`) {
		t.Fatalf("user_profile without the header: %v", err)
	}
	withProfile := params("claude-sonnet-4-5", "user_profile")
	withProfile.UserProfileID = sdk.String("uprof_011abc")
	if _, err := c.Beta.Messages.New(ctxT(t), withProfile); err != nil {
		t.Fatal(err)
	}
	reqs := tp.requests()
	last := reqs[len(reqs)-1]
	if last.header.Get("anthropic-user-profile-id") != "uprof_011abc" || !strings.Contains(string(last.body), `"billing_policy":{"type":"billing_policy","bill_to":"user_profile"}`) {
		t.Errorf("Claude is sent %s with header %q", last.body, last.header.Get("anthropic-user-profile-id"))
	}
	recs := e.recorded(t, 2)
	if row := record.Row(&recs[len(recs)-1]); row.Explanation.BillTo != "user_profile" {
		t.Errorf("the record's bill_to %q, want user_profile", row.Explanation.BillTo)
	}
	toOpenAI := params("gpt-4o-mini", "user_profile")
	toOpenAI.UserProfileID = sdk.String("uprof_011abc")
	_, err = c.Beta.Messages.New(ctxT(t), toOpenAI)
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(apiErr.Error(), "cannot bill the user profile") {
		t.Errorf("user_profile on gpt-4o-mini: %v", err)
	}
	self := params("gpt-4o-mini", "self")
	if _, err := c.Beta.Messages.New(ctxT(t), self, sdkoption.WithHeader("anthropic-user-profile-id", "uprof_011abc")); err != nil {
		t.Fatalf("self on gpt-4o-mini: %v", err)
	}
	reqs = tp.requests()
	last = reqs[len(reqs)-1]
	if last.header.Get("anthropic-user-profile-id") != "" || strings.Contains(string(last.body), "billing_policy") {
		t.Errorf("OpenAI is sent %s with header %q", last.body, last.header.Get("anthropic-user-profile-id"))
	}
}
