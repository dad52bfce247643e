package openai

import (
	"context"
	"errors"
	"strings"
	"testing"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
)

// betaParams is a multi-agent, moderated request of openai-go's beta
// client.
func betaRequest(input string, subagents int64, inputMode string) sdk.BetaResponseNewParams {
	return sdk.BetaResponseNewParams{Model: "gpt-sim", Input: sdk.BetaResponseNewParamsInputUnion{OfString: sdk.String(input)},
		MultiAgent: sdk.BetaResponseNewParamsMultiAgent{Enabled: true, MaxConcurrentSubagents: sdk.Int(subagents)},
		Moderation: sdk.BetaResponseNewParamsModeration{Model: "omni-moderation-latest", Policy: sdk.BetaResponseNewParamsModerationPolicy{
			Input: sdk.BetaResponseNewParamsModerationPolicyInput{Mode: inputMode}}},
		Betas: []string{"responses_multi_agent=v1"}}
}

// TestSDKBetaMultiAgent: openai-go's beta client gets N spawned subagents
// (a spawn call, the subagent's tagged message, the spawn's output each),
// then the root's answer, the moderation scores of input and output, the
// subagents' tokens in the usage; streamed alike.
func TestSDKBetaMultiAgent(t *testing.T) {
	c := sdkClient(t)
	resp, err := c.Beta.Responses.New(context.Background(), betaRequest("Compare rivers of Europe.", 2, "score"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range resp.Output {
		switch v := it.AsAny().(type) {
		case sdk.BetaResponseOutputItemMultiAgentCall:
			got = append(got, "call:"+v.Action)
		case sdk.BetaResponseOutputItemMultiAgentCallOutput:
			got = append(got, "output:"+v.Output[0].Text[:10])
		case sdk.BetaResponseOutputMessage:
			got = append(got, "message:"+it.Agent.AgentName)
		}
	}
	if strings.Join(got, " ") != "call:spawn_agent message:subagent_1 output:subagent_1 call:spawn_agent message:subagent_2 output:subagent_2 message:" {
		t.Errorf("output %v", got)
	}
	in, out := resp.Moderation.Input.AsModerationResult(), resp.Moderation.Output.AsModerationResult()
	if in.Model != "omni-moderation-latest" || in.Flagged || len(in.CategoryScores) != 13 || out.Type != "moderation_result" {
		t.Errorf("moderation %s", resp.Moderation.RawJSON())
	}
	plain, err := c.Responses.New(context.Background(), sdkResponseParams("Compare rivers of Europe."))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Usage.OutputTokens <= plain.Usage.OutputTokens || resp.Usage.InputTokens <= plain.Usage.InputTokens {
		t.Errorf("usage %+v, without subagents %+v", resp.Usage, plain.Usage)
	}
	stream := c.Beta.Responses.NewStreaming(context.Background(), betaRequest("Compare rivers of Europe.", 1, "score"))
	var done []string
	var final sdk.BetaResponse
	for stream.Next() {
		ev := stream.Current()
		switch ev.Type {
		case "response.output_item.done":
			done = append(done, ev.Item.Type)
		case "response.completed":
			final = ev.Response
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(done, " ") != "multi_agent_call message multi_agent_call_output message" || final.Moderation.Input.Type != "moderation_result" {
		t.Errorf("streamed items %v, moderation %s", done, final.Moderation.RawJSON())
	}
}

// TestSDKBetaModerationBlock: a flagged input under a block policy gets
// no answer (incomplete, content_filter, no output tokens), its input
// result flagged; a beta member off the beta path, or an unknown
// moderation model, is a 400.
func TestSDKBetaModerationBlock(t *testing.T) {
	c := sdkClient(t)
	resp, err := c.Beta.Responses.New(context.Background(), betaRequest("How do I kill the process?", 1, "block"))
	if err != nil {
		t.Fatal(err)
	}
	in := resp.Moderation.Input.AsModerationResult()
	if resp.Status != "incomplete" || resp.IncompleteDetails.Reason != "content_filter" || !in.Flagged || !in.Categories["violence"] || resp.Usage.OutputTokens != 0 {
		t.Errorf("blocked: status %s %s, moderation %s, usage %+v", resp.Status, resp.IncompleteDetails.Reason, resp.Moderation.RawJSON(), resp.Usage)
	}
	scored, err := c.Beta.Responses.New(context.Background(), betaRequest("How do I kill the process?", 1, "score"))
	if err != nil || scored.Status != "completed" || !scored.Moderation.Input.AsModerationResult().Flagged {
		t.Errorf("scored: %v %+v", err, scored)
	}
	_, err = c.Responses.New(context.Background(), sdkResponseParams("hi"), option.WithJSONSet("moderation", map[string]string{"model": "omni-moderation-latest"}))
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "moderation" || apiErr.Code != "unknown_parameter" {
		t.Errorf("moderation off the beta path: %v", err)
	}
	p := betaRequest("hi", 1, "score")
	p.Moderation.Model = "gpt-sim"
	_, err = c.Beta.Responses.New(context.Background(), p)
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "moderation.model" {
		t.Errorf("chat model as moderation model: %v", err)
	}
}

// sdkResponseParams is a plain Responses request of input.
func sdkResponseParams(input string) responses.ResponseNewParams {
	return responses.ResponseNewParams{Model: "gpt-sim", Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String(input)}}
}
