package anthropic

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"go.uber.org/goleak"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/sim"
	simanthropic "switchyard/sim/anthropic"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	testModel = "claude-sim-sonnet-4-5"
	testKey   = "sk-ant-api03-secret-test-key"
)

// fixture is a client wired to a simulated Anthropic API.
type fixture struct {
	c      *Client
	faults *sim.Faults
	srv    *httptest.Server
}

// newFixture starts the simulator behind handler wrappers (outermost
// first) and returns a client for it with key as its API key.
func newFixture(t *testing.T, key string, wrap ...func(http.Handler) http.Handler) *fixture {
	t.Helper()
	faults := &sim.Faults{}
	cat := sim.NewCatalog(
		sim.Profile{Model: testModel, MaxOutputTokens: 8192, TokensPerSecond: 2000},
	)
	var h http.Handler = simanthropic.New(cat, faults)
	for i := len(wrap) - 1; i >= 0; i-- {
		h = wrap[i](h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &fixture{c: clientFor(t, srv.URL, key), faults: faults, srv: srv}
}

// clientFor returns a client of url with its own transport, closed (with
// the server) when the test ends so no connection goroutine outlives it.
func clientFor(t *testing.T, url, key string) *Client {
	t.Helper()
	tr := &http.Transport{}
	headers := map[string]string{"anthropic-beta": "test-beta"}
	if key != "" {
		headers["x-api-key"] = "not-this-one" // the configured key wins
	}
	c, err := New(provider.Config{Name: "claude-test", Kind: "anthropic", BaseURL: url, APIKey: key,
		Headers: headers, HTTPClient: &http.Client{Transport: tr}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tr.CloseIdleConnections)
	return c
}

// serve starts a server running h for the test.
func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func chatReq(prompt string) *llm.Request {
	return &llm.Request{Model: testModel, Messages: []llm.Message{llm.TextMessage(llm.RoleUser, prompt)}}
}

// asError requires err to be an *llm.Error.
func asError(t *testing.T, err error) *llm.Error {
	t.Helper()
	le, ok := err.(*llm.Error)
	if !ok {
		t.Fatalf("error %T %v is not an *llm.Error", err, err)
	}
	return le
}

// within fails the test when f does not return in d.
func within(t *testing.T, d time.Duration, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s did not return within %v", what, d)
	}
}
