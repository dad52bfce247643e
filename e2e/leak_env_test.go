package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/record/tracing/tracingtest"
	"switchyard/server"
	"switchyard/store"
)

// leakEnv is a router with every surface the leak test scans: a request
// store keeping redacted bodies, traces exported to a local collector, and
// its log captured in both formats; its simulated providers sit behind a
// tap that keeps what the router sent upstream, and a leaky upstream
// quotes secrets in its errors.
type leakEnv struct {
	*env
	store     store.Store
	collector *tracingtest.Collector
	textLog   *syncBuffer
	jsonLog   *syncBuffer
	upstream  *tap // every request the router made to the simulators and the leaky upstream
}

// The tenant and key names of the leak test's two client keys.
const (
	leakTenant   = "leak-tenant"
	leakKeyName  = "leak-backend"
	leakKeyName2 = "leak-sdk"
)

// newLeakEnv starts a leak test's router recording to st.
func newLeakEnv(t *testing.T, st store.Store) *leakEnv {
	le := &leakEnv{store: st, collector: tracingtest.New(t), textLog: &syncBuffer{}, jsonLog: &syncBuffer{}, upstream: &tap{}}
	leaky := httptest.NewServer(le.upstream.wrap(http.HandlerFunc(leakyUpstream)))
	t.Cleanup(leaky.Close)
	sims := httptest.NewServer(le.upstream.wrap(http.HandlerFunc(le.upstream.forward)))
	t.Cleanup(sims.Close)
	logger := slog.New(slog.NewMultiHandler(
		slog.NewTextHandler(le.textLog, &slog.HandlerOptions{Level: slog.LevelDebug}),
		slog.NewJSONHandler(le.jsonLog, &slog.HandlerOptions{Level: slog.LevelDebug}),
	))
	le.env = newEnvWith(t, func(c *config.Config) {
		withMedia(c)
		c.Auth.Keys = []config.Key{
			{Key: leakClientBearer.value, Name: leakKeyName, Tenant: leakTenant},
			{Key: leakClientXAPIKey.value, Name: leakKeyName2, Tenant: leakTenant},
		}
		c.Auth.AdminKeys = []config.AdminKey{{Key: leakAdminKey.value, Name: "leak-ops"}}
		for name, p := range c.Providers {
			u, err := url.Parse(p.BaseURL)
			if err != nil {
				t.Fatal(err)
			}
			le.upstream.target, u.Host = u.Host, strings.TrimPrefix(sims.URL, "http://")
			p.BaseURL, p.APIKey = u.String(), leakProviderKeys[name].value
		}
		c.Providers["openai"].Headers = map[string]string{"OpenAI-Organization": leakProviderHeader.value}
		c.Providers["leaky"] = &config.Provider{Name: "leaky", Kind: "openai", BaseURL: leaky.URL + "/v1", APIKey: leakProviderKeys["leaky"].value}
		for _, m := range []string{"leak-400", "leak-500", "leak-stream"} {
			c.Deployments[m] = &config.Deployment{Name: m, Provider: "leaky", Model: m,
				Price: config.Price{Input: 1, Output: 1}, Capabilities: []llm.Capability{llm.CapTools, llm.CapStreaming}}
		}
		ordered := func(name string, deps ...string) {
			c.Routes[name] = &config.Route{Name: name, Deployments: deps, Policy: config.Policy{Strategy: config.StrategyOrdered}}
		}
		ordered("plain", "gpt-4o-mini", "claude-haiku-4-5")
		ordered("failover", "leak-500", "claude-haiku-4-5")
		ordered("broken", "leak-400")
		ordered("leakstream", "leak-stream")
		ordered("resume", "gpt-4o-mini", "claude-haiku-4-5")
		c.Store.Bodies = config.StoreBodiesRedacted
		c.Store.RedactPatterns = []config.RedactPattern{{Name: "ticket", Pattern: `ACME-\d{6}`}}
		c.Telemetry.Traces.Endpoint = le.collector.URL
	}, server.RouterOptions{Store: st, Logger: logger})
	return le
}

// leakyUpstream is an OpenAI-compatible upstream whose every error quotes
// the key it was sent, an email and a token, as real upstreams quote what
// they were sent: leak-400 answers 400, leak-500 answers 500, leak-stream
// starts a stream and breaks it with an error event.
func leakyUpstream(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Model string `json:"model"`
	}
	json.NewDecoder(r.Body).Decode(&req)
	key := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	msg := "Incorrect API key provided: " + key + ". The account of " + leakUpstreamEmail.value +
		" was used with token " + leakUpstreamToken.value + "."
	errBody, _ := json.Marshal(map[string]any{"error": map[string]any{"message": msg, "type": "invalid_request_error", "param": nil, "code": nil}})
	switch req.Model {
	case "leak-400":
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write(errBody)
	case "leak-stream":
		w.Header().Set("Content-Type", "text/event-stream")
		chunk := `{"id":"c1","object":"chat.completion.chunk","created":1,"model":"leak-stream","choices":[{"index":0,"delta":{"role":"assistant","content":"Partial "},"finish_reason":null}]}`
		io.WriteString(w, "data: "+chunk+"\n\n")
		io.WriteString(w, "data: "+string(errBody)+"\n\n")
	default:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write(errBody)
	}
}

// tap keeps every request made through it: the path, headers and body the
// router sent its upstreams.
type tap struct {
	target string // host:port of the simulated providers

	mu   sync.Mutex
	seen []tapped
}

// tapped is one upstream request.
type tapped struct {
	path   string
	header http.Header
	body   []byte
}

// wrap records each request, then hands it to next.
func (tp *tap) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		tp.mu.Lock()
		tp.seen = append(tp.seen, tapped{path: r.URL.String(), header: r.Header.Clone(), body: body})
		tp.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// forward proxies to the simulated providers.
func (tp *tap) forward(w http.ResponseWriter, r *http.Request) {
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme, pr.Out.URL.Host = "http", tp.target
		},
		ErrorLog: log.New(io.Discard, "", 0), // a stream the simulator cuts on purpose is no news
	}
	rp.ServeHTTP(w, r)
}

// requests returns what went through the tap.
func (tp *tap) requests() []tapped {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	return append([]tapped(nil), tp.seen...)
}

// syncBuffer is a bytes.Buffer safe for concurrent writes and reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// Bytes returns a copy of what was written.
func (b *syncBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}
