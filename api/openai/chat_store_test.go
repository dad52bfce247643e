package openai_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"

	apiopenai "switchyard/api/openai"
	"switchyard/api/openai/openaitest"
	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/store"
)

// memChats is a ChatStore in memory (one tenant), in the order saved,
// whose saves fail while failing is set.
type memChats struct {
	mu      sync.Mutex
	kept    []*store.ChatCompletion
	failing bool
	off     bool
}

func (m *memChats) Storing() bool { return !m.off }

func (m *memChats) Save(_ context.Context, c *store.ChatCompletion) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failing {
		return errors.New("database is down")
	}
	kept := *c
	kept.Object = slices.Clone(c.Object) // the caller's buffer is pooled
	m.kept = append(m.kept, &kept)
	return nil
}

func (m *memChats) find(id string) (int, error) {
	for i, c := range m.kept {
		if c.ID == id {
			return i, nil
		}
	}
	return -1, store.ErrChatCompletionNotFound
}

func (m *memChats) Get(_ context.Context, id string) (*store.ChatCompletion, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i, err := m.find(id)
	if err != nil {
		return nil, err
	}
	return m.kept[i], nil
}

func (m *memChats) List(_ context.Context, q store.ChatCompletionQuery) (store.ChatCompletionPage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	all := slices.Clone(m.kept)
	if q.Desc {
		slices.Reverse(all)
	}
	if q.After != "" {
		i := slices.IndexFunc(all, func(c *store.ChatCompletion) bool { return c.ID == q.After })
		if i < 0 {
			return store.ChatCompletionPage{}, store.ErrChatCompletionNotFound
		}
		all = all[i+1:]
	}
	var p store.ChatCompletionPage
	for _, c := range all {
		if q.Model != "" && c.Model != q.Model || q.Metadata["team"] != "" && !strings.Contains(string(c.Metadata), `"team":"`+q.Metadata["team"]+`"`) {
			continue
		}
		if len(p.Completions) == q.Limit {
			p.HasMore = true
			break
		}
		p.Completions = append(p.Completions, c)
	}
	return p, nil
}

func (m *memChats) Update(ctx context.Context, id string, md []byte) (*store.ChatCompletion, error) {
	c, err := m.Get(ctx, id)
	if err == nil {
		m.mu.Lock()
		c.Metadata = md
		m.mu.Unlock()
	}
	return c, err
}

func (m *memChats) Delete(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	i, err := m.find(id)
	if err == nil {
		m.kept = slices.Delete(m.kept, i, i+1)
	}
	return err
}

// chatServer serves the API with b and cs (nil: no store) and returns an
// SDK client of it.
func chatServer(t *testing.T, b *fakeBackend, cs apiopenai.ChatStore) (*httptest.Server, sdk.Client) {
	t.Helper()
	m := http.NewServeMux()
	h := &apiopenai.Handler{Backend: b}
	if cs != nil {
		h.Chats = cs
	}
	h.Mount(m)
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return srv, sdk.NewClient(option.WithBaseURL(srv.URL+"/v1"), option.WithAPIKey("k"), option.WithMaxRetries(0))
}

// upstreamSaw records what the backend was asked: store and metadata.
type upstreamSaw struct {
	mu       sync.Mutex
	store    []string
	metadata []map[string]string
}

func (u *upstreamSaw) backend(answers ...string) *fakeBackend {
	next := 0
	answer := func(req *llm.Request) string {
		u.mu.Lock()
		defer u.mu.Unlock()
		u.store, u.metadata = append(u.store, string(req.Extra["store"])), append(u.metadata, req.Metadata)
		next++
		return answers[(next-1)%len(answers)]
	}
	return &fakeBackend{
		ChatFunc: func(_ context.Context, req *llm.Request) (*llm.Response, error) {
			r := openaitest.Text(answer(req))
			r.ID = "chatcmpl-" + strings.ToLower(strings.Fields(r.Choices[0].Message.Text())[0])
			return r, nil
		},
		StreamFunc: func(ctx context.Context, req *llm.Request) (llm.Stream, error) {
			text := answer(req)
			a, b := openaitest.TextChunk(text[:2]), openaitest.TextChunk(text[2:])
			a.ID, b.ID = "chatcmpl-s", "chatcmpl-s"
			return llmtest.NewStream(ctx, llmtest.Chunks(a, b)...), nil
		},
	}
}

func newChat(store bool, md map[string]string, text string) sdk.ChatCompletionNewParams {
	p := sdk.ChatCompletionNewParams{Model: "m", Messages: []sdk.ChatCompletionMessageParamUnion{sdk.SystemMessage("Be brief."), sdk.UserMessage(text)}}
	if store {
		p.Store = sdk.Bool(true)
	}
	if md != nil {
		p.Metadata = shared.Metadata(md)
	}
	return p
}

func TestChatStoreSavesAsAnswered(t *testing.T) {
	var up upstreamSaw
	cs := &memChats{}
	_, client := chatServer(t, up.backend("Lima is the capital.", "Quito."), cs)
	ctx := context.Background()
	got, err := client.Chat.Completions.New(ctx, newChat(true, map[string]string{"team": "geo"}, "Capital of Peru?"))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if _, err := client.Chat.Completions.New(ctx, newChat(false, map[string]string{"team": "x"}, "Capital of Ecuador?")); err != nil {
		t.Fatalf("New, store false: %v", err)
	}
	// The upstream is asked to store nothing; metadata without store goes as before.
	if up.store[0] != "" || up.metadata[0] != nil || up.metadata[1]["team"] != "x" {
		t.Errorf("upstream saw store %q and metadata %v; want no store, and the metadata of the unstored request only", up.store, up.metadata)
	}
	if len(cs.kept) != 1 {
		t.Fatalf("kept %d completions; want only the one with store true", len(cs.kept))
	}
	stored, err := client.Chat.Completions.Get(ctx, got.ID)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if stored.ID != got.ID || stored.Created != got.Created || stored.Model != got.Model || stored.Choices[0].Message.Content != got.Choices[0].Message.Content ||
		stored.Usage.TotalTokens != got.Usage.TotalTokens || stored.Metadata["team"] != "geo" {
		t.Errorf("Get = %+v; want the answer %+v with metadata team geo", stored, got)
	}
	msgs, err := client.Chat.Completions.Messages.List(ctx, got.ID, sdk.ChatCompletionMessageListParams{Limit: sdk.Int(1), Order: sdk.ChatCompletionMessageListParamsOrderDesc})
	if err != nil || len(msgs.Data) != 1 || msgs.Data[0].Content != "Capital of Peru?" || msgs.Data[0].ID != got.ID+"-1" || !msgs.HasMore {
		t.Fatalf("Messages.List desc limit 1 = %+v, %v; want the user message, more to come", msgs, err)
	}
	msgs, err = client.Chat.Completions.Messages.List(ctx, got.ID, sdk.ChatCompletionMessageListParams{After: sdk.String(got.ID + "-1"), Order: sdk.ChatCompletionMessageListParamsOrderDesc})
	if err != nil || len(msgs.Data) != 1 || msgs.Data[0].Content != "Be brief." || msgs.HasMore {
		t.Errorf("Messages.List after = %+v, %v; want the system message, last", msgs, err)
	}
}

func TestChatStoreStreamed(t *testing.T) {
	var up upstreamSaw
	cs := &memChats{}
	_, client := chatServer(t, up.backend("Lima."), cs)
	s := client.Chat.Completions.NewStreaming(context.Background(), newChat(true, nil, "Capital of Peru?"))
	var acc sdk.ChatCompletionAccumulator
	for s.Next() {
		acc.AddChunk(s.Current())
	}
	if err := s.Err(); err != nil {
		t.Fatalf("stream: %v", err)
	}
	stored, err := client.Chat.Completions.Get(context.Background(), "chatcmpl-s")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if stored.Choices[0].Message.Content != "Lima." || acc.Choices[0].Message.Content != "Lima." || stored.Object != "chat.completion" {
		t.Errorf("stored %+v; want the streamed answer assembled (the client got %q)", stored, acc.Choices[0].Message.Content)
	}
	if up.store[0] != "" {
		t.Errorf("the upstream was asked store %s", up.store[0])
	}
}

func TestChatStoreStreamCutKeepsNothing(t *testing.T) {
	cs := &memChats{}
	b := &fakeBackend{StreamFunc: func(ctx context.Context, req *llm.Request) (llm.Stream, error) {
		return llmtest.NewStream(ctx, llmtest.Event{Chunk: openaitest.TextChunk("Li")}, llmtest.Event{Err: llm.Errorf(llm.KindUpstream, "cut")}), nil
	}}
	_, client := chatServer(t, b, cs)
	s := client.Chat.Completions.NewStreaming(context.Background(), newChat(true, nil, "Capital of Peru?"))
	for s.Next() {
	}
	if s.Err() == nil {
		t.Error("a cut stream ended without an error")
	}
	if len(cs.kept) != 0 {
		t.Errorf("a cut stream was kept: %+v", cs.kept[0])
	}
}

// A streamed answer past the limit of an answer held whole is relayed
// whole but neither assembled nor kept: the store would hold it whole.
func TestChatStoreStreamOverTheAnswerLimitKeepsNothing(t *testing.T) {
	cs := &memChats{}
	b := &fakeBackend{StreamFunc: func(context.Context, *llm.Request) (llm.Stream, error) { return overLimit(20, 100), nil }}
	m := http.NewServeMux()
	(&apiopenai.Handler{Backend: b, Chats: cs, MaxAnswerBytes: 1000}).Mount(m)
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	client := sdk.NewClient(option.WithBaseURL(srv.URL+"/v1"), option.WithAPIKey("k"), option.WithMaxRetries(0))
	s := client.Chat.Completions.NewStreaming(context.Background(), newChat(true, nil, "Write 2,000 x."))
	var acc sdk.ChatCompletionAccumulator
	for s.Next() {
		acc.AddChunk(s.Current())
	}
	if err := s.Err(); err != nil || acc.Choices[0].Message.Content != strings.Repeat("x", 2000) {
		t.Fatalf("stream: %v, %d bytes; want the whole answer", err, len(acc.Choices[0].Message.Content))
	}
	if len(cs.kept) != 0 {
		t.Errorf("an answer past the limit was kept (%d bytes)", len(cs.kept[0].Object))
	}
}

func TestChatStoreFailedSaveStillAnswers(t *testing.T) {
	var up upstreamSaw
	_, client := chatServer(t, up.backend("Lima."), &memChats{failing: true})
	got, err := client.Chat.Completions.New(context.Background(), newChat(true, nil, "Capital of Peru?"))
	if err != nil || got.Choices[0].Message.Content != "Lima." {
		t.Errorf("New with the store down = %+v, %v; want the answer", got, err)
	}
}

func TestChatStoreListUpdateDelete(t *testing.T) {
	var up upstreamSaw
	cs := &memChats{}
	_, client := chatServer(t, up.backend("A.", "B.", "C."), cs)
	ctx := context.Background()
	for _, team := range []string{"x", "y", "x"} {
		if _, err := client.Chat.Completions.New(ctx, newChat(true, map[string]string{"team": team}, "?")); err != nil {
			t.Fatal(err)
		}
	}
	page, err := client.Chat.Completions.List(ctx, sdk.ChatCompletionListParams{Limit: sdk.Int(1), Metadata: shared.Metadata{"team": "x"}})
	if err != nil || len(page.Data) != 1 || page.Data[0].ID != "chatcmpl-a." || !page.HasMore {
		t.Fatalf("List team x, limit 1 = %+v, %v; want chatcmpl-a. and more", page, err)
	}
	page, err = client.Chat.Completions.List(ctx, sdk.ChatCompletionListParams{After: sdk.String("chatcmpl-a."), Metadata: shared.Metadata{"team": "x"}})
	if err != nil || len(page.Data) != 1 || page.Data[0].ID != "chatcmpl-c." || page.HasMore {
		t.Fatalf("List team x after the first = %+v, %v; want chatcmpl-c. only", page, err)
	}
	up2, err := client.Chat.Completions.Update(ctx, "chatcmpl-b.", sdk.ChatCompletionUpdateParams{Metadata: shared.Metadata{"team": "z"}})
	if err != nil || up2.Metadata["team"] != "z" || up2.ID != "chatcmpl-b." {
		t.Errorf("Update = %+v, %v; want team z", up2, err)
	}
	del, err := client.Chat.Completions.Delete(ctx, "chatcmpl-b.")
	if err != nil || !del.Deleted || del.ID != "chatcmpl-b." || del.Object != "chat.completion.deleted" {
		t.Errorf("Delete = %+v, %v", del, err)
	}
	var apiErr *sdk.Error
	if _, err := client.Chat.Completions.Get(ctx, "chatcmpl-b."); !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Errorf("Get after delete: %v; want 404", err)
	}
	if _, err := client.Chat.Completions.Delete(ctx, "chatcmpl-b."); !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Errorf("second Delete: %v; want 404", err)
	}
}

func TestChatStoreBadRequests(t *testing.T) {
	var up upstreamSaw
	srv, _ := chatServer(t, up.backend("A."), &memChats{})
	many := make([]string, 17)
	for i := range many {
		many[i] = `"k` + string(rune('a'+i)) + `":"v"`
	}
	for _, tt := range []struct {
		name, method, path, body, param string
	}{
		{"store not a boolean", "POST", "/v1/chat/completions", `{"model":"m","messages":[{"role":"user","content":"hi"}],"store":"yes"}`, "store"},
		{"17 metadata pairs", "POST", "/v1/chat/completions", `{"model":"m","messages":[{"role":"user","content":"hi"}],"store":true,"metadata":{` + strings.Join(many, ",") + `}}`, "metadata"},
		{"a long value", "POST", "/v1/chat/completions", `{"model":"m","messages":[{"role":"user","content":"hi"}],"store":true,"metadata":{"k":"` + strings.Repeat("v", 513) + `"}}`, "metadata.k"},
		{"limit", "GET", "/v1/chat/completions?limit=0", "", "limit"},
		{"order", "GET", "/v1/chat/completions?order=up", "", "order"},
		{"a long key filter", "GET", "/v1/chat/completions?metadata[" + strings.Repeat("k", 65) + "]=v", "", "metadata"},
		{"update without metadata", "POST", "/v1/chat/completions/chatcmpl-a.", `{}`, "metadata"},
	} {
		req, _ := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(string(body), `"param":"`+tt.param+`"`) {
			t.Errorf("%s: %d %s; want 400 naming %s", tt.name, resp.StatusCode, body, tt.param)
		}
	}
	if len(up.store) != 0 {
		t.Errorf("a refused request reached the upstream %d times", len(up.store))
	}
}

func TestChatStoreOff(t *testing.T) {
	for name, cs := range map[string]apiopenai.ChatStore{"no store": nil, "storing off": &memChats{off: true}} {
		var up upstreamSaw
		srv, client := chatServer(t, up.backend("A."), cs)
		if _, err := client.Chat.Completions.New(context.Background(), newChat(true, map[string]string{"a": "b"}, "?")); err != nil {
			t.Errorf("%s: New with store true: %v; want it answered", name, err)
		}
		if up.store[0] != "" || up.metadata[0] != nil {
			t.Errorf("%s: the upstream saw store %q metadata %v", name, up.store[0], up.metadata[0])
		}
		for _, path := range []string{"/v1/chat/completions", "/v1/chat/completions/chatcmpl-a.", "/v1/chat/completions/chatcmpl-a./messages"} {
			resp, err := http.Get(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 404 || !strings.Contains(string(body), "chat_completion_not_stored") {
				t.Errorf("%s: GET %s = %d %s; want 404 chat_completion_not_stored", name, path, resp.StatusCode, body)
			}
		}
	}
}
