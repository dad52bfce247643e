package e2e

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
)

// additionalToolsParams is a Responses request declaring search, whose
// conversation adds lookup midway with an additional_tools item.
func additionalToolsParams(model string) responses.ResponseNewParams {
	fn := func(name string) responses.ToolUnionParam {
		return responses.ToolUnionParam{OfFunction: &responses.FunctionToolParam{Name: name, Description: openai.String("Finds " + name + "."),
			Parameters: map[string]any{"type": "object", "properties": map[string]any{"q": map[string]any{"type": "string"}}}}}
	}
	return responses.ResponseNewParams{Model: model, Tools: []responses.ToolUnionParam{fn("search")},
		Input: responses.ResponseNewParamsInputUnion{OfInputItemList: []responses.ResponseInputItemUnionParam{
			responses.ResponseInputItemParamOfMessage("Find the report.", responses.EasyInputMessageRoleUser),
			responses.ResponseInputItemParamOfAdditionalTools([]responses.ToolUnionParam{fn("lookup")}),
			responses.ResponseInputItemParamOfMessage("Now look it up.", responses.EasyInputMessageRoleUser)}}}
}

// newResponse creates a response with params, streamed or not, and
// returns it.
func newResponse(t *testing.T, e *env, params responses.ResponseNewParams, streamed bool) (*responses.Response, error) {
	t.Helper()
	if !streamed {
		return e.Client.Responses.New(ctxT(t), params)
	}
	stream := e.Client.Responses.NewStreaming(ctxT(t), params)
	var resp responses.Response
	for stream.Next() {
		if ev := stream.Current(); ev.Type == "response.completed" {
			resp = ev.Response
		}
	}
	return &resp, stream.Err()
}

// An additional_tools item sent by openai-go reaches a Claude deployment
// in place: the declared tools, a system turn of a tool_addition block
// defining lookup where the item stood, the inline tools beta. An OpenAI
// and a Gemini deployment are offered the tools in effect (search and
// lookup) and sent no trace of the item. Complete and streamed.
func TestResponsesAdditionalTools(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	for _, c := range []struct {
		model, path string
		streamed    bool
	}{{"claude-sonnet-4-5", "/v1/messages", false}, {"claude-sonnet-4-5", "/v1/messages", true},
		{"gpt-4o-mini", "/chat/completions", true}, {"gemini-2.5-flash", "GenerateContent", false}} {
		resp, err := newResponse(t, e, additionalToolsParams(c.model), c.streamed)
		if err != nil || len(resp.Output) == 0 {
			t.Fatalf("%s streamed=%v: %v", c.model, c.streamed, err)
		}
		sent := tp.lastBody(t, c.path)
		msgs := string(sent["messages"]) + string(sent["contents"])
		if c.path != "/v1/messages" {
			if got := upstreamToolNames(t, sent); c.path == "/chat/completions" && !reflect.DeepEqual(got, []string{"search", "lookup"}) {
				t.Errorf("%s is offered %v, want the tools in effect", c.model, got)
			}
			if tools := string(sent["tools"]); !strings.Contains(tools, `"name":"search"`) || !strings.Contains(tools, `"name":"lookup"`) {
				t.Errorf("%s is offered %s, want the tools in effect", c.model, tools)
			}
			if strings.Contains(msgs, "tool_addition") || strings.Contains(msgs, "additional_tools") {
				t.Errorf("%s is sent the item: %s", c.model, msgs)
			}
			if strings.Contains(msgs, `"role":"system"`) {
				t.Errorf("%s is sent an empty system message: %s", c.model, msgs)
			}
			continue
		}
		if got := upstreamToolNames(t, sent); !reflect.DeepEqual(got, []string{"search"}) {
			t.Errorf("Claude is sent tools %v, want the declared ones", got)
		}
		var turns []struct {
			Role    string            `json:"role"`
			Content []json.RawMessage `json:"content"`
		}
		if err := json.Unmarshal(sent["messages"], &turns); err != nil || len(turns) != 3 || turns[1].Role != "system" || len(turns[1].Content) != 1 ||
			!strings.Contains(string(turns[1].Content[0]), `"type":"tool_addition"`) || !strings.Contains(string(turns[1].Content[0]), `"name":"lookup"`) {
			t.Errorf("Claude is sent messages %s (%v)", sent["messages"], err)
		}
		reqs := tp.requests()
		if beta := reqs[len(reqs)-1].header.Get("anthropic-beta"); !strings.Contains(beta, "inline-tools-2026-09-15") {
			t.Errorf("anthropic-beta sent to Claude: %q", beta)
		}
	}

	dup := additionalToolsParams("gpt-4o-mini")
	dup.Input.OfInputItemList[1].OfAdditionalTools.Tools = dup.Tools
	_, err := e.Client.Responses.New(ctxT(t), dup)
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "input[1].tools[0].name" {
		t.Errorf("a tool added twice: %v", err)
	}
}
