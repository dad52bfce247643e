package e2e

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
)

// The stored Chat Completions with openai-go, unchanged: completions
// created with store and metadata, complete and streamed, by an OpenAI
// and a Claude deployment; listed with filters and pages, read, their
// messages listed, their metadata replaced, deleted; the upstream never
// asked to store; another tenant kept out; on both store back ends.

// storedChat creates a chat completion of model with store true and
// metadata md, streamed or not, and returns its id and its text as the
// client received them.
func storedChat(t *testing.T, c openai.Client, model, text string, md map[string]string, stream bool) (id, answer string) {
	t.Helper()
	p := openai.ChatCompletionNewParams{Model: model, Store: openai.Bool(true), Metadata: shared.Metadata(md),
		Messages: []openai.ChatCompletionMessageParamUnion{openai.SystemMessage("Answer briefly."), openai.UserMessage(text)}}
	if !stream {
		got, err := c.Chat.Completions.New(ctxT(t), p)
		if err != nil {
			t.Fatalf("New %s: %v", model, err)
		}
		return got.ID, got.Choices[0].Message.Content
	}
	s := c.Chat.Completions.NewStreaming(ctxT(t), p)
	var acc openai.ChatCompletionAccumulator
	for s.Next() {
		acc.AddChunk(s.Current())
	}
	if err := s.Err(); err != nil {
		t.Fatalf("NewStreaming %s: %v", model, err)
	}
	return acc.ID, acc.Choices[0].Message.Content
}

// listedChats pages through the caller's stored completions of q, one at
// a time, with the SDK's auto-pager, and returns their ids.
func listedChats(t *testing.T, c openai.Client, q openai.ChatCompletionListParams) []string {
	t.Helper()
	q.Limit = openai.Int(1)
	var ids []string
	pager := c.Chat.Completions.ListAutoPaging(ctxT(t), q)
	for pager.Next() {
		ids = append(ids, pager.Current().ID)
	}
	if err := pager.Err(); err != nil {
		t.Fatalf("list: %v", err)
	}
	return ids
}

// is404 reports whether err is the API's 404.
func is404(err error) bool {
	var e *openai.Error
	return errors.As(err, &e) && e.StatusCode == http.StatusNotFound
}

func TestStoredChatCompletions(t *testing.T) {
	t.Parallel()
	for _, b := range storeBackends {
		t.Run(b.name, func(t *testing.T) {
			e, ul := storedEnv(t, b.open(t), nil)
			c, other := e.Client, e.clientWith(respKeyB)
			first, answer := storedChat(t, c, "gpt-4o-mini", "Capital of Peru?", map[string]string{"team": "geo"}, false)
			if up := ul.last(t, "openai"); strings.Contains(up, `"store"`) || strings.Contains(up, `"metadata"`) {
				t.Errorf("the upstream was asked to store: %s", up)
			}
			second, streamed := storedChat(t, c, "gpt-4o-mini", "Capital of Chile?", map[string]string{"team": "geo", "n": "2"}, true)
			third, _ := storedChat(t, c, "claude-haiku-4-5", "Capital of Peru?", map[string]string{"team": "ops"}, true)
			if _, err := c.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "gpt-4o-mini",
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Not kept.")}}); err != nil {
				t.Fatal(err)
			}

			got, err := c.Chat.Completions.Get(ctxT(t), first)
			if err != nil || got.Choices[0].Message.Content != answer || got.Metadata["team"] != "geo" || got.Usage.TotalTokens == 0 {
				t.Fatalf("Get = %+v, %v; want %q with its metadata and usage", got, err, answer)
			}
			if got, err := c.Chat.Completions.Get(ctxT(t), second); err != nil || got.Choices[0].Message.Content != streamed || got.Usage.TotalTokens == 0 ||
				!strings.Contains(got.Usage.RawJSON(), `"cost":`) {
				t.Errorf("Get of the streamed one = %+v, %v; want %q with its usage and cost", got, err, streamed)
			}
			if ids := listedChats(t, c, openai.ChatCompletionListParams{}); !slices.Equal(ids, []string{first, second, third}) {
				t.Errorf("list = %v; want the three stored, oldest first", ids)
			}
			if ids := listedChats(t, c, openai.ChatCompletionListParams{Metadata: shared.Metadata{"team": "geo"}, Order: openai.ChatCompletionListParamsOrderDesc}); !slices.Equal(ids, []string{second, first}) {
				t.Errorf("list team geo, newest first = %v; want %v", ids, []string{second, first})
			}
			if ids := listedChats(t, c, openai.ChatCompletionListParams{Model: openai.String(got.Model)}); !slices.Equal(ids, []string{first, second}) {
				t.Errorf("list of model %s = %v", got.Model, ids)
			}
			msgs, err := c.Chat.Completions.Messages.List(ctxT(t), first, openai.ChatCompletionMessageListParams{})
			if err != nil || len(msgs.Data) != 2 || msgs.Data[0].Content != "Answer briefly." || msgs.Data[1].Content != "Capital of Peru?" {
				t.Errorf("Messages.List = %+v, %v", msgs, err)
			}
			up, err := c.Chat.Completions.Update(ctxT(t), first, openai.ChatCompletionUpdateParams{Metadata: shared.Metadata{"team": "ops"}})
			if err != nil || up.Metadata["team"] != "ops" {
				t.Errorf("Update = %+v, %v", up, err)
			}
			if ids := listedChats(t, c, openai.ChatCompletionListParams{Metadata: shared.Metadata{"team": "ops"}}); !slices.Equal(ids, []string{first, third}) {
				t.Errorf("list team ops after the update = %v", ids)
			}

			// Another tenant finds none of them.
			if ids := listedChats(t, other, openai.ChatCompletionListParams{}); len(ids) != 0 {
				t.Errorf("tenant B lists %v", ids)
			}
			if _, err := other.Chat.Completions.Get(ctxT(t), first); !is404(err) {
				t.Errorf("tenant B's Get: %v; want 404", err)
			}
			if _, err := other.Chat.Completions.Messages.List(ctxT(t), first, openai.ChatCompletionMessageListParams{}); !is404(err) {
				t.Errorf("tenant B's Messages.List: %v; want 404", err)
			}
			if _, err := other.Chat.Completions.Update(ctxT(t), first, openai.ChatCompletionUpdateParams{Metadata: shared.Metadata{"x": "y"}}); !is404(err) {
				t.Errorf("tenant B's Update: %v; want 404", err)
			}
			if _, err := other.Chat.Completions.Delete(ctxT(t), first); !is404(err) {
				t.Errorf("tenant B's Delete: %v; want 404", err)
			}

			del, err := c.Chat.Completions.Delete(ctxT(t), first)
			if err != nil || !del.Deleted || del.ID != first {
				t.Fatalf("Delete = %+v, %v", del, err)
			}
			if _, err := c.Chat.Completions.Get(ctxT(t), first); !is404(err) {
				t.Errorf("Get after Delete: %v; want 404", err)
			}
		})
	}
}

func TestStoredChatCompletionsOff(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), func(c *config.Config) { c.Responses.ChatCompletions.Store = new(false) })
	id, _ := storedChat(t, e.Client, "gpt-4o-mini", "Capital of Peru?", map[string]string{"team": "geo"}, false)
	if up := ul.last(t, "openai"); strings.Contains(up, `"store"`) {
		t.Errorf("the upstream was asked to store: %s", up)
	}
	var apiErr *openai.Error
	if _, err := e.Client.Chat.Completions.Get(ctxT(t), id); !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.Code != "chat_completion_not_stored" {
		t.Errorf("Get with storing off: %v; want 404 chat_completion_not_stored", err)
	}
}
