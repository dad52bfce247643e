package openai

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testKey is the provider key; no error may ever show it.
const testKey = "sk-test-Zq8vR2mN4kL7pX1cT9wB"

// stoppedStream is the shortest complete stream, for tests about the
// request: a choice's finish_reason, then [DONE] (alone, [DONE] is a cut
// stream).
var stoppedStream = "data: " + choice(0, "stop") + "\n\ndata: [DONE]\n\n"

// catalog is the simulated models the tests use.
func catalog() sim.Catalog {
	return sim.NewCatalog(
		sim.Profile{Model: "gpt-sim"},
		sim.Profile{Model: "gpt-sim-reasoning", Reasoning: true},
		sim.Profile{Model: "gpt-5.5-pro", Reasoning: true},
		sim.Profile{Model: "gpt-5.6-terra", Reasoning: true},
		sim.Profile{Model: "gpt-sim-slow", TTFT: 10 * time.Millisecond, TokensPerSecond: 50},
		sim.Profile{Model: "embed-sim", Embedding: true, Dimensions: 64},
		sim.Profile{Model: "instruct-sim", Completion: true},
		sim.Profile{Model: "omni-moderation-latest", Moderation: true},
		sim.Profile{Model: "dall-e-3", Images: true},
		sim.Profile{Model: "gpt-image-1", Images: true},
		sim.Profile{Model: "tts-1", Speech: true},
		sim.Profile{Model: "whisper-1", Transcription: true},
		sim.Profile{Model: "gpt-4o-transcribe", Transcription: true},
	)
}

// env is a simulated upstream and a client pointed at it.
type env struct {
	srv    *httptest.Server
	faults *sim.Faults
	c      *Client
}

// newEnv starts sim/openai (azure: sim NewAzure) and returns a client for it.
func newEnv(t *testing.T, kind, key string) *env {
	t.Helper()
	e := &env{faults: new(sim.Faults)}
	h := simopenai.New(catalog(), e.faults)
	base := "/v1"
	if kind == KindAzure {
		h = simopenai.NewAzure(catalog(), e.faults)
		base = ""
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	e.c = newClient(t, provider.Config{Name: "up", Kind: kind, BaseURL: e.srv.URL + base, APIKey: key})
	return e
}

// newClient builds a client with its own transport, closed at cleanup.
func newClient(t *testing.T, cfg provider.Config) *Client {
	t.Helper()
	tr := provider.NewTransport()
	t.Cleanup(tr.CloseIdleConnections)
	cfg.HTTPClient = &http.Client{Transport: tr}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// recorder is an upstream that records requests and answers with a fixed
// status, headers and body.
type recorder struct {
	mu     sync.Mutex
	reqs   []*http.Request
	bodies []string

	status int
	header map[string]string
	body   string
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.reqs = append(r.reqs, req)
	r.bodies = append(r.bodies, string(b))
	r.mu.Unlock()
	for k, v := range r.header {
		w.Header().Set(k, v)
	}
	if r.status == 0 {
		r.status = http.StatusOK
	}
	w.WriteHeader(r.status)
	io.WriteString(w, r.body)
}

func (r *recorder) last(t *testing.T) (*http.Request, string) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.reqs) == 0 {
		t.Fatal("upstream got no request")
	}
	return r.reqs[len(r.reqs)-1], r.bodies[len(r.bodies)-1]
}

// serve starts h and returns a client of kind for it (base_url + suffix).
func serve(t *testing.T, h http.Handler, kind, suffix, key string) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return newClient(t, provider.Config{Name: "up", Kind: kind, BaseURL: srv.URL + suffix, APIKey: key})
}

func userRequest(model, prompt string) *llm.Request {
	return &llm.Request{Model: model, Messages: []llm.Message{llm.TextMessage(llm.RoleUser, prompt)}}
}

// asLLM asserts err is an *llm.Error that does not show the key.
func asLLM(t *testing.T, err error) *llm.Error {
	t.Helper()
	var le *llm.Error
	if !errors.As(err, &le) {
		t.Fatalf("error %T %v is not an *llm.Error", err, err)
	}
	noKey(t, err.Error())
	noKey(t, le.Message)
	return le
}

func noKey(t *testing.T, s string) {
	t.Helper()
	if strings.Contains(s, testKey) || strings.Contains(s, testKey[3:]) {
		t.Fatalf("the API key leaked into %q", s)
	}
}

// drain reads a stream to its end and returns its chunks and final error.
func drain(s llm.Stream) ([]*llm.Chunk, error) {
	defer s.Close()
	var out []*llm.Chunk
	for {
		c, err := s.Next()
		if err != nil {
			return out, err
		}
		out = append(out, c)
	}
}

// streamText joins the content deltas of choice 0.
func streamText(chunks []*llm.Chunk) string {
	var b strings.Builder
	for _, c := range chunks {
		for _, ch := range c.Choices {
			if ch.Index == 0 {
				b.WriteString(ch.Delta.Content)
			}
		}
	}
	return b.String()
}

func providerConfig(kind, base string) provider.Config {
	return provider.Config{Name: "up", Kind: kind, BaseURL: base, APIKey: testKey}
}
