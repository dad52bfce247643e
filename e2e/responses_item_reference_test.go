package e2e

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/conversations"
	"github.com/openai/openai-go/v3/responses"
)

// item_reference items sent by openai-go stand for items the router
// stored for the caller's tenant: an input item and an output item of a
// stored response are sent upstream in the references' place, complete
// and streamed, and a conversation's item, in a request made in it or
// not; another tenant's item, or an unknown id, is a 404.
func TestResponsesItemReference(t *testing.T) {
	t.Parallel()
	for _, b := range storeBackends {
		t.Run(b.name, func(t *testing.T) {
			e, ul := storedEnv(t, b.open(t), nil)
			c := e.Client
			first, err := c.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", Input: inputText("My name is Ada.")})
			if err != nil {
				t.Fatal(err)
			}
			page, err := c.Responses.InputItems.List(ctxT(t), first.ID, responses.InputItemListParams{})
			if err != nil || len(page.Data) != 1 {
				t.Fatalf("input items: %v", err)
			}
			refs := func(ids ...string) responses.ResponseNewParamsInputUnion {
				var items []responses.ResponseInputItemUnionParam
				for _, id := range ids {
					items = append(items, responses.ResponseInputItemParamOfItemReference(id))
				}
				return responses.ResponseNewParamsInputUnion{OfInputItemList: append(items, responses.ResponseInputItemParamOfMessage("What is my name?", responses.EasyInputMessageRoleUser))}
			}
			params := responses.ResponseNewParams{Model: "claude-haiku-4-5", Input: refs(page.Data[0].ID, first.Output[0].ID)}
			for _, streamed := range []bool{false, true} {
				if _, err := newResponse(t, e, params, streamed); err != nil {
					var apiErr *openai.Error
					errors.As(err, &apiErr)
					t.Fatalf("streamed=%v: %v %s", streamed, err, apiErr.RawJSON())
				}
				wantSent(t, ul, "anthropic", "My name is Ada.", first.OutputText()[:10], "What is my name?")
				if sent := ul.last(t, "anthropic"); strings.Contains(sent, "item_reference") {
					t.Errorf("the reference itself was sent: %s", sent)
				}
			}

			conv, err := c.Conversations.New(ctxT(t), conversations.ConversationNewParams{Items: []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfMessage("I live in Lima.", "user")}})
			if err != nil {
				t.Fatal(err)
			}
			items, err := c.Conversations.Items.List(ctxT(t), conv.ID, conversations.ItemListParams{})
			if err != nil || len(items.Data) != 1 {
				t.Fatalf("conversation items: %v", err)
			}
			inConv := inConversation("gpt-4o-mini", conv.ID, "")
			inConv.Input = refs(items.Data[0].ID)
			if _, err := c.Responses.New(ctxT(t), inConv); err != nil {
				t.Fatal(err)
			}
			if sent := ul.last(t, "openai"); strings.Count(sent, "I live in Lima.") != 2 {
				t.Errorf("the conversation's item, and the reference to it: %s", sent)
			}

			if _, err := c.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", Input: refs(items.Data[0].ID)}); err != nil {
				t.Fatal(err)
			}
			if sent := ul.last(t, "openai"); strings.Count(sent, "I live in Lima.") != 1 {
				t.Errorf("a conversation's item, referenced outside it: %s", sent)
			}

			other := e.clientWith(respKeyB)
			for _, id := range []string{first.Output[0].ID, items.Data[0].ID, "msg_0123456789abcdef01234567_i0"} {
				_, err := other.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", Input: refs(id)})
				var apiErr *openai.Error
				if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound || apiErr.Param != "input[0].id" || !strings.Contains(apiErr.Message, "not found") {
					t.Errorf("%s for another tenant: %v", id, err)
				}
			}
		})
	}
}
