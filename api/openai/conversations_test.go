package openai_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/conversations"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	apiopenai "switchyard/api/openai"
	"switchyard/store"
)

// memConversations is a ConversationStore in memory (one tenant) whose
// appends fail while failing is set.
type memConversations struct {
	mu      sync.Mutex
	convs   map[string]*store.Conversation
	items   map[string][]store.ConversationItem
	failing bool
}

func newMemConversations() *memConversations {
	return &memConversations{convs: map[string]*store.Conversation{}, items: map[string][]store.ConversationItem{}}
}

func (m *memConversations) Create(_ context.Context, id string, md []byte, items []store.ConversationItem) (*store.Conversation, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := &store.Conversation{ID: id, Created: time.Unix(1741900000, 0), Metadata: md}
	m.convs[id], m.items[id] = c, items
	return c, nil
}

func (m *memConversations) Get(_ context.Context, id string) (*store.Conversation, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c := m.convs[id]; c != nil {
		return c, nil
	}
	return nil, store.ErrConversationNotFound
}

func (m *memConversations) Update(ctx context.Context, id string, md []byte) (*store.Conversation, error) {
	c, err := m.Get(ctx, id)
	if err == nil {
		m.mu.Lock()
		c.Metadata = md
		m.mu.Unlock()
	}
	return c, err
}

func (m *memConversations) Delete(ctx context.Context, id string) error {
	_, err := m.Get(ctx, id)
	m.mu.Lock()
	delete(m.convs, id)
	m.mu.Unlock()
	return err
}

func (m *memConversations) Append(ctx context.Context, id string, items []store.ConversationItem) error {
	if _, err := m.Get(ctx, id); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failing {
		return errors.New("database is down")
	}
	m.items[id] = append(m.items[id], items...)
	return nil
}

func (m *memConversations) Items(ctx context.Context, id string) ([]store.ConversationItem, int64, error) {
	if _, err := m.Get(ctx, id); err != nil {
		return nil, 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.items[id]), int64(len(m.items[id])), nil
}

func (m *memConversations) List(ctx context.Context, id string, q store.ItemQuery) (store.ItemPage, error) {
	all, _, err := m.Items(ctx, id)
	if err != nil {
		return store.ItemPage{}, err
	}
	if q.Desc {
		slices.Reverse(all)
	}
	if q.After != "" {
		i := slices.IndexFunc(all, func(it store.ConversationItem) bool { return it.ID == q.After })
		if i < 0 {
			return store.ItemPage{}, store.ErrItemNotFound
		}
		all = all[i+1:]
	}
	if len(all) > q.Limit {
		return store.ItemPage{Items: all[:q.Limit], HasMore: true}, nil
	}
	return store.ItemPage{Items: all}, nil
}

func (m *memConversations) Item(ctx context.Context, id, itemID string) (*store.ConversationItem, error) {
	all, _, err := m.Items(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, it := range all {
		if it.ID == itemID {
			return &it, nil
		}
	}
	return nil, store.ErrItemNotFound
}

func (m *memConversations) DeleteItem(ctx context.Context, id, itemID string) (*store.Conversation, error) {
	c, err := m.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := m.Item(ctx, id, itemID); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.items[id] = slices.DeleteFunc(m.items[id], func(it store.ConversationItem) bool { return it.ID == itemID })
	return c, nil
}

// texts returns the ids of the items of conversation id.
func (m *memConversations) ids(id string) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, it := range m.items[id] {
		out = append(out, it.ID)
	}
	return out
}

// conversationServer serves the API over b, keeping responses in rs and
// conversations in cs.
func conversationServer(t *testing.T, b *fakeBackend, rs apiopenai.ResponseStore, cs apiopenai.ConversationStore) (*httptest.Server, sdk.Client) {
	t.Helper()
	m := http.NewServeMux()
	(&apiopenai.Handler{Backend: b, Responses: rs, Conversations: cs}).Mount(m)
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return srv, sdk.NewClient(option.WithBaseURL(srv.URL+"/v1"), option.WithAPIKey("k"), option.WithMaxRetries(0))
}

// wantError fails t unless err is an API error of status whose message
// contains msg.
func wantError(t *testing.T, what string, err error, status int, msg string) {
	t.Helper()
	var e *sdk.Error
	if !errors.As(err, &e) || e.StatusCode != status || !strings.Contains(e.Message, msg) {
		t.Errorf("%s: %v, want %d %q", what, err, status, msg)
	}
}

var convID = regexp.MustCompile(`^conv_[0-9a-f]{48}$`)

// The Conversations API with openai-go: a conversation created with
// items and metadata, read, updated; items added, paged both ways,
// read, deleted; the conversation deleted, then not found.
func TestConversationsWithSDK(t *testing.T) {
	cs := newMemConversations()
	_, c := conversationServer(t, &fakeBackend{}, &memResponses{kept: map[string]*store.Response{}}, cs)
	ctx := context.Background()
	conv, err := c.Conversations.New(ctx, conversations.ConversationNewParams{Metadata: map[string]string{"topic": "demo"},
		Items: []responses.ResponseInputItemUnionParam{{OfMessage: &responses.EasyInputMessageParam{Role: "user", Content: responses.EasyInputMessageContentUnionParam{OfString: sdk.String("Hello!")}}}}})
	if err != nil || !convID.MatchString(conv.ID) || conv.Object != "conversation" || conv.CreatedAt != 1741900000 || !strings.Contains(conv.RawJSON(), `"metadata":{"topic":"demo"}`) {
		t.Fatalf("create: %v %+v", err, conv)
	}
	if got, err := c.Conversations.Get(ctx, conv.ID); err != nil || got.RawJSON() != conv.RawJSON() {
		t.Fatalf("get: %v %s", err, got.RawJSON())
	}
	if up, err := c.Conversations.Update(ctx, conv.ID, conversations.ConversationUpdateParams{Metadata: map[string]string{"topic": "project-x"}}); err != nil || !strings.Contains(up.RawJSON(), `"metadata":{"topic":"project-x"}`) {
		t.Fatalf("update: %v %+v", err, up)
	}
	added, err := c.Conversations.Items.New(ctx, conv.ID, conversations.ItemNewParams{Items: []responses.ResponseInputItemUnionParam{
		responses.ResponseInputItemParamOfMessage("How are you?", "user"),
		{OfFunctionCallOutput: &responses.ResponseInputItemFunctionCallOutputParam{CallID: sdk.String("call_1"), Output: responses.ResponseInputItemFunctionCallOutputOutputUnionParam{OfString: sdk.String("21C")}}}}})
	if err != nil || len(added.Data) != 2 || added.FirstID != added.Data[0].ID || added.Data[1].Type != "function_call_output" || added.HasMore {
		t.Fatalf("add items: %v %s", err, added.RawJSON())
	}
	all := cs.ids(conv.ID)
	for _, order := range []conversations.ItemListParamsOrder{"asc", "desc"} {
		var paged []string
		pager := c.Conversations.Items.ListAutoPaging(ctx, conv.ID, conversations.ItemListParams{Limit: sdk.Int(2), Order: order})
		for pager.Next() {
			paged = append(paged, pager.Current().ID)
		}
		want := slices.Clone(all)
		if order == "desc" {
			slices.Reverse(want)
		}
		if pager.Err() != nil || !slices.Equal(paged, want) {
			t.Errorf("list %s: %v (%v), want %v", order, paged, pager.Err(), want)
		}
	}
	it, err := c.Conversations.Items.Get(ctx, conv.ID, all[1], conversations.ItemGetParams{})
	if msg := it.AsMessage(); err != nil || it.ID != all[1] || msg.Role != "user" || msg.Content[0].Text != "How are you?" {
		t.Fatalf("get item: %v %s", err, it.RawJSON())
	}
	if after, err := c.Conversations.Items.Delete(ctx, conv.ID, all[1]); err != nil || after.ID != conv.ID {
		t.Fatalf("delete item: %v %+v", err, after)
	}
	_, err = c.Conversations.Items.Get(ctx, conv.ID, all[1], conversations.ItemGetParams{})
	wantError(t, "the deleted item", err, 404, "Item with id '"+all[1]+"' not found.")
	if del, err := c.Conversations.Delete(ctx, conv.ID); err != nil || !del.Deleted || del.ID != conv.ID || del.Object != "conversation.deleted" {
		t.Fatalf("delete: %v %+v", err, del)
	}
	_, err = c.Conversations.Get(ctx, conv.ID)
	wantError(t, "the deleted conversation", err, 404, "Conversation with id '"+conv.ID+"' not found.")
}

// The refusals, in OpenAI's shapes; without conversations kept, every
// path says so.
func TestConversationsRefusals(t *testing.T) {
	cs := newMemConversations()
	cs.convs["conv_1"] = &store.Conversation{ID: "conv_1", Metadata: []byte("{}")}
	srv, _ := conversationServer(t, &fakeBackend{}, &memResponses{kept: map[string]*store.Response{}}, cs)
	off, _ := conversationServer(t, &fakeBackend{}, nil, cs)
	items21 := `{"items":[` + strings.Repeat(`{"role":"user","content":"x"},`, 20) + `{"role":"user","content":"x"}]}`
	for _, c := range []struct {
		url, method, path, body string
		status                  int
		want                    string
	}{
		{srv.URL, "POST", "/v1/conversations", items21, 400, `"param":"items"`},
		{srv.URL, "POST", "/v1/conversations", `{"metadata":{"k":"` + strings.Repeat("v", 513) + `"}}`, 400, `"param":"metadata.k"`},
		{srv.URL, "POST", "/v1/conversations/conv_1", `{}`, 400, `Missing required parameter: 'metadata'.`},
		{srv.URL, "POST", "/v1/conversations/conv_1/items", items21, 400, `"param":"items"`},
		{srv.URL, "GET", "/v1/conversations/conv_1/items?after=msg_9", "", 400, `"param":"after"`},
		{srv.URL, "GET", "/v1/conversations/conv_1/items?order=up", "", 400, `"param":"order"`},
		{srv.URL, "GET", "/v1/conversations/conv_2/items", "", 404, `Conversation with id 'conv_2' not found.`},
		{srv.URL, "DELETE", "/v1/conversations/conv_1/items/msg_9", "", 404, `Item with id 'msg_9' not found.`},
		{srv.URL, "GET", "/v1/conversations", "", 404, `unknown_url`},
		{srv.URL, "POST", "/v1/responses", `{"model":"m","input":"hi","conversation":"conv_1","previous_response_id":"resp_1"}`, 400, `"code":"mutually_exclusive_parameters"`},
		{srv.URL, "POST", "/v1/responses", `{"model":"m","input":"hi","conversation":{"id":"conv_2"}}`, 404, `Conversation with id 'conv_2' not found.`},
		{off.URL, "POST", "/v1/conversations", `{}`, 404, `"code":"conversation_not_stored"`},
		{off.URL, "GET", "/v1/conversations/conv_1/items", "", 404, `"code":"conversation_not_stored"`},
		{off.URL, "POST", "/v1/responses", `{"model":"m","input":"hi","conversation":"conv_1"}`, 400, `"param":"conversation"`},
	} {
		req, _ := http.NewRequest(c.method, c.url+c.path, strings.NewReader(c.body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status || !strings.Contains(string(b), c.want) {
			t.Errorf("%s %s: %d %s, want %d with %s", c.method, c.path, resp.StatusCode, b, c.status, c.want)
		}
	}
}
