package e2e

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
)

// triggerItem is openai-go's compaction_trigger item.
func triggerItem() responses.ResponseInputItemUnionParam {
	return responses.ResponseInputItemUnionParam{OfCompactionTrigger: &responses.ResponseInputItemCompactionTriggerParam{}}
}

// A compaction_trigger ending the input (Codex's remote compaction) is
// answered as POST /v1/responses/compact answers: the routed model is sent
// the session as a transcript, and the response's output is one
// compaction item holding the sealed summary, complete and streamed. One
// not last is the API's 400.
func TestResponsesCompactionTrigger(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, withSharedKey)
	for _, c := range []struct {
		model, path string
		streamed    bool
	}{{"claude-sonnet-4-5", "/v1/messages", false}, {"gpt-4o-mini", "/chat/completions", true}} {
		params := responses.ResponseNewParams{Model: c.model, Input: responses.ResponseNewParamsInputUnion{OfInputItemList: append(compactInput(), triggerItem())}}
		var resp *responses.Response
		var events []string
		if c.streamed {
			stream := e.Client.Responses.NewStreaming(ctxT(t), params)
			for stream.Next() {
				ev := stream.Current()
				events = append(events, ev.Type)
				if ev.Type == "response.output_item.done" && ev.Item.Type != "compaction" {
					t.Errorf("item done %s", ev.Item.RawJSON())
				}
				if ev.Type == "response.completed" {
					resp = &ev.Response
				}
			}
			if err := stream.Err(); err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(events, " "); got != "response.created response.in_progress response.output_item.added response.output_item.done response.completed" {
				t.Errorf("events %s", got)
			}
		} else {
			var err error
			if resp, err = e.Client.Responses.New(ctxT(t), params); err != nil {
				t.Fatal(err)
			}
		}
		if resp == nil || len(resp.Output) != 1 || resp.Output[0].Type != "compaction" || resp.Status != "completed" || resp.Usage.InputTokens == 0 {
			t.Fatalf("%s: response %v", c.model, resp)
		}
		if item := resp.Output[0].AsCompaction(); !strings.HasPrefix(item.ID, "cmp_") || !strings.HasPrefix(item.EncryptedContent, "swy1.") {
			t.Errorf("compaction item %s", resp.Output[0].RawJSON())
		}
		sent := string(mustJSON(tp.lastBody(t, c.path)))
		if !strings.Contains(sent, "called read_file as call_read_1") || strings.Contains(sent, "compaction_trigger") {
			t.Errorf("%s: the summary request %.400s", c.model, sent)
		}
	}

	late := append(compactInput()[:1], triggerItem(), responses.ResponseInputItemParamOfMessage("More.", responses.EasyInputMessageRoleUser))
	_, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", Input: responses.ResponseNewParamsInputUnion{OfInputItemList: late}})
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || apiErr.Param != "input[1]" || !strings.Contains(apiErr.Message, "must be the final input item") {
		t.Errorf("a trigger not last: %v", err)
	}
}

// A compaction_trigger after previous_response_id compacts the stored
// chain; the compaction response is stored without the trigger, and a
// continuation of it is sent the summary.
func TestResponsesCompactionTriggerChained(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), withSharedKey)
	c := e.Client
	first, err := c.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", Input: responses.ResponseNewParamsInputUnion{OfInputItemList: compactInput()}})
	if err != nil {
		t.Fatal(err)
	}
	compacted, err := c.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", PreviousResponseID: openai.String(first.ID),
		Input: responses.ResponseNewParamsInputUnion{OfInputItemList: []responses.ResponseInputItemUnionParam{triggerItem()}}})
	if err != nil || len(compacted.Output) != 1 || compacted.Output[0].Type != "compaction" {
		t.Fatalf("compaction of the chain: %v", err)
	}
	if sent := ul.last(t, "openai"); !strings.Contains(sent, "Now update the README too.") || !strings.Contains(sent, first.OutputText()[:10]) {
		t.Errorf("the summary request %.400s", sent)
	}
	page, err := c.Responses.InputItems.List(ctxT(t), compacted.ID, responses.InputItemListParams{Order: "asc", Limit: openai.Int(100)})
	if err != nil || len(page.Data) != 6 || strings.Contains(page.RawJSON(), "compaction_trigger") {
		t.Fatalf("its input items: %v %d", err, len(page.Data))
	}
	if _, err := c.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", PreviousResponseID: openai.String(compacted.ID), Input: inputText("What next?")}); err != nil {
		t.Fatal(err)
	}
	if sent := ul.last(t, "openai"); !strings.Contains(sent, "Summary of the conversation before this point") {
		t.Errorf("the continuation %.600s", sent)
	}
}
