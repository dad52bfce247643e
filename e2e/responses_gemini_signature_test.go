package e2e

import (
	"net/http/httptest"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/sim"
	simgemini "switchyard/sim/gemini"
)

// geminiPairEnv is a router sharing the reasoning key (and nothing
// else: no shared state) with native deployments of gemini-3-pro-preview
// ("gemini-3-pro") and gemini-2.5-pro on the simulator at simURL.
func geminiPairEnv(t *testing.T, simURL string) *env {
	t.Helper()
	return newEnv(t, func(c *config.Config) {
		withSharedKey(c)
		c.Providers["gem"] = &config.Provider{Name: "gem", Kind: config.KindGemini, BaseURL: simURL, APIKey: "sim"}
		for name, model := range map[string]string{"gemini-3-pro": "gemini-3-pro-preview", "gemini-2.5-pro-x": "gemini-2.5-pro"} {
			c.Deployments[name] = &config.Deployment{Name: name, Provider: "gem", Model: model}
		}
	})
}

// geminiFirstTurn asks model for a tool call on e, complete or streamed,
// as a stateless Responses client (store false, include
// reasoning.encrypted_content), and returns the turn's input with the
// output items sent back and the call's result.
func geminiFirstTurn(t *testing.T, e *env, model string, stream bool) (responses.ResponseNewParams, responses.ResponseFunctionToolCall) {
	t.Helper()
	input := []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfMessage("Call get_weather for Lisbon, please.", responses.EasyInputMessageRoleUser)}
	params := responses.ResponseNewParams{Model: model, Tools: []responses.ToolUnionParam{responsesWeather},
		Reasoning: shared.ReasoningParam{Effort: shared.ReasoningEffortHigh, Summary: shared.ReasoningSummaryAuto},
		Include:   []responses.ResponseIncludable{responses.ResponseIncludableReasoningEncryptedContent},
		Store:     openai.Bool(false), Input: responses.ResponseNewParamsInputUnion{OfInputItemList: input}}
	var out []responses.ResponseOutputItemUnion
	if stream {
		s := e.Client.Responses.NewStreaming(ctxT(t), params)
		for s.Next() {
			if ev := s.Current(); ev.Type == "response.output_item.done" {
				out = append(out, ev.Item)
			}
		}
		if err := s.Err(); err != nil {
			t.Fatal(err)
		}
	} else {
		got, err := e.Client.Responses.New(ctxT(t), params)
		if err != nil {
			t.Fatal(err)
		}
		out = got.Output
	}
	var call responses.ResponseFunctionToolCall
	for _, it := range out {
		switch it.Type {
		case "reasoning":
			rs := it.AsReasoning().ToParam()
			input = append(input, responses.ResponseInputItemUnionParam{OfReasoning: &rs})
		case "function_call":
			call = it.AsFunctionCall()
			p := call.ToParam()
			input = append(input, responses.ResponseInputItemUnionParam{OfFunctionCall: &p})
		}
	}
	if call.CallID == "" {
		t.Fatalf("%s made no call: %+v", model, out)
	}
	input = append(input, responses.ResponseInputItemUnionParam{OfFunctionCallOutput: &responses.ResponseInputItemFunctionCallOutputParam{CallID: openai.String(call.CallID),
		Output: responses.ResponseInputItemFunctionCallOutputOutputUnionParam{OfString: openai.String(`{"temp_c": 21}`)}}})
	params.Input.OfInputItemList = input
	return params, call
}

// lastGeminiCallSignature returns the thoughtSignature of the function
// call the last Gemini request carried.
func lastGeminiCallSignature(t *testing.T, tp *tap) string {
	t.Helper()
	for _, p := range geminiPartsOf(t, tp.lastBody(t, ":streamGenerateContent")) {
		if p.FunctionCall != nil {
			return p.ThoughtSignature
		}
	}
	t.Fatal("the last Gemini request carried no function call")
	return ""
}

// A stateless Responses client in a tool loop on Gemini 3, its second
// turn served by another replica that shares the reasoning key but no
// state: the reasoning item the first router gave carries the call's
// thought signature sealed, so Gemini 3 gets its own signature back
// (not Google's skip value), complete and streamed. Sent on to another
// Gemini model (a route falling over), the turn never carries the
// signature the first model made: Gemini 2.5 Pro gets none, and a
// 2.5 Pro conversation going on on Gemini 3 gets the skip value, as
// Google's guide says for a trace from a different model.
func TestResponsesGeminiSignatureAcrossReplicasAndModels(t *testing.T) {
	t.Parallel()
	for _, stream := range []bool{false, true} {
		t.Run(map[bool]string{false: "complete", true: "stream"}[stream], func(t *testing.T) {
			t.Parallel()
			tp := &tap{}
			gem := httptest.NewServer(tp.wrap(simgemini.New(sim.NewCatalog(sim.Profile{Model: "gemini-3-pro-preview", Reasoning: true},
				sim.Profile{Model: "gemini-2.5-pro", Reasoning: true}), nil)))
			t.Cleanup(gem.Close)
			first, second := geminiPairEnv(t, gem.URL), geminiPairEnv(t, gem.URL)

			turn, call := geminiFirstTurn(t, first, "gemini-3-pro", stream)
			want := simgemini.CallSignature(call.Name, call.Arguments)
			got, err := second.Client.Responses.New(ctxT(t), turn)
			if err != nil || got.Status != "completed" {
				t.Fatalf("the second turn on another replica: %v %v", err, got)
			}
			if sig := lastGeminiCallSignature(t, tp); sig != want {
				t.Errorf("another replica sent Gemini 3 the call with signature %q, want the model's %q", sig, want)
			}

			turn.Model = "gemini-2.5-pro-x"
			if _, err := first.Client.Responses.New(ctxT(t), turn); err != nil {
				t.Fatal(err)
			}
			if sig := lastGeminiCallSignature(t, tp); sig != "" {
				t.Errorf("Gemini 2.5 Pro was sent Gemini 3's signature %q", sig)
			}

			turn, call = geminiFirstTurn(t, first, "gemini-2.5-pro-x", stream)
			turn.Model = "gemini-3-pro"
			for _, e := range []*env{first, second} { // the memory's path and the item's
				if _, err := e.Client.Responses.New(ctxT(t), turn); err != nil {
					t.Fatal(err)
				}
				if sig := lastGeminiCallSignature(t, tp); sig != llm.SkipThoughtSignature {
					t.Errorf("Gemini 3 was sent the call Gemini 2.5 Pro made with signature %q, want %q", sig, llm.SkipThoughtSignature)
				}
			}
		})
	}
}
