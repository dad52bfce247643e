package e2e

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/conversations"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
	"switchyard/llm"
)

// configUpdate is an openai-go configuration_update item: effort, and a
// json_schema format when schema is set.
func configUpdate(effort shared.ReasoningEffort, schema bool) responses.ResponseInputItemUnionParam {
	u := &responses.ResponseConfigurationUpdateItemParam{}
	if effort != "" {
		u.Reasoning.Effort = effort
	}
	if schema {
		u.Text.Format.OfJSONSchema = &responses.ResponseFormatTextJSONSchemaConfigParam{Name: "verdict",
			Schema: map[string]any{"type": "object", "properties": map[string]any{"prime": map[string]any{"type": "boolean"}}}}
	}
	return responses.ResponseInputItemUnionParam{OfConfigurationUpdate: u}
}

// sentField returns the field name of the JSON body sent, "" when absent.
func sentField(t *testing.T, body, name string) string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	return string(m[name])
}

// A configuration_update item sent by openai-go sets the response's
// reasoning effort and text format over the request's own (kept as the
// conversation started): an OpenAI reasoning model is sent that effort
// and format, a Claude deployment thinks with that effort's budget,
// streamed and not, and the response says the settings in effect.
func TestResponsesConfigurationUpdate(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), nil)
	for _, c := range []struct {
		model, provider string
		stream          bool
	}{{"o3-mini", "openai", false}, {"o3-mini", "openai", true}, {"claude-sonnet-4-5", "anthropic", true}} {
		params := responses.ResponseNewParams{Model: c.model, Reasoning: shared.ReasoningParam{Effort: shared.ReasoningEffortLow},
			Input: responses.ResponseNewParamsInputUnion{OfInputItemList: []responses.ResponseInputItemUnionParam{
				responses.ResponseInputItemParamOfMessage("Is 91 prime?", responses.EasyInputMessageRoleUser), configUpdate(shared.ReasoningEffortHigh, true)}}}
		var resp responses.Response
		if c.stream {
			stream := e.Client.Responses.NewStreaming(ctxT(t), params)
			for stream.Next() {
				if ev := stream.Current(); ev.Type == "response.completed" {
					resp = ev.Response
				}
			}
			if err := stream.Err(); err != nil {
				t.Fatalf("%s streamed: %v", c.model, err)
			}
		} else {
			got, err := e.Client.Responses.New(ctxT(t), params)
			if err != nil {
				t.Fatalf("%s: %v", c.model, err)
			}
			resp = *got
		}
		if resp.Reasoning.Effort != shared.ReasoningEffortHigh || resp.Text.Format.Type != "json_schema" || resp.Text.Format.Name != "verdict" {
			t.Errorf("%s stream=%v: the response says %s / %s, want the update's high and json_schema", c.model, c.stream, resp.Reasoning.Effort, resp.Text.Format.Type)
		}
		sent := ul.last(t, c.provider)
		if c.provider == "openai" {
			if eff, rf := sentField(t, sent, "reasoning_effort"), sentField(t, sent, "response_format"); eff != `"high"` || !strings.Contains(rf, `"json_schema"`) || !strings.Contains(rf, `"verdict"`) {
				t.Errorf("%s stream=%v: sent reasoning_effort %s, response_format %s", c.model, c.stream, eff, rf)
			}
		} else if th := sentField(t, sent, "thinking"); th != `{"type":"enabled","budget_tokens":16384}` {
			t.Errorf("%s: sent thinking %s, want high's budget", c.model, th)
		}
		if strings.Contains(sent, "configuration_update") {
			t.Errorf("%s: the update itself was sent upstream: %s", c.model, sent)
		}
	}
}

// An update stays in effect for the responses after it: a continuation
// with previous_response_id (whose own reasoning is still low) and a
// response made in a conversation holding one are sent its effort; the
// update is listed among the input items and the conversation's items.
func TestResponsesConfigurationUpdateCarried(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), nil)
	c := e.Client
	low := shared.ReasoningParam{Effort: shared.ReasoningEffortLow}
	first, err := c.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "o3-mini", Reasoning: low,
		Input: responses.ResponseNewParamsInputUnion{OfInputItemList: []responses.ResponseInputItemUnionParam{
			configUpdate(shared.ReasoningEffortXhigh, false), responses.ResponseInputItemParamOfMessage("Is 91 prime?", responses.EasyInputMessageRoleUser)}}})
	if err != nil {
		t.Fatal(err)
	}
	next, err := c.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "o3-mini", Reasoning: low, PreviousResponseID: openai.String(first.ID), Input: inputText("And 97?")})
	if err != nil {
		t.Fatal(err)
	}
	// o3-mini takes no xhigh: it is sent its strongest, high
	// (openai.SentEffort); the response says the update's xhigh.
	if eff := sentField(t, ul.last(t, "openai"), "reasoning_effort"); eff != `"high"` || next.Reasoning.Effort != shared.ReasoningEffortXhigh {
		t.Errorf("continuation: sent %s, says %s: want the stored update's xhigh, sent as high", eff, next.Reasoning.Effort)
	}
	page, err := c.Responses.InputItems.List(ctxT(t), next.ID, responses.InputItemListParams{Order: "asc"})
	if err != nil || len(page.Data) < 1 || page.Data[0].Type != "configuration_update" ||
		page.Data[0].AsConfigurationUpdate().Reasoning.Effort != shared.ReasoningEffortXhigh || !strings.HasPrefix(page.Data[0].ID, "cu_") {
		t.Fatalf("input items: %v %+v", err, page)
	}

	conv, err := c.Conversations.New(ctxT(t), conversations.ConversationNewParams{Items: []responses.ResponseInputItemUnionParam{
		responses.ResponseInputItemParamOfMessage("Is 91 prime?", "user"), configUpdate(shared.ReasoningEffortMedium, true)}})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Responses.New(ctxT(t), inConversation("o3-mini", conv.ID, "Answer."))
	if err != nil {
		t.Fatal(err)
	}
	sent := ul.last(t, "openai")
	if eff, rf := sentField(t, sent, "reasoning_effort"), sentField(t, sent, "response_format"); eff != `"medium"` || !strings.Contains(rf, `"verdict"`) || resp.Text.Format.Name != "verdict" {
		t.Errorf("in a conversation: sent %s %s, response format %q", eff, rf, resp.Text.Format.Name)
	}
	items, err := c.Conversations.Items.List(ctxT(t), conv.ID, conversations.ItemListParams{Order: "asc"})
	if err != nil || len(items.Data) < 2 || items.Data[1].Type != "configuration_update" || items.Data[1].AsConfigurationUpdate().Text.Format.Name != "verdict" {
		t.Fatalf("conversation items: %v %+v", err, items)
	}
}

// Two updates in a row are a 400 at the second, as OpenAI answers them.
func TestResponsesConfigurationUpdateAdjacent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	_, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "o3-mini",
		Input: responses.ResponseNewParamsInputUnion{OfInputItemList: []responses.ResponseInputItemUnionParam{
			responses.ResponseInputItemParamOfMessage("Hi", responses.EasyInputMessageRoleUser), configUpdate(shared.ReasoningEffortLow, false), configUpdate("", true)}}})
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "input[2]" {
		t.Fatalf("two updates in a row: %v", err)
	}
}

// An update's text format is a routing need as text.format is: a
// deployment without json_schema is refused the request the same way
// for either.
func TestResponsesConfigurationUpdateRoutes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		d := c.Deployments["gpt-4o-mini"]
		d.Capabilities = slices.DeleteFunc(d.Capabilities, func(c llm.Capability) bool { return c == llm.CapJSONSchema })
	})
	hi := responses.ResponseInputItemParamOfMessage("Is 91 prime?", responses.EasyInputMessageRoleUser)
	_, top := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini",
		Input: responses.ResponseNewParamsInputUnion{OfInputItemList: []responses.ResponseInputItemUnionParam{hi}},
		Text:  responses.ResponseTextConfigParam{Format: responses.ResponseFormatTextConfigUnionParam{OfJSONSchema: &responses.ResponseFormatTextJSONSchemaConfigParam{Name: "verdict", Schema: map[string]any{"type": "object"}}}}})
	_, upd := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini",
		Input: responses.ResponseNewParamsInputUnion{OfInputItemList: []responses.ResponseInputItemUnionParam{hi, configUpdate("", true)}}})
	var a, b *openai.Error
	if !errors.As(top, &a) || !errors.As(upd, &b) || a.StatusCode != b.StatusCode || a.Message != b.Message || !strings.Contains(b.Message, "json_schema") {
		t.Fatalf("text.format: %v; the update: %v", top, upd)
	}
	if _, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini",
		Input: responses.ResponseNewParamsInputUnion{OfInputItemList: []responses.ResponseInputItemUnionParam{hi}}}); err != nil {
		t.Errorf("without a format: %v", err)
	}
}
