package e2e

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/conversations"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
	"switchyard/store/sqlite"
)

// Stored responses and conversations encrypted at rest
// (responses.encryption), with openai-go against a router on SQLite: a
// continuation (previous_response_id) and a turn in a conversation are
// sent their earlier turns, and the database's files on disk hold none
// of the text; a router without the key answers 500
// stored_content_unreadable, one with it as a previous key reads all.

// Two keys of responses.encryption (32 bytes, base64 and hex).
const (
	e2eResponsesKey  = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	e2eResponsesKey2 = "3031323334353637383961626364656630313233343536373839616263646558"
)

// The texts searched for on disk: a prompt, a conversation's item and
// its metadata.
const (
	markerPrompt   = "MARKER-prompt-5c1d"
	markerItem     = "MARKER-item-9e27"
	markerMetadata = "MARKER-metadata-41ab"
)

// encryptedEnv is a router keeping stored responses in the SQLite file
// path with encryption keys key and previous.
func encryptedEnv(t *testing.T, path, key string, previous ...string) (*env, *upstreamLog) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path)
	return storedEnv(t, closing(t, st, err), func(c *config.Config) {
		c.Responses.Encryption = config.Encryption{Key: key, PreviousKeys: previous}
	})
}

func TestResponsesEncryptedAtRest(t *testing.T) {
	t.Parallel()
	path := freshSQLitePath(t)
	e, ul := encryptedEnv(t, path, e2eResponsesKey)
	c := e.Client
	first, err := c.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", Input: inputText("My code word is " + markerPrompt + ".")})
	if err != nil || !storeFlag(t, first.RawJSON()) {
		t.Fatalf("turn 1: %v", err)
	}
	second, err := c.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "claude-haiku-4-5",
		PreviousResponseID: openai.String(first.ID), Input: inputText("What is my code word?")})
	if err != nil || second.PreviousResponseID != first.ID {
		t.Fatalf("continuation: %v", err)
	}
	wantSent(t, ul, "anthropic", markerPrompt, "What is my code word?")

	conv, err := c.Conversations.New(ctxT(t), conversations.ConversationNewParams{Metadata: map[string]string{"topic": markerMetadata},
		Items: []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfMessage("Remember "+markerItem+".", "user")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Responses.New(ctxT(t), inConversation("gemini-2.5-flash", conv.ID, "What should you remember?")); err != nil {
		t.Fatalf("turn in the conversation: %v", err)
	}
	wantSent(t, ul, "gemini", markerItem, "What should you remember?")
	if got, err := c.Conversations.Get(ctxT(t), conv.ID); err != nil || !strings.Contains(got.RawJSON(), markerMetadata) {
		t.Fatalf("conversation: %+v, %v", got, err)
	}
	if _, text := conversationItems(t, c, conv.ID); !strings.Contains(text, markerItem) {
		t.Errorf("the conversation's items: %s", text)
	}
	if got, err := c.Responses.Get(ctxT(t), second.ID, responses.ResponseGetParams{}); err != nil || got.ID != second.ID {
		t.Fatalf("retrieve: %v", err)
	}

	disk := sqliteFiles(t, path)
	for _, m := range []string{markerPrompt, markerItem, markerMetadata, "MARKER-"} {
		if bytes.Contains(disk, []byte(m)) {
			t.Errorf("the database's files hold %q in clear", m)
		}
	}

	// Another router on the file, without the key: 500 without the text;
	// with a new key and this one as a previous key: everything reads.
	st, err := sqlite.Open(context.Background(), path)
	other, _ := storedEnv(t, closing(t, st, err), nil)
	_, err = other.Client.Responses.Get(ctxT(t), second.ID, responses.ResponseGetParams{})
	wantUnreadable(t, "retrieve without the key", err)
	_, err = other.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", PreviousResponseID: openai.String(second.ID), Input: inputText("And?")})
	wantUnreadable(t, "continue without the key", err)
	_, err = other.Client.Conversations.Items.List(ctxT(t), conv.ID, conversations.ItemListParams{})
	wantUnreadable(t, "list items without the key", err)

	rotated, ul2 := encryptedEnv(t, path, e2eResponsesKey2, e2eResponsesKey)
	if _, err := rotated.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini",
		PreviousResponseID: openai.String(second.ID), Input: inputText("Say it again.")}); err != nil {
		t.Fatalf("continue after the rotation: %v", err)
	}
	wantSent(t, ul2, "openai", markerPrompt, "Say it again.")
}

// wantUnreadable fails t unless err is the 500 stored_content_unreadable,
// without the stored text.
func wantUnreadable(t *testing.T, what string, err error) {
	t.Helper()
	var e *openai.Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusInternalServerError || e.Code != "stored_content_unreadable" || strings.Contains(e.Message, "MARKER") {
		t.Errorf("%s: %v, want 500 stored_content_unreadable", what, err)
	}
}

// responses.redact: secrets masks the credentials in what is stored, so
// the continuation sends the masked text on; the personal data stays.
func TestResponsesRedactedWhenStored(t *testing.T) {
	t.Parallel()
	const key, email = "sk-proj-Ab12Cd34Ef56Gh78Ij90", "jane.doe@example.com"
	e, ul := storedEnv(t, storeBackends[0].open(t), func(c *config.Config) { c.Responses.Redact = config.RedactSecrets })
	c := e.Client
	first, err := c.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", Input: inputText("My key is " + key + ", mail " + email + ".")})
	if err != nil {
		t.Fatal(err)
	}
	wantSent(t, ul, "openai", key) // the request itself is sent as it came
	if _, err := c.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", PreviousResponseID: openai.String(first.ID), Input: inputText("And?")}); err != nil {
		t.Fatal(err)
	}
	wantSent(t, ul, "openai", "My key is [REDACTED:api_key], mail "+email, "And?")
	if sent := ul.last(t, "openai"); strings.Contains(sent, key) {
		t.Errorf("the continuation sent the key on: %s", sent)
	}
	items, err := c.Responses.InputItems.List(ctxT(t), first.ID, responses.InputItemListParams{})
	if err != nil || len(items.Data) != 1 || strings.Contains(items.RawJSON(), key) || !strings.Contains(items.RawJSON(), "[REDACTED:api_key]") {
		t.Errorf("input items: %v %s", err, items.RawJSON())
	}
}
