package e2e

import (
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
)

// An openai-go client's namespace tool (OpenAI's grouping of function
// tools, as the Codex CLI declares its sub-agent tools), on every kind of
// upstream: the call comes back with its namespace and the tool's own
// name, the response echoes the namespace as declared (stored too), and the call sent
// back with its output gets the answer quoting it.
func TestResponsesNamespaceToolCall(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), nil)
	crm := responses.ToolParamOfNamespace("Customer records.", "crm", []responses.NamespaceToolToolUnionParam{{
		OfFunction: &responses.NamespaceToolToolFunctionParam{Name: "lookup_customer", Description: openai.String("Find a customer by email."),
			Parameters: map[string]any{"type": "object", "properties": map[string]any{"email": map[string]any{"type": "string"}}, "required": []string{"email"}}},
	}})
	for _, dep := range chatDeployments {
		t.Run(dep, func(t *testing.T) {
			t.Parallel()
			input := []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfMessage("Who is ada@example.com?", responses.EasyInputMessageRoleUser)}
			params := responses.ResponseNewParams{Model: dep, Tools: []responses.ToolUnionParam{crm},
				ToolChoice: responses.ResponseNewParamsToolChoiceUnion{OfToolChoiceMode: openai.Opt(responses.ToolChoiceOptionsRequired)},
				Input:      responses.ResponseNewParamsInputUnion{OfInputItemList: input}}
			resp, err := e.Client.Responses.New(ctxT(t), params)
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Tools) != 1 || resp.Tools[0].Type != "namespace" || resp.Tools[0].Name != "crm" || len(resp.Tools[0].Tools) != 1 ||
				resp.Tools[0].Tools[0].Name != "lookup_customer" || resp.Tools[0].Tools[0].Description != "Find a customer by email." {
				t.Errorf("tools echoed as %s", resp.RawJSON()[strings.Index(resp.RawJSON(), `"tools"`):])
			}
			if got, err := e.Client.Responses.Get(ctxT(t), resp.ID, responses.ResponseGetParams{}); err != nil {
				t.Errorf("the stored response: %v", err)
			} else if len(got.Tools) != 1 || got.Tools[0].Type != "namespace" {
				t.Errorf("the stored response's tools: %+v", got.Tools)
			}
			var call responses.ResponseFunctionToolCall
			for _, it := range resp.Output {
				if it.Type == "function_call" {
					call = it.AsFunctionCall()
				}
			}
			if call.Name != "lookup_customer" || call.Namespace != "crm" || call.CallID == "" {
				t.Fatalf("want crm's lookup_customer called, got output %+v", resp.Output)
			}
			p := call.ToParam()
			input = append(input, responses.ResponseInputItemUnionParam{OfFunctionCall: &p},
				responses.ResponseInputItemUnionParam{OfFunctionCallOutput: &responses.ResponseInputItemFunctionCallOutputParam{
					CallID: openai.String(call.CallID), Output: responses.ResponseInputItemFunctionCallOutputOutputUnionParam{OfString: openai.String(`{"name":"Ada Lovelace"}`)}}})
			params.Input.OfInputItemList, params.ToolChoice = input, responses.ResponseNewParamsToolChoiceUnion{}
			if resp, err = e.Client.Responses.New(ctxT(t), params); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(resp.OutputText(), "Ada Lovelace") {
				t.Errorf("answer after the call's output: %q", resp.OutputText())
			}
		})
	}
}
