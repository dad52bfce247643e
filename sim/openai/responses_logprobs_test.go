package openai

import (
	"context"
	"testing"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
)

// TestSDKResponsesLogprobs: asked top_logprobs and the output text's
// logprobs, the simulator's answer carries a logprob per token with as
// many alternatives, whole and in its text delta events.
func TestSDKResponsesLogprobs(t *testing.T) {
	c := sdkClient(t)
	params := responses.ResponseNewParams{Model: "gpt-sim", Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("Why is the sky blue?")},
		Include: []responses.ResponseIncludable{responses.ResponseIncludableMessageOutputTextLogprobs}, TopLogprobs: sdk.Int(2), Store: sdk.Bool(false)}
	resp, err := c.Responses.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	text := resp.Output[0].AsMessage().Content[0]
	if len(text.Logprobs) == 0 || len(text.Logprobs[0].TopLogprobs) != 2 || text.Logprobs[0].Token == "" {
		t.Fatalf("response %s", resp.RawJSON())
	}
	joined := ""
	for _, lp := range text.Logprobs {
		joined += lp.Token
	}
	if joined != text.Text {
		t.Errorf("tokens %q, text %q", joined, text.Text)
	}
	stream := c.Responses.NewStreaming(context.Background(), params)
	defer stream.Close()
	n := 0
	for stream.Next() {
		if ev := stream.Current(); ev.Type == "response.output_text.delta" {
			d := ev.AsResponseOutputTextDelta()
			if len(d.Logprobs) != 1 || d.Logprobs[0].Token != d.Delta || len(d.Logprobs[0].TopLogprobs) != 2 {
				t.Fatalf("delta %s", ev.RawJSON())
			}
			n++
		}
	}
	if err := stream.Err(); err != nil || n == 0 {
		t.Fatalf("%d deltas, %v", n, err)
	}
}
