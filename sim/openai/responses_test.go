package openai

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/sim"
)

// TestSDKResponses: the official SDK reads the simulator's Response
// object and its event stream (accumulated into the same response): a
// reasoning model's reasoning item first, with encrypted_content when
// asked, the answer, and usage with reasoning tokens.
func TestSDKResponses(t *testing.T) {
	c := sdkClient(t)
	params := responses.ResponseNewParams{Model: "o3-pro", Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("Why is the sky blue?")},
		Include: []responses.ResponseIncludable{responses.ResponseIncludableReasoningEncryptedContent}, Store: sdk.Bool(false),
		Reasoning: shared.ReasoningParam{Effort: shared.ReasoningEffortHigh}}
	resp, err := c.Responses.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != "completed" || len(resp.Output) != 2 || resp.Output[0].Type != "reasoning" || resp.OutputText() == "" ||
		!strings.HasPrefix(resp.Output[0].AsReasoning().EncryptedContent, blobHead) || resp.Usage.OutputTokensDetails.ReasoningTokens == 0 {
		t.Fatalf("response %s", resp.RawJSON())
	}
	stream := c.Responses.NewStreaming(context.Background(), params)
	defer stream.Close()
	var acc responses.ResponseAccumulator
	seq := int64(-1)
	for stream.Next() {
		ev := stream.Current()
		if ev.SequenceNumber != seq+1 {
			t.Errorf("event %s: sequence_number %d after %d", ev.Type, ev.SequenceNumber, seq)
		}
		seq = ev.SequenceNumber
		var sev responses.ResponsesServerEventUnion
		if err := sev.UnmarshalJSON([]byte(ev.RawJSON())); err != nil {
			t.Fatal(err)
		}
		if err := acc.AddEvent(sev); err != nil {
			t.Fatalf("event %s: %v", ev.RawJSON(), err)
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	whole, err := acc.ReconstructedResponse()
	if err != nil || whole.OutputText() != resp.OutputText() || whole.Output[0].Type != "reasoning" || whole.Usage.TotalTokens == 0 {
		t.Errorf("streamed: %v %s", err, whole.RawJSON())
	}
	// The reasoning sent back opens; an altered one is refused.
	rs := resp.Output[0].AsReasoning().ToParam()
	input := []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfMessage("Why is the sky blue?", responses.EasyInputMessageRoleUser),
		{OfReasoning: &rs}, responses.ResponseInputItemParamOfOutputMessage([]responses.ResponseOutputMessageContentUnionParam{{OfOutputText: &responses.ResponseOutputTextParam{Text: resp.OutputText()}}}, resp.Output[1].ID, responses.ResponseOutputMessageStatusCompleted),
		responses.ResponseInputItemParamOfMessage("And at sunset?", responses.EasyInputMessageRoleUser)}
	next := params
	next.Input = responses.ResponseNewParamsInputUnion{OfInputItemList: input}
	if _, err := c.Responses.New(context.Background(), next); err != nil {
		t.Fatalf("reasoning sent back: %v", err)
	}
	altered := responses.ResponseReasoningItemParam{ID: resp.Output[0].ID, Summary: []responses.ResponseReasoningItemSummaryParam{},
		EncryptedContent: sdk.String(resp.Output[0].AsReasoning().EncryptedContent + "x")}
	input[1] = responses.ResponseInputItemUnionParam{OfReasoning: &altered} // ToParam's value keeps the JSON it came from
	_, err = c.Responses.New(context.Background(), next)
	var ae *sdk.Error
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadRequest || ae.Code != "invalid_encrypted_content" {
		t.Errorf("altered reasoning: %v", err)
	}
}

// TestResponsesOnlyRefusedOnChat: a model OpenAI serves only on the
// Responses API gets OpenAI's 404 on Chat Completions.
func TestResponsesOnlyRefusedOnChat(t *testing.T) {
	c := sdkClient(t)
	_, err := c.Chat.Completions.New(context.Background(), sdk.ChatCompletionNewParams{Model: "o3-pro",
		Messages: []sdk.ChatCompletionMessageParamUnion{sdk.UserMessage("hi")}})
	var ae *sdk.Error
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound || ae.Param != "model" ||
		ae.Message != "This model is only supported in v1/responses and not in v1/chat/completions." {
		t.Errorf("error %v", err)
	}
}

// TestResponsesFaults: the faults of chat strike the Responses API too:
// a rate limit before the answer, a stream cut inside it.
func TestResponsesFaults(t *testing.T) {
	faults := new(sim.Faults)
	url, hc := start(t, New(testCatalog(), faults))
	c := sdk.NewClient(option.WithBaseURL(url+"/v1/"), option.WithAPIKey("sk-sim"), option.WithHTTPClient(hc), option.WithMaxRetries(0))
	faults.Add(sim.Fault{Kind: sim.FaultRateLimit, Model: "gpt-sim", Count: 1})
	_, err := c.Responses.New(context.Background(), responses.ResponseNewParams{Model: "gpt-sim", Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("hi")}})
	var ae *sdk.Error
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusTooManyRequests || ae.Code != "rate_limit_exceeded" {
		t.Errorf("rate limit: %v", err)
	}
	faults.Add(sim.Fault{Kind: sim.FaultCut, Model: "gpt-sim", Count: 1})
	stream := c.Responses.NewStreaming(context.Background(), responses.ResponseNewParams{Model: "gpt-sim", Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("Tell me a long story.")}})
	defer stream.Close()
	completed := false
	for stream.Next() {
		completed = completed || stream.Current().Type == "response.completed"
	}
	if completed || stream.Err() == nil {
		t.Errorf("cut stream: completed %v, err %v", completed, stream.Err())
	}
}
