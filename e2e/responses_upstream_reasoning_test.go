package e2e

import (
	"errors"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"
)

// TestResponsesUpstreamReasoningSummary: a Responses API client asking
// reasoning.summary on gpt-5.5-pro (served on the Responses API) has the
// summary asked for upstream and gets it in its reasoning item's summary,
// complete and streamed (its summary events adding up to the item's);
// the encrypted reasoning still goes back upstream on the next turn.
func TestResponsesUpstreamReasoningSummary(t *testing.T) {
	t.Parallel()
	e, tp := newResponsesUpstreamEnv(t, withSharedKey)
	input := []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfMessage("Call get_weather for Lisbon, please.", responses.EasyInputMessageRoleUser)}
	params := responses.ResponseNewParams{Model: "gpt-5.5-pro", Tools: []responses.ToolUnionParam{responsesWeather},
		Reasoning: shared.ReasoningParam{Effort: shared.ReasoningEffortLow, Summary: shared.ReasoningSummaryDetailed},
		Include:   []responses.ResponseIncludable{responses.ResponseIncludableReasoningEncryptedContent},
		Store:     openai.Bool(false), Input: responses.ResponseNewParamsInputUnion{OfInputItemList: input}}
	first, err := e.Client.Responses.New(ctxT(t), params)
	if err != nil {
		t.Fatal(err)
	}
	// gpt-5.5-pro takes no low: it is sent its weakest, medium.
	if got := string(tp.lastBody(t, "/v1/responses")["reasoning"]); got != `{"effort":"medium","summary":"detailed"}` {
		t.Errorf("reasoning sent upstream %s", got)
	}
	if len(first.Output) != 2 || first.Output[0].Type != "reasoning" || len(first.Output[0].AsReasoning().Summary) != 1 ||
		!strings.HasPrefix(first.Output[0].AsReasoning().Summary[0].Text, "Reasoning about: Call get_weather") {
		t.Fatalf("first turn %s", first.RawJSON())
	}

	stream := e.Client.Responses.NewStreaming(ctxT(t), params)
	var deltas string
	var done responses.ResponseReasoningItem
	for stream.Next() {
		switch ev := stream.Current(); ev.Type {
		case "response.reasoning_summary_text.delta":
			deltas += ev.Delta
		case "response.output_item.done":
			if ev.Item.Type == "reasoning" {
				done = ev.Item.AsReasoning()
			}
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if len(done.Summary) != 1 || done.Summary[0].Text != deltas || !strings.HasPrefix(deltas, "Reasoning about: ") ||
		!strings.HasPrefix(done.EncryptedContent, "swy1.") {
		t.Fatalf("streamed reasoning %s, summary deltas %q", done.RawJSON(), deltas)
	}

	rs, call := done.ToParam(), first.Output[1].AsFunctionCall().ToParam()
	params.Input.OfInputItemList = append(input, responses.ResponseInputItemUnionParam{OfReasoning: &rs}, responses.ResponseInputItemUnionParam{OfFunctionCall: &call},
		responses.ResponseInputItemUnionParam{OfFunctionCallOutput: &responses.ResponseInputItemFunctionCallOutputParam{CallID: openai.String(first.Output[1].CallID),
			Output: responses.ResponseInputItemFunctionCallOutputOutputUnionParam{OfString: openai.String(`{"temp_c": 21}`)}}})
	second, err := e.Client.Responses.New(ctxT(t), params)
	if ae := (*openai.Error)(nil); errors.As(err, &ae) {
		t.Fatalf("%v: %s", err, ae.RawJSON())
	} else if err != nil {
		t.Fatal(err)
	}
	if second.Status != "completed" || second.OutputText() == "" {
		t.Errorf("second turn %s", second.RawJSON())
	}
	if in := string(tp.lastBody(t, "/v1/responses")["input"]); !strings.Contains(in, `"type":"reasoning"`) || !strings.Contains(in, `"encrypted_content":"gAAAAAB`) {
		t.Errorf("upstream input %s: want the simulator's reasoning back", in)
	}
}
