package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
)

// sharedReasoningKey is the responses.encryption.key two replicas share.
const sharedReasoningKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

// withSharedKey gives a router the replicas' shared key.
func withSharedKey(c *config.Config) { c.Responses.Encryption.Key = sharedReasoningKey }

// streamedReasoning streams params and returns the reasoning item and the
// function calls of output_item.done, and the summary text its deltas
// made, as the SDK parses the events; its ResponseAccumulator takes every
// event and makes the same response.
func streamedReasoning(t *testing.T, e *env, params responses.ResponseNewParams) (responses.ResponseReasoningItem, []responses.ResponseFunctionToolCall, string) {
	t.Helper()
	stream := e.Client.Responses.NewStreaming(ctxT(t), params)
	defer stream.Close()
	var (
		rs     responses.ResponseReasoningItem
		calls  []responses.ResponseFunctionToolCall
		deltas strings.Builder
		parts  int
		acc    responses.ResponseAccumulator
	)
	for stream.Next() {
		var sev responses.ResponsesServerEventUnion
		if err := json.Unmarshal([]byte(stream.Current().RawJSON()), &sev); err != nil {
			t.Fatal(err)
		}
		if err := acc.AddEvent(sev); err != nil {
			t.Errorf("the accumulator refused %s: %v", stream.Current().RawJSON(), err)
		}
		switch ev := stream.Current(); ev.Type {
		case "response.reasoning_summary_part.added":
			if p := ev.AsResponseReasoningSummaryPartAdded(); p.Part.Text != "" || p.OutputIndex != 0 {
				t.Errorf("part added %s", ev.RawJSON())
			}
			parts++
		case "response.reasoning_summary_text.delta":
			deltas.WriteString(ev.AsResponseReasoningSummaryTextDelta().Delta)
		case "response.reasoning_summary_text.done":
			if d := ev.AsResponseReasoningSummaryTextDone(); d.Text != deltas.String() {
				t.Errorf("summary text done %q, its deltas %q", d.Text, deltas.String())
			}
		case "response.output_item.done":
			switch ev.Item.Type {
			case "reasoning":
				rs = ev.Item.AsReasoning()
			case "function_call":
				calls = append(calls, ev.Item.AsFunctionCall())
			}
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if parts == 0 {
		t.Error("no summary part streamed")
	}
	whole, err := acc.ReconstructedResponse()
	if err != nil || len(whole.Output) < 2 || whole.Output[0].AsReasoning().EncryptedContent != rs.EncryptedContent || whole.Output[0].ID != rs.ID {
		t.Errorf("accumulated: %v %v", err, whole)
	}
	return rs, calls, deltas.String()
}

// A stateless Responses client (Codex CLI, the Agents SDK: store false,
// include reasoning.encrypted_content, every item sent back) in a tool
// loop on a thinking Claude deployment, its second turn served by another
// replica (whose thinking memory never saw the first): the reasoning item
// it got, streamed with its summary, carries Claude's signed thinking
// sealed, and the replica sharing the key puts it back, so Claude gets it
// and thinks on. A tampered blob does not open: the turn goes without
// thinking (dropped=reasoning), not as an error.
func TestResponsesReasoningRoundTripAcrossReplicas(t *testing.T) {
	t.Parallel()
	first, _ := newTapEnv(t, withSharedKey)
	second, tp := newTapEnv(t, withSharedKey)
	input := []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfMessage("Call get_weather for Lisbon, please.", responses.EasyInputMessageRoleUser)}
	params := responses.ResponseNewParams{Model: "claude-sonnet-4-5", Tools: []responses.ToolUnionParam{responsesWeather},
		Reasoning: shared.ReasoningParam{Effort: shared.ReasoningEffortLow, Summary: shared.ReasoningSummaryAuto},
		Include:   []responses.ResponseIncludable{responses.ResponseIncludableReasoningEncryptedContent},
		Store:     openai.Bool(false), Input: responses.ResponseNewParamsInputUnion{OfInputItemList: input}}
	rs, calls, summary := streamedReasoning(t, first, params)
	if len(calls) == 0 || !strings.HasPrefix(rs.ID, "rs_") || !strings.HasPrefix(rs.EncryptedContent, "swy1.") {
		t.Fatalf("first turn: calls %v, reasoning %s", calls, rs.RawJSON())
	}
	if len(rs.Summary) != 1 || rs.Summary[0].Text != summary || summary == "" {
		t.Errorf("reasoning summary %v, streamed %q", rs.Summary, summary)
	}
	call := calls[0].ToParam()
	output := responses.ResponseInputItemUnionParam{OfFunctionCallOutput: &responses.ResponseInputItemFunctionCallOutputParam{CallID: openai.String(calls[0].CallID),
		Output: responses.ResponseInputItemFunctionCallOutputOutputUnionParam{OfString: openai.String(`{"temp_c": 21}`)}}}
	turn := func(reasoning responses.ResponseReasoningItemParam) (*responses.Response, string) {
		p := params
		p.Input.OfInputItemList = append(append([]responses.ResponseInputItemUnionParam(nil), input...),
			responses.ResponseInputItemUnionParam{OfReasoning: &reasoning}, responses.ResponseInputItemUnionParam{OfFunctionCall: &call}, output)
		var hr *http.Response
		got, err := second.Client.Responses.New(ctxT(t), p, option.WithResponseInto(&hr))
		if err != nil {
			t.Fatal(err)
		}
		return got, hr.Header.Get("x-switchyard-route")
	}

	got, route := turn(rs.ToParam())
	if got.Status != "completed" || got.OutputText() == "" || strings.Contains(route, "dropped=reasoning") {
		t.Fatalf("second turn %s, route %q", got.RawJSON(), route)
	}
	if got.Output[0].Type != "reasoning" || got.Output[0].AsReasoning().EncryptedContent == "" {
		t.Errorf("second turn's output %s", got.RawJSON())
	}
	if blocks := claudeTurnThinking(t, tp); len(blocks) == 0 {
		t.Error("the assistant turn reached Claude without its thinking")
	}

	tampered := []byte(rs.EncryptedContent)
	tampered[len(tampered)/2] ^= 'A' ^ 'B'
	got, route = turn(responses.ResponseReasoningItemParam{ID: rs.ID, EncryptedContent: openai.String(string(tampered)),
		Summary: []responses.ResponseReasoningItemSummaryParam{{Text: summary}}})
	if got.Status != "completed" || got.OutputText() == "" || !strings.Contains(route, "dropped=reasoning") {
		t.Errorf("tampered blob: %s, route %q", got.RawJSON(), route)
	}
	if blocks := claudeTurnThinking(t, tp); len(blocks) != 0 {
		t.Errorf("a tampered blob's thinking reached Claude: %v", blocks)
	}
}

// claudeTurnThinking returns the thinking blocks of the assistant turn of
// the last request Claude got, and fails when it did not think.
func claudeTurnThinking(t *testing.T, tp *tap) []string {
	t.Helper()
	body := tp.lastBody(t, "/v1/messages")
	var msgs []struct {
		Role    string            `json:"role"`
		Content []json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(body["messages"], &msgs); err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.Role == "assistant" {
			return thinkingBlocksOf(t, m.Content)
		}
	}
	t.Fatalf("no assistant turn in %s", body["messages"])
	return nil
}

// A reasoning item's encrypted_content opens only for the tenant it was
// made for: tenant B sending tenant A's item back gets its turn without
// the thinking (dropped=reasoning), not A's thinking. The first turn is
// complete: its reasoning item carries the blob as a stream's does.
func TestResponsesReasoningBlobStaysInItsTenant(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, func(c *config.Config) {
		c.Auth.Keys = []config.Key{{Key: keyA, Name: keyNameA, Tenant: tenantA}, {Key: keyB, Name: keyNameB, Tenant: tenantB}}
	})
	input := []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfMessage("Call get_weather for Lisbon, please.", responses.EasyInputMessageRoleUser)}
	params := responses.ResponseNewParams{Model: "claude-sonnet-4-5", Tools: []responses.ToolUnionParam{responsesWeather},
		Reasoning: shared.ReasoningParam{Effort: shared.ReasoningEffortLow},
		Include:   []responses.ResponseIncludable{responses.ResponseIncludableReasoningEncryptedContent},
		Store:     openai.Bool(false), Input: responses.ResponseNewParamsInputUnion{OfInputItemList: input}}
	first, err := e.Client.Responses.New(ctxT(t), params, option.WithAPIKey(keyA))
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Output) < 2 || first.Output[0].Type != "reasoning" || first.Output[1].Type != "function_call" || len(first.Output[0].AsReasoning().Summary) != 0 {
		t.Fatalf("first turn %s", first.RawJSON())
	}
	rs, call := first.Output[0].AsReasoning().ToParam(), first.Output[1].AsFunctionCall()
	callParam := call.ToParam()
	params.Input.OfInputItemList = append(input, responses.ResponseInputItemUnionParam{OfReasoning: &rs}, responses.ResponseInputItemUnionParam{OfFunctionCall: &callParam},
		responses.ResponseInputItemUnionParam{OfFunctionCallOutput: &responses.ResponseInputItemFunctionCallOutputParam{CallID: openai.String(call.CallID),
			Output: responses.ResponseInputItemFunctionCallOutputOutputUnionParam{OfString: openai.String(`{"temp_c": 21}`)}}})
	var hr *http.Response
	second, err := e.Client.Responses.New(ctxT(t), params, option.WithAPIKey(keyB), option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if route := hr.Header.Get("x-switchyard-route"); second.Status != "completed" || !strings.Contains(route, "dropped=reasoning") {
		t.Errorf("tenant B's turn: %s, route %q", second.RawJSON(), route)
	}
	if blocks := claudeTurnThinking(t, tp); len(blocks) != 0 {
		t.Errorf("tenant A's thinking reached Claude on tenant B's turn: %v", blocks)
	}
	if _, err := e.Client.Responses.New(ctxT(t), params, option.WithAPIKey(keyA)); err != nil {
		t.Fatal(err)
	}
	if blocks := claudeTurnThinking(t, tp); len(blocks) == 0 {
		t.Error("tenant A's own turn reached Claude without its thinking")
	}
}
