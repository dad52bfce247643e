package openai_test

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	apiopenai "switchyard/api/openai"
	"switchyard/api/openai/openaitest"
	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/store"
)

// memResponses is a ResponseStore in memory whose writes fail while
// failing is set.
type memResponses struct {
	mu      sync.Mutex
	kept    map[string]*store.Response
	failing bool
	saves   int
	// convGone makes a response made in a conversation not saved: the
	// conversation is no longer kept.
	convGone bool
}

func (m *memResponses) Storing() bool { return true }

// locked runs fn holding m's lock.
func (m *memResponses) locked(fn func() int) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return fn()
}

func (m *memResponses) Save(_ context.Context, r *store.Response) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.saves++
	if m.failing {
		return errors.New("database is down")
	}
	if r.Parent != "" && m.kept[r.Parent] == nil || r.Conversation != "" && m.convGone {
		return store.ErrParentNotFound
	}
	m.kept[r.ID] = r
	return nil
}

func (m *memResponses) Chain(_ context.Context, id string) ([]*store.Response, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var chain []*store.Response
	for at := id; at != ""; at = chain[0].Parent {
		r := m.kept[at]
		if r == nil {
			return nil, store.ErrResponseNotFound
		}
		chain = append([]*store.Response{r}, chain...)
	}
	return chain, nil
}

func (m *memResponses) Load(_ context.Context, id string) (*store.Response, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r := m.kept[id]; r != nil {
		return r, nil
	}
	return nil, store.ErrResponseNotFound
}

func (m *memResponses) Delete(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.kept[id] == nil {
		return store.ErrResponseNotFound
	}
	delete(m.kept, id)
	return nil
}

// storedServer serves the API over b, keeping responses in rs.
func storedServer(t *testing.T, b *fakeBackend, rs apiopenai.ResponseStore) (*httptest.Server, sdk.Client) {
	t.Helper()
	m := http.NewServeMux()
	(&apiopenai.Handler{Backend: b, Responses: rs}).Mount(m)
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return srv, sdk.NewClient(option.WithBaseURL(srv.URL+"/v1"), option.WithAPIKey("k"), option.WithMaxRetries(0))
}

// A failed write is said: the response says "store": false, complete or
// streamed, and nothing can be continued.
func TestStoreFailureSaysStoreFalse(t *testing.T) {
	rs := &memResponses{kept: map[string]*store.Response{}, failing: true}
	b := &fakeBackend{ChatFunc: func(context.Context, *llm.Request) (*llm.Response, error) { return openaitest.Text("Lima."), nil },
		StreamFunc: func(ctx context.Context, _ *llm.Request) (llm.Stream, error) {
			return llmtest.NewStream(ctx, llmtest.Event{Chunk: openaitest.TextChunk("Lima.")}), nil
		}}
	srv, c := storedServer(t, b, rs)
	resp, err := c.Responses.New(context.Background(), responses.ResponseNewParams{Model: "m", Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("hi")}})
	if saves := rs.locked(func() int { return rs.saves }); err != nil || !strings.Contains(resp.RawJSON(), `"store":false`) || saves != 1 {
		t.Fatalf("complete: %v, %d saves, %s", err, saves, resp.RawJSON())
	}
	events := streamEvents(t, srv.URL)
	if !strings.Contains(events["response.created"], `"store":true`) || !strings.Contains(events["response.completed"], `"store":false`) {
		t.Errorf("stream: created %s\ncompleted %s", events["response.created"], events["response.completed"])
	}
	rs.locked(func() int { rs.failing = false; return 0 })
	events = streamEvents(t, srv.URL)
	if !strings.Contains(events["response.completed"], `"store":true`) || len(rs.kept) != 1 {
		t.Errorf("stream stored: %d kept, completed %s", len(rs.kept), events["response.completed"])
	}
	for _, r := range rs.kept {
		if !strings.Contains(events["response.completed"], string(r.Object)) || string(r.Output) == "[]" {
			t.Errorf("stored object\n %s\nnot the completed event's\n %s", r.Object, events["response.completed"])
		}
	}
}

// streamEvents streams a response and returns each event's data by type.
func streamEvents(t *testing.T, url string) map[string]string {
	t.Helper()
	return streamEventsOf(t, url, `{"model":"m","input":"hi","stream":true}`)
}

// streamEventsOf streams the response of body and returns each event's
// data by type.
func streamEventsOf(t *testing.T, url, body string) map[string]string {
	t.Helper()
	resp, err := http.Post(url+"/v1/responses", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]string{}
	typ := ""
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "event: "); ok {
			typ = v
		} else if v, ok := strings.CutPrefix(line, "data: "); ok {
			out[typ] = v
		}
	}
	return out
}

// Retrieval refuses stream=true and cancel refuses a response not created
// in the background; input_tokens (without a counter) and compact stay
// 404 with storing on.
func TestStoredEndpointsRefusals(t *testing.T) {
	rs := &memResponses{kept: map[string]*store.Response{"resp_1": {ID: "resp_1", Object: []byte(`{"id":"resp_1"}`), Input: []byte(`[]`)}}}
	srv, _ := storedServer(t, &fakeBackend{}, rs)
	for _, c := range []struct {
		method, path string
		status       int
		want         string
	}{
		{"GET", "/v1/responses/resp_1?stream=true", 400, `"param":"stream"`},
		{"GET", "/v1/responses/resp_1", 200, `{"id":"resp_1"}`},
		{"GET", "/v1/responses/resp_1/input_items?limit=500", 400, `"param":"limit"`},
		{"GET", "/v1/responses/resp_2", 404, `Response with id 'resp_2' not found.`},
		{"POST", "/v1/responses/resp_1/cancel", 400, "Cannot cancel a synchronous response"},
		{"POST", "/v1/responses/resp_2/cancel", 404, `Response with id 'resp_2' not found.`},
		{"POST", "/v1/responses/input_tokens", 404, "response_not_stored"},
		{"POST", "/v1/responses/compact", 404, "holds no key to seal a compaction"},
		// The Responses API's WebSocket mode (npm openai 7's ResponsesWS)
		// is answered, not redirected to /v1/responses/.
		{"GET", "/v1/responses", 404, "WebSocket mode"},
	} {
		req, _ := http.NewRequest(c.method, srv.URL+c.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var sb strings.Builder
		bufio.NewReader(resp.Body).WriteTo(&sb)
		resp.Body.Close()
		if resp.StatusCode != c.status || !strings.Contains(sb.String(), c.want) {
			t.Errorf("%s %s: %d %s, want %d with %s", c.method, c.path, resp.StatusCode, sb.String(), c.status, c.want)
		}
	}
}
