package openai

import (
	"context"
	"testing"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
)

// TestSDKResponsesPrompt: a stored prompt alone is a request (the sim
// renders its variables as the user's text: the same answer and input
// tokens as that text sent as input), context_management is taken.
func TestSDKResponsesPrompt(t *testing.T) {
	c := sdkClient(t)
	params := responses.ResponseNewParams{Model: "gpt-sim",
		Prompt: responses.ResponsePromptParam{ID: "pmpt_1", Version: sdk.String("2"), Variables: map[string]responses.ResponsePromptVariableUnionParam{
			"city": {OfString: sdk.String("Paris")}, "topic": {OfInputText: &responses.ResponseInputTextParam{Text: "weather"}}}},
		ContextManagement: []responses.ResponseNewParamsContextManagement{{Type: "compaction", CompactThreshold: sdk.Int(2000)}}}
	resp, err := c.Responses.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := c.Responses.New(context.Background(), responses.ResponseNewParams{Model: "gpt-sim",
		Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("city: Paris\ntopic: weather")}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.OutputText() == "" || resp.OutputText() != plain.OutputText() || resp.Usage.InputTokens != plain.Usage.InputTokens {
		t.Errorf("prompt answer %q (%d tokens), the variables as input %q (%d tokens)", resp.OutputText(), resp.Usage.InputTokens, plain.OutputText(), plain.Usage.InputTokens)
	}
}
