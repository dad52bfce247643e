package anthropic

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/provider"
	wire "switchyard/wire/anthropic"
)

// cacheFixture is a client (with AutoCache as given) of the simulator,
// recording the bodies the simulator received.
type cacheFixture struct {
	c      *Client
	mu     sync.Mutex
	bodies []wire.MessagesRequest
}

func newCacheFixture(t *testing.T, autoCache bool) *cacheFixture {
	t.Helper()
	f := &cacheFixture{}
	record := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			var req wire.MessagesRequest
			if err := json.Unmarshal(body, &req); err != nil {
				t.Errorf("upstream body: %v", err)
			}
			f.mu.Lock()
			f.bodies = append(f.bodies, req)
			f.mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(body))
			h.ServeHTTP(w, r)
		})
	}
	sim := newFixture(t, testKey, record)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	c, err := New(provider.Config{Name: "claude-test", Kind: "anthropic", BaseURL: sim.srv.URL, APIKey: testKey,
		HTTPClient: &http.Client{Transport: tr}, AutoCache: autoCache})
	if err != nil {
		t.Fatal(err)
	}
	f.c = c
	return f
}

// last returns the body of the last upstream request.
func (f *cacheFixture) last() *wire.MessagesRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return &f.bodies[len(f.bodies)-1]
}

// conversation is an OpenAI client's request: a long system prompt, a
// turn and a new question.
func conversation() *llm.Request {
	return &llm.Request{Model: testModel, Messages: []llm.Message{
		llm.TextMessage(llm.RoleSystem, strings.Repeat("You answer questions about trains, tersely. ", 120)),
		llm.TextMessage(llm.RoleUser, "What is a bogie?"),
		llm.TextMessage(llm.RoleAssistant, "The wheel frame under a carriage."),
		llm.TextMessage(llm.RoleUser, "And a pantograph?"),
	}}
}

func usageOf(t *testing.T, c *Client, req *llm.Request) llm.Usage {
	t.Helper()
	resp, err := llmtest.Complete(context.Background(), c, req)
	if err != nil {
		t.Fatal(err)
	}
	return *resp.Usage
}

// With AutoCache, a request whose client could not mark breakpoints gets
// them on the system prompt and the conversation before the last user
// turn; the second request reads what the first wrote, and the caller's
// request is left unmarked.
func TestAutoCachePlacesBreakpoints(t *testing.T) {
	f := newCacheFixture(t, true)
	req := conversation()
	first := usageOf(t, f.c, req)
	sent := f.last()
	if sent.System[0].CacheControl == nil || sent.Messages[1].Content[0].CacheControl == nil || sent.Messages[2].Content[0].CacheControl != nil {
		t.Errorf("upstream breakpoints: system %+v, turns %+v", sent.System, sent.Messages)
	}
	if req.CacheBreakpoints() != 0 {
		t.Errorf("the caller's request was marked: %d breakpoints", req.CacheBreakpoints())
	}
	if first.CacheWriteTokens == 0 || first.CachedPromptTokens != 0 || first.CacheWrite1hTokens != 0 {
		t.Errorf("first usage %+v, want 5-minute writes", first)
	}
	second := usageOf(t, f.c, conversation())
	if second.CachedPromptTokens != first.CacheWriteTokens || second.CacheWriteTokens != 0 || second.PromptTokens != first.PromptTokens {
		t.Errorf("second usage %+v, want the %d written read", second, first.CacheWriteTokens)
	}
}

// A client that could mark breakpoints (the Anthropic API) keeps its
// choice, even of none; without AutoCache nothing is added, and the
// breakpoints a request carries are sent either way, one-hour writes
// reported apart.
func TestBreakpointsSentAsMarked(t *testing.T) {
	auto := newCacheFixture(t, true)
	req := conversation()
	req.ClientCaching = true
	usageOf(t, auto.c, req)
	if n := countBreakpoints(auto.last()); n != 0 {
		t.Errorf("ClientCaching request got %d breakpoints", n)
	}
	off := newCacheFixture(t, false)
	usageOf(t, off.c, conversation())
	if n := countBreakpoints(off.last()); n != 0 {
		t.Errorf("prompt_cache off added %d breakpoints", n)
	}
	req = conversation()
	req.Messages[0].Content[0].SetCache(llm.Cache1h)
	u := usageOf(t, off.c, req)
	if cc := off.last().System[0].CacheControl; cc == nil || cc.TTL != "1h" || countBreakpoints(off.last()) != 1 {
		t.Errorf("marked breakpoint sent as %+v", off.last().System)
	}
	if u.CacheWriteTokens == 0 || u.CacheWrite1hTokens != u.CacheWriteTokens {
		t.Errorf("usage %+v, want one-hour writes", u)
	}
}

func countBreakpoints(req *wire.MessagesRequest) int {
	n := 0
	for _, t := range req.Tools {
		if t.CacheControl != nil {
			n++
		}
	}
	for _, b := range req.System {
		if b.CacheControl != nil {
			n++
		}
	}
	for _, m := range req.Messages {
		for _, b := range m.Content {
			if b.CacheControl != nil {
				n++
			}
		}
	}
	return n
}
