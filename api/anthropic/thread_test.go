package anthropic

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"switchyard/llm"
	"switchyard/route"
	"switchyard/store"
)

// memThreads is a ThreadStore in memory; off makes it hold nothing.
type memThreads struct {
	mu    sync.Mutex
	turns map[string]*store.Response
	off   bool
}

func (m *memThreads) Holding() bool { return !m.off }

func (m *memThreads) Save(_ context.Context, t *store.Response) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.turns == nil {
		m.turns = map[string]*store.Response{}
	}
	if t.Parent != "" && m.turns[t.Parent] == nil {
		return store.ErrParentNotFound
	}
	cp := *t
	m.turns[t.ID] = &cp
	return nil
}

func (m *memThreads) Chain(_ context.Context, id string) ([]*store.Response, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var chain []*store.Response
	for id != "" {
		t := m.turns[id]
		if t == nil {
			return nil, store.ErrResponseNotFound
		}
		chain = append([]*store.Response{t}, chain...)
		id = t.Parent
	}
	return chain, nil
}

// seenBackend is a fakeBackend that keeps the requests it was given.
type seenBackend struct {
	fakeBackend
	seen []*llm.Request
}

func (b *seenBackend) Chat(ctx context.Context, req *llm.Request, ov *route.Overrides, s *llm.Served) (*llm.Response, error) {
	b.seen = append(b.seen, req)
	return b.fakeBackend.Chat(ctx, req, ov, s)
}

func (b *seenBackend) Stream(ctx context.Context, req *llm.Request, ov *route.Overrides, s *llm.Served) (llm.Stream, error) {
	b.seen = append(b.seen, req)
	return b.fakeBackend.Stream(ctx, req, ov, s)
}

func serveThreads(t *testing.T, b Backend, th ThreadStore, requestID, body string) *httptest.ResponseRecorder {
	t.Helper()
	mux := http.NewServeMux()
	(&Handler{Backend: b, Threads: th}).Mount(mux)
	req := httptest.NewRequest(http.MethodPost, "/v1/messages", strings.NewReader(body))
	req = req.WithContext(llm.WithRequestID(req.Context(), requestID))
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, req)
	return w
}

func textReply(text string) *llm.Response {
	return &llm.Response{ID: "x", Model: "m", Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, text), FinishReason: llm.FinishStop}}}
}

func toolReply() *llm.Response {
	m := llm.Message{Role: llm.RoleAssistant}
	m.SetToolCalls([]llm.ToolCall{{ID: "toolu_1", Name: "get_weather", Arguments: `{"location":"Lima"}`}})
	return &llm.Response{ID: "x", Model: "m", Choices: []llm.Choice{{Message: m, FinishReason: llm.FinishToolCalls}}}
}

const threadTools = `"tools":[{"name":"get_weather","input_schema":{"type":"object"}}]`

// A thread created, then continued twice with only the new messages: the
// backend gets the whole conversation each time (the system and tools of
// the create, the reply's tool_use before the continue's tool_result),
// and each turn is held under its reply's id, continuing the one before.
func TestThreadCreateThenContinue(t *testing.T) {
	th := &memThreads{}
	b := &seenBackend{fakeBackend: fakeBackend{resp: toolReply()}}
	w := serveThreads(t, b, th, "req_1", `{"model":"auto","max_tokens":20,"system":"Be brief.",`+threadTools+`,"thread":{"type":"create"},"messages":[{"role":"user","content":"Weather in Lima?"}]}`)
	if w.Code != 200 || th.turns["msg_1"] == nil {
		t.Fatalf("%d %s; held %v", w.Code, w.Body, th.turns)
	}
	b.resp = textReply("19 degrees")
	w = serveThreads(t, b, th, "req_2", `{"model":"auto","max_tokens":20,"thread":{"type":"continue","previous_message_id":"msg_1"},"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"19"}]}]}`)
	if w.Code != 200 {
		t.Fatalf("continue: %d %s", w.Code, w.Body)
	}
	got := b.seen[1]
	if len(got.Messages) != 4 || got.Messages[0].Role != llm.RoleSystem || len(got.Tools) != 1 || got.Messages[2].ToolCalls()[0].ID != "toolu_1" || got.Messages[3].Role != llm.RoleTool {
		t.Fatalf("continued request: %d messages, %d tools: %+v", len(got.Messages), len(got.Tools), got.Messages)
	}
	if turn := th.turns["msg_2"]; turn == nil || turn.Parent != "msg_1" || strings.Contains(string(turn.Input), "system") || !strings.Contains(string(turn.Output), `"text":"19 degrees"`) {
		t.Fatalf("second turn %+v", turn)
	}
	w = serveThreads(t, b, th, "req_3", `{"model":"auto","max_tokens":20,"thread":{"type":"continue","previous_message_id":"msg_2"},"messages":[{"role":"user","content":"Thanks"}]}`)
	if w.Code != 200 || len(b.seen[2].Messages) != 6 || b.seen[2].Messages[4].Text() != "19 degrees" {
		t.Fatalf("third turn: %d %s, %d messages", w.Code, w.Body, len(b.seen[2].Messages))
	}
}

// The errors of threads, in the API's shape: a continue of a turn not
// held is a 404 thread_not_found; a continue whose system or tools differ
// from the thread's is a 400 thread_fingerprint_mismatch (the same ones
// are taken); a router holding no thread refuses one with
// thread_unsupported_request.
func TestThreadErrors(t *testing.T) {
	th := &memThreads{}
	b := &seenBackend{fakeBackend: fakeBackend{resp: textReply("ok")}}
	if w := serveThreads(t, b, th, "req_1", `{"model":"auto","max_tokens":20,"system":"Be brief.","thread":{"type":"create"},"messages":[{"role":"user","content":"Hi"}]}`); w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	for _, tc := range []struct {
		name, body, code string
		status           int
		th               ThreadStore
	}{
		{"unknown id", `{"model":"auto","max_tokens":20,"thread":{"type":"continue","previous_message_id":"msg_nope"},"messages":[{"role":"user","content":"x"}]}`, "thread_not_found", 404, th},
		{"other system", `{"model":"auto","max_tokens":20,"system":"Be verbose.","thread":{"type":"continue","previous_message_id":"msg_1"},"messages":[{"role":"user","content":"x"}]}`, "thread_fingerprint_mismatch", 400, th},
		{"same system", `{"model":"auto","max_tokens":20,"system":"Be brief.","thread":{"type":"continue","previous_message_id":"msg_1"},"messages":[{"role":"user","content":"x"}]}`, "", 200, th},
		{"no store", `{"model":"auto","max_tokens":20,"thread":{"type":"create"},"messages":[{"role":"user","content":"x"}]}`, "thread_unsupported_request", 400, nil},
		{"store off", `{"model":"auto","max_tokens":20,"thread":{"type":"create"},"messages":[{"role":"user","content":"x"}]}`, "thread_unsupported_request", 400, &memThreads{off: true}},
	} {
		w := serveThreads(t, b, tc.th, "req_9", tc.body)
		var e struct {
			Type  string
			Error struct {
				Type    string
				Details struct {
					ErrorCode string `json:"error_code"`
				}
			}
		}
		json.Unmarshal(w.Body.Bytes(), &e)
		if w.Code != tc.status || e.Error.Details.ErrorCode != tc.code {
			t.Errorf("%s: %d %s", tc.name, w.Code, w.Body)
		}
	}
}

// A streamed turn is held as the client saw it once the stream ended
// well (the tool_use ids the stream gave included); a stream cut before
// its end holds nothing.
func TestThreadStreamed(t *testing.T) {
	th := &memThreads{}
	b := &seenBackend{fakeBackend: fakeBackend{closed: make(chan struct{}), chunks: []*llm.Chunk{
		{ID: "x", Model: "m", Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "Let me check."}}}},
		{ID: "x", Model: "m", Choices: []llm.ChunkChoice{{Delta: llm.Delta{ToolCalls: []llm.ToolCallDelta{{Index: 0, Name: "get_weather", Arguments: `{"location":"Lima"}`}}}}}},
		{ID: "x", Model: "m", Choices: []llm.ChunkChoice{{FinishReason: llm.FinishToolCalls}}},
	}}}
	w := serveThreads(t, b, th, "req_5", `{"model":"auto","max_tokens":20,"stream":true,`+threadTools+`,"thread":{"type":"create"},"messages":[{"role":"user","content":"Weather?"}]}`)
	turn := th.turns["msg_5"]
	if w.Code != 200 || !strings.Contains(w.Body.String(), "message_stop") || turn == nil {
		t.Fatalf("%d %s; held %v", w.Code, w.Body, th.turns)
	}
	if out := string(turn.Output); !strings.Contains(out, `"text":"Let me check."`) || !strings.Contains(out, `"id":"toolu_5_0"`) || !strings.Contains(w.Body.String(), `"id":"toolu_5_0"`) {
		t.Errorf("held reply %s", out)
	}
	cut := &seenBackend{fakeBackend: fakeBackend{closed: make(chan struct{}), chunks: b.chunks[:1], err: errors.New("upstream gone")}}
	serveThreads(t, cut, th, "req_6", `{"model":"auto","max_tokens":20,"stream":true,"thread":{"type":"create"},"messages":[{"role":"user","content":"Hi"}]}`)
	if th.turns["msg_6"] != nil {
		t.Error("a cut stream's turn is held")
	}
}

// A streamed reply past the limit of an answer held whole is relayed
// whole, but its turn is not kept (its copy dropped), as a cut stream's.
func TestThreadStreamedOverTheAnswerLimitHoldsNothing(t *testing.T) {
	th := &memThreads{}
	text := strings.Repeat("x", 100)
	chunks := make([]*llm.Chunk, 20)
	for i := range chunks {
		chunks[i] = &llm.Chunk{ID: "x", Model: "m", Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: text}}}}
	}
	chunks = append(chunks, &llm.Chunk{ID: "x", Model: "m", Choices: []llm.ChunkChoice{{FinishReason: llm.FinishStop}}})
	b := &seenBackend{fakeBackend: fakeBackend{closed: make(chan struct{}), chunks: chunks}}
	mux := http.NewServeMux()
	(&Handler{Backend: b, Threads: th, MaxAnswerBytes: 1000}).Mount(mux)
	req := httptest.NewRequest(http.MethodPost, "/v1/messages", strings.NewReader(`{"model":"auto","max_tokens":2000,"stream":true,"thread":{"type":"create"},"messages":[{"role":"user","content":"Write 2,000 x."}]}`))
	req = req.WithContext(llm.WithRequestID(req.Context(), "req_7"))
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, req)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "message_stop") || strings.Count(w.Body.String(), text) != 20 {
		t.Fatalf("%d, %d pieces of the answer relayed; want all 20 and message_stop", w.Code, strings.Count(w.Body.String(), text))
	}
	if th.turns["msg_7"] != nil {
		t.Error("a reply past the limit is held")
	}
}

// Each turn of a thread may set a cache breakpoint: the held turns'
// breakpoints are left out of the conversation sent on (as the SDKs
// replay a history), so that a long thread never goes past the four a
// request takes; the new turn's stays.
func TestThreadHeldBreakpointsDropped(t *testing.T) {
	th := &memThreads{}
	b := &seenBackend{fakeBackend: fakeBackend{resp: textReply("ok")}}
	turn := func(text string) string {
		return `[{"role":"user","content":[{"type":"text","text":"` + text + `","cache_control":{"type":"ephemeral"}}]}]`
	}
	w := serveThreads(t, b, th, "req_1", `{"model":"auto","max_tokens":20,"thread":{"type":"create"},"messages":`+turn("t1")+`}`)
	for i := 2; i <= 6; i++ {
		if w.Code != 200 {
			t.Fatalf("turn %d: %d %s", i-1, w.Code, w.Body)
		}
		w = serveThreads(t, b, th, "req_"+string(rune('0'+i)), `{"model":"auto","max_tokens":20,"thread":{"type":"continue","previous_message_id":"msg_`+string(rune('0'+i-1))+`"},"messages":`+turn("t")+`}`)
	}
	if w.Code != 200 {
		t.Fatalf("last turn: %d %s", w.Code, w.Body)
	}
	last := b.seen[len(b.seen)-1]
	marked := 0
	for _, m := range last.Messages {
		for i := range m.Content {
			p := &m.Content[i]
			if p.Cache() != "" {
				marked++
			}
		}
	}
	if len(last.Messages) != 11 || marked != 1 {
		t.Errorf("%d messages, %d breakpoints", len(last.Messages), marked)
	}
}
