package e2e

import (
	"errors"
	"net/http"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/conversations"
	"github.com/openai/openai-go/v3/responses"
)

// Listing a conversation's items or a response's input items with an
// include value OpenAI does not have is OpenAI's 400 (invalid_value at
// include[i]); the values it has are accepted, as openai-go sends them
// (include[]=…).
func TestListingRefusesUnknownInclude(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), nil)
	c := e.Client
	conv, err := c.Conversations.New(ctxT(t), conversations.ConversationNewParams{
		Items: []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfMessage("My name is Ada.", "user")}})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", Input: inputText("hello")})
	if err != nil {
		t.Fatal(err)
	}
	good := []responses.ResponseIncludable{responses.ResponseIncludableReasoningEncryptedContent, responses.ResponseIncludableMessageInputImageImageURL}
	bad := append(good, "bogus")
	if _, err := c.Conversations.Items.List(ctxT(t), conv.ID, conversations.ItemListParams{Include: good}); err != nil {
		t.Errorf("conversation items with known include values: %v", err)
	}
	if _, err := c.Responses.InputItems.List(ctxT(t), resp.ID, responses.InputItemListParams{Include: good}); err != nil {
		t.Errorf("input items with known include values: %v", err)
	}
	for name, list := range map[string]func() error{
		"conversation items": func() error {
			_, err := c.Conversations.Items.List(ctxT(t), conv.ID, conversations.ItemListParams{Include: bad})
			return err
		},
		"input items": func() error {
			_, err := c.Responses.InputItems.List(ctxT(t), resp.ID, responses.InputItemListParams{Include: bad})
			return err
		},
	} {
		var apiErr *openai.Error
		if err := list(); !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || apiErr.Param != "include[2]" ||
			apiErr.Code != "invalid_value" || apiErr.Type != "invalid_request_error" {
			t.Errorf("%s with include bogus: %v, want a 400 invalid_value at include[2]", name, err)
		}
	}
}
