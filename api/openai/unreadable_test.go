package openai_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/conversations"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/llm"
	"switchyard/store"
)

// errSealed is a store's error of content that does not open: its cause
// names a key id, which the client is not told.
var errSealed = fmt.Errorf("sqlite: response resp_1 input: %w: seal: the value is sealed under key 0011223344556677, which is not configured", store.ErrUnreadable)

// sealedResponses is a ResponseStore whose every stored response is
// sealed under a key it does not have.
type sealedResponses struct{ memResponses }

func (*sealedResponses) Load(context.Context, string) (*store.Response, error) { return nil, errSealed }
func (*sealedResponses) Chain(context.Context, string) ([]*store.Response, error) {
	return nil, errSealed
}

// sealedConversations is a ConversationStore whose every conversation is
// sealed under a key it does not have.
type sealedConversations struct{ *memConversations }

func (sealedConversations) Get(context.Context, string) (*store.Conversation, error) {
	return nil, errSealed
}

func (sealedConversations) Items(context.Context, string) ([]store.ConversationItem, int64, error) {
	return nil, 0, errSealed
}

func (sealedConversations) List(context.Context, string, store.ItemQuery) (store.ItemPage, error) {
	return store.ItemPage{}, errSealed
}

// Stored content that does not open is a 500 in OpenAI's shape, code
// stored_content_unreadable, saying why and that retrying will not help,
// without the store's error (which names the key); not the 503 "try
// again" of a store that failed.
func TestStoredContentUnreadable(t *testing.T) {
	b := &fakeBackend{ChatFunc: func(context.Context, *llm.Request) (*llm.Response, error) {
		t.Error("a request was routed without its conversation")
		return nil, errors.New("no")
	}}
	_, c := conversationServer(t, b, &sealedResponses{memResponses{kept: map[string]*store.Response{}}}, sealedConversations{newMemConversations()})
	ctx := context.Background()
	check := func(what string, err error) {
		t.Helper()
		var e *sdk.Error
		if !errors.As(err, &e) || e.StatusCode != http.StatusInternalServerError || e.Code != "stored_content_unreadable" ||
			e.Type != "server_error" || !strings.Contains(e.Message, "responses.encryption") || !strings.Contains(e.Message, "will not help") ||
			strings.Contains(e.Message, "0011223344556677") || strings.Contains(e.Message, "resp_1 input") {
			t.Errorf("%s: %v, want 500 stored_content_unreadable without the store's error", what, err)
		}
	}
	_, err := c.Responses.Get(ctx, "resp_1", responses.ResponseGetParams{})
	check("GET /v1/responses/{id}", err)
	_, err = c.Responses.InputItems.List(ctx, "resp_1", responses.InputItemListParams{})
	check("GET …/input_items", err)
	in := responses.ResponseNewParamsInputUnion{OfString: sdk.String("and then?")}
	_, err = c.Responses.New(ctx, responses.ResponseNewParams{Model: "m", Input: in, PreviousResponseID: sdk.String("resp_1")})
	check("previous_response_id", err)
	_, err = c.Responses.New(ctx, responses.ResponseNewParams{Model: "m", Input: in,
		Conversation: responses.ResponseNewParamsConversationUnion{OfString: sdk.String("conv_1")}})
	check("conversation", err)
	_, err = c.Conversations.Get(ctx, "conv_1")
	check("GET /v1/conversations/{id}", err)
	_, err = c.Conversations.Items.List(ctx, "conv_1", conversations.ItemListParams{})
	check("GET …/items", err)
}
