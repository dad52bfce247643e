package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/conversations"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/postgres/pgtest"
)

// The Conversations API with openai-go, unchanged: a conversation made
// with items, turns answered in it by an OpenAI, a Claude (streamed) and
// a Gemini deployment, each sent the conversation so far; its items
// paged; a response made in it continued with previous_response_id; an
// item deleted; the conversation deleted; another tenant kept out; on
// both store back ends.

// inConversation is a request of text to model made in the conversation
// id.
func inConversation(model, id, text string) responses.ResponseNewParams {
	return responses.ResponseNewParams{Model: model, Input: inputText(text),
		Conversation: responses.ResponseNewParamsConversationUnion{OfString: openai.String(id)}}
}

// conversationItems pages through the conversation's items, two at a
// time, oldest first, with the SDK's auto-pager, and returns their ids
// and the text of their messages.
func conversationItems(t *testing.T, c openai.Client, id string) (ids []string, text string) {
	t.Helper()
	var sb strings.Builder
	pager := c.Conversations.Items.ListAutoPaging(ctxT(t), id, conversations.ItemListParams{Limit: openai.Int(2), Order: "asc"})
	for pager.Next() {
		it := pager.Current()
		ids = append(ids, it.ID)
		for _, part := range it.AsMessage().Content {
			sb.WriteString(part.Text + "|")
		}
	}
	if err := pager.Err(); err != nil {
		t.Fatalf("list items: %v", err)
	}
	return ids, sb.String()
}

func TestConversationsAcrossProviders(t *testing.T) {
	t.Parallel()
	for _, b := range storeBackends {
		t.Run(b.name, func(t *testing.T) {
			e, ul := storedEnv(t, b.open(t), nil)
			c := e.Client
			conv, err := c.Conversations.New(ctxT(t), conversations.ConversationNewParams{Metadata: map[string]string{"topic": "names"},
				Items: []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfMessage("My name is Ada.", "user")}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Conversations.Items.New(ctxT(t), conv.ID, conversations.ItemNewParams{
				Items: []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfMessage("I live in Lima.", "user")}}); err != nil {
				t.Fatal(err)
			}
			first, err := c.Responses.New(ctxT(t), inConversation("gpt-4o-mini", conv.ID, "What is my name?"))
			if err != nil || first.Conversation.ID != conv.ID {
				t.Fatalf("turn 1: %v", err)
			}
			wantSent(t, ul, "openai", "My name is Ada.", "I live in Lima.", "What is my name?")
			stream := c.Responses.NewStreaming(ctxT(t), inConversation("claude-haiku-4-5", conv.ID, "Where do I live?"))
			var second responses.Response
			for stream.Next() {
				if ev := stream.Current(); ev.Type == "response.completed" {
					second = ev.Response
				}
			}
			if stream.Err() != nil || second.Conversation.ID != conv.ID {
				t.Fatalf("turn 2, streamed: %v %s", stream.Err(), second.RawJSON())
			}
			wantSent(t, ul, "anthropic", "My name is Ada.", first.OutputText()[:10], "Where do I live?")
			third, err := c.Responses.New(ctxT(t), inConversation("gemini-2.5-flash", conv.ID, "Thanks!"))
			if err != nil {
				t.Fatal(err)
			}
			wantSent(t, ul, "gemini", "My name is Ada.", first.OutputText()[:10], second.OutputText()[:10], "Thanks!")
			ids, text := conversationItems(t, c, conv.ID)
			if len(ids) != 8 || ids[3] != first.Output[0].ID || ids[7] != third.Output[0].ID || !strings.HasPrefix(text, "My name is Ada.|I live in Lima.|What is my name?|") {
				t.Fatalf("the conversation's items: %v %q", ids, text)
			}
			checkContinuedFromConversation(t, e, ul, third.ID)
			checkItemDeleted(t, e, ul, conv.ID, ids[0])
			checkConversationDeleted(t, e, conv.ID, second.ID)
		})
	}
}

// wantSent fails t unless the last request to provider held every one
// of wants.
func wantSent(t *testing.T, ul *upstreamLog, provider string, wants ...string) {
	t.Helper()
	sent := ul.last(t, provider)
	for _, want := range wants {
		if !strings.Contains(sent, want) {
			t.Errorf("%s was not sent %q: %s", provider, want, sent)
		}
	}
}

// checkContinuedFromConversation: a response made in the conversation,
// continued with previous_response_id, sends the conversation's items
// before it, and lists them among its input items.
func checkContinuedFromConversation(t *testing.T, e *env, ul *upstreamLog, id string) {
	t.Helper()
	next, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", PreviousResponseID: openai.String(id), Input: inputText("Bye.")})
	if err != nil {
		t.Fatal(err)
	}
	wantSent(t, ul, "openai", "My name is Ada.", "Where do I live?", "Thanks!", "Bye.")
	page, err := e.Client.Responses.InputItems.List(ctxT(t), next.ID, responses.InputItemListParams{Limit: openai.Int(100), Order: "asc"})
	if err != nil || len(page.Data) != 9 || page.Data[0].AsMessage().Content[0].Text != "My name is Ada." {
		t.Fatalf("its input items: %v, %d", err, len(page.Data))
	}
}

// checkItemDeleted: an item deleted is not found, and not sent again.
func checkItemDeleted(t *testing.T, e *env, ul *upstreamLog, conv, item string) {
	t.Helper()
	if after, err := e.Client.Conversations.Items.Delete(ctxT(t), conv, item); err != nil || after.ID != conv {
		t.Fatalf("delete item: %v", err)
	}
	_, err := e.Client.Conversations.Items.Get(ctxT(t), conv, item, conversations.ItemGetParams{})
	wantAPIError(t, "the deleted item", err, 404, "")
	if _, err := e.Client.Responses.New(ctxT(t), inConversation("gpt-4o-mini", conv, "Who am I?")); err != nil {
		t.Fatal(err)
	}
	if sent := ul.last(t, "openai"); strings.Contains(sent, "My name is Ada.") || !strings.Contains(sent, "I live in Lima.") {
		t.Errorf("after deleting the first item, turn sent %s", sent)
	}
}

// checkConversationDeleted: a deleted conversation is not found, to read
// or to answer in, by its owner nor anyone; a response made in it keeps
// its items (OpenAI: "items in the conversation will not be deleted").
func checkConversationDeleted(t *testing.T, e *env, conv, resp string) {
	t.Helper()
	other := e.clientWith(respKeyB)
	_, err := other.Conversations.Get(ctxT(t), conv)
	wantAPIError(t, "another tenant's conversation", err, 404, "")
	_, err = other.Responses.New(ctxT(t), inConversation("gpt-4o-mini", conv, "Hi"))
	wantAPIError(t, "another tenant answers in it", err, 404, "")
	if del, err := e.Client.Conversations.Delete(ctxT(t), conv); err != nil || !del.Deleted {
		t.Fatalf("delete: %v", err)
	}
	_, err = e.Client.Conversations.Get(ctxT(t), conv)
	wantAPIError(t, "the deleted conversation", err, 404, "")
	_, err = e.Client.Responses.New(ctxT(t), inConversation("gpt-4o-mini", conv, "Hi"))
	wantAPIError(t, "answering in the deleted conversation", err, 404, "")
	page, err := e.Client.Responses.InputItems.List(ctxT(t), resp, responses.InputItemListParams{Order: "asc"})
	if err != nil || len(page.Data) != 4 || page.Data[0].AsMessage().Content[0].Text != "I live in Lima." {
		t.Fatalf("the input items of a response made in the deleted conversation: %v, %d", err, len(page.Data))
	}
}

// Read-your-writes across replicas: two routers sharing one PostgreSQL
// schema; each turn in the conversation, complete or streamed, is
// answered on the other router the moment its answer (or its
// response.completed event) is in, and is sent every turn before.
func TestConversationsOnAnotherReplica(t *testing.T) {
	t.Parallel()
	dsn := pgtest.FreshSchema(t)
	open := func() store.Store {
		s, err := postgres.Open(context.Background(), dsn)
		return closing(t, s, err)
	}
	a, ul := storedEnv(t, open(), nil)
	b, _ := storedEnv(t, open(), nil)
	conv, err := a.Client.Conversations.New(ctxT(t), conversations.ConversationNewParams{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 8 {
		c := []*env{a, b}[i%2].Client
		params := inConversation("gpt-4o-mini", conv.ID, fmt.Sprintf("Turn %d.", i))
		if i%4 < 2 {
			if _, err := c.Responses.New(ctxT(t), params); err != nil {
				t.Fatalf("turn %d: %v", i, err)
			}
			continue
		}
		stream := c.Responses.NewStreaming(ctxT(t), params)
		for stream.Next() {
			if stream.Current().Type == "response.completed" {
				break // answer the next turn on the other router at once
			}
		}
		if err := stream.Err(); err != nil {
			t.Fatalf("turn %d: %v", i, err)
		}
		stream.Close()
	}
	ids, _ := conversationItems(t, b.Client, conv.ID)
	if len(ids) != 16 || len(slices.Compact(slices.Sorted(slices.Values(ids)))) != 16 {
		t.Fatalf("%d items, want 16 distinct: %v", len(ids), ids)
	}
	if sent := ul.last(t, "openai"); !strings.Contains(sent, "Turn 0.") || !strings.Contains(sent, "Turn 5.") {
		t.Errorf("a late turn on router A was not sent the earlier turns: %s", sent)
	}
}
