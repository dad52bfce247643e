package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
)

// runnerWeather is a BetaTool of anthropic-sdk-go's tool runner that counts
// its calls.
type runnerWeather struct{ calls []string }

func (w *runnerWeather) Name() string        { return "get_weather" }
func (w *runnerWeather) Description() string { return "Current weather for a city" }
func (w *runnerWeather) InputSchema() sdk.BetaToolInputSchemaParam {
	return sdk.BetaToolInputSchemaParam{Properties: map[string]any{"location": map[string]any{"type": "string"}}, Required: []string{"location"}}
}

func (w *runnerWeather) Execute(_ context.Context, input json.RawMessage) ([]sdk.BetaToolResultBlockParamContentUnion, error) {
	var in struct{ Location string }
	json.Unmarshal(input, &in)
	w.calls = append(w.calls, in.Location)
	return []sdk.BetaToolResultBlockParamContentUnion{{OfText: &sdk.BetaTextBlockParam{Text: "19 degrees in " + in.Location}}}, nil
}

// anthropic-sdk-go's tool runner, which keeps a message thread by
// default: on a router without a response store (this env has none) the
// thread is refused with the error code the SDK continues without one on
// (with a store the router holds it: TestAnthropicThreadToolRunner), and
// the runner runs the tool and answers, on every upstream kind (Claude,
// OpenAI Chat and Responses, Gemini), complete and streamed.
func TestAnthropicToolRunner(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for _, model := range []string{"claude-haiku-4-5", "gpt-4o-mini", "gpt-5.3-codex", "gemini-2.5-flash"} {
		tool := &runnerWeather{}
		params := sdk.BetaToolRunnerParams{MaxIterations: 4, BetaMessageNewParams: sdk.BetaMessageNewParams{
			Model: sdk.Model(model), MaxTokens: 300,
			Messages: []sdk.BetaMessageParam{sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Use get_weather for Lima."))}}}
		msg, err := c.Beta.Messages.NewToolRunner([]sdk.BetaTool{tool}, params).RunToCompletion(ctxT(t))
		if err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		if len(tool.calls) != 1 || msg.StopReason != sdk.BetaStopReasonEndTurn || len(msg.Content) == 0 || !strings.Contains(msg.Content[len(msg.Content)-1].Text, "19 degrees") {
			t.Errorf("%s: calls %v, final %+v", model, tool.calls, msg.Content)
		}
		streamed := &runnerWeather{}
		events := 0
		for turn, err := range c.Beta.Messages.NewToolRunnerStreaming([]sdk.BetaTool{streamed}, params).AllStreaming(ctxT(t)) {
			if err != nil {
				t.Fatalf("%s, streamed: %v", model, err)
			}
			for _, err := range turn {
				if err != nil {
					t.Fatalf("%s, streamed event: %v", model, err)
				}
				events++
			}
		}
		if len(streamed.calls) != 1 || events < 4 {
			t.Errorf("%s, streamed: calls %v over %d events", model, streamed.calls, events)
		}
	}
}
