package e2e

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"go.uber.org/goleak"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/provider/providertest"
	"switchyard/server"
)

// TestFaultMatrixEmbeddings: /v1/embeddings (through openai-go) routes
// through deployments as the chat endpoints do, so it meets the main
// faults too: refused, the provider's 500, its 401, a garbage 200, a
// stall (ended by the first-token or the provider's timeout). Each of the kinds that embed (openai, azure, gemini) on a route
// "ec<n>" (the hostile deployment, then text-embedding-3-small on the
// simulator) and "ea<n>" (the hostile deployment alone). The Messages
// API's count_tokens does not route: the router counts the tokens itself
// (api/anthropic/handler.go), so no upstream fault reaches it.
func TestFaultMatrixEmbeddings(t *testing.T) {
	if testing.Short() {
		t.Skip("the stalls take seconds")
	}
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { checkNoLeak(t, before) })
	var cells []embedCell
	for _, f := range embedFaults() {
		for _, k := range campaignKinds {
			if k.kind == "openai" || k.kind == "azure" || k.kind == "gemini" {
				cells = append(cells, embedCell{f, k.kind, k.format})
			}
		}
	}
	e := newEmbedEnv(t, cells)
	replies := make([][2]embedReply, len(cells))
	var wg sync.WaitGroup
	for i := range cells {
		for j, which := range []string{"ec", "ea"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				replies[i][j] = askEmbeddings(e, which+strconv.Itoa(i))
			}()
		}
	}
	wg.Wait()
	e.recorded(t, 2*len(cells))
	for i, cell := range cells {
		t.Run(cell.fault.name+"/"+cell.kind, func(t *testing.T) { checkEmbedReplies(t, cell, replies[i]) })
	}
}

// embedCell is one cell of the embeddings matrix.
type embedCell struct {
	fault  matrixFault
	kind   string
	format providertest.Format
}

// embedReply is what the client of an embeddings route got.
type embedReply struct {
	status  int
	dep     string
	raw     string
	err     error
	latency time.Duration
}

// newEmbedEnv starts the hostile upstream and the router with each
// cell's deployments and its routes ec<n> and ea<n>.
func newEmbedEnv(t *testing.T, cells []embedCell) *env {
	t.Helper()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n, ok := cellOf(w, r, len(cells)); ok {
			cells[n].fault.fault(w, r, cells[n].format)
		}
	}))
	t.Cleanup(up.Close)
	refused := refusedURL(t)
	return newEnvWith(t, func(c *config.Config) {
		c.Server.RequestTimeout = embedDeadline
		for _, kind := range []string{"openai", "azure", "gemini"} {
			for name, url := range map[string]string{"hostile-": up.URL, "refused-": refused} {
				if kind == "openai" {
					url += "/v1"
				}
				// The provider's timeout bounds a stalled call short of
				// the request's deadline, as the first-token timeout
				// (800 ms) of an embeddings attempt does.
				c.Providers[name+kind] = &config.Provider{Name: name + kind, Kind: kind, BaseURL: url, APIKey: providertest.Secret, Timeout: embedAttempt}
			}
		}
		for i, cell := range cells {
			prov, n := "hostile-"+cell.kind, strconv.Itoa(i)
			if cell.fault.fault == nil {
				prov = "refused-" + cell.kind
			}
			for _, which := range []string{"ec", "ea"} {
				dep := "dep-" + which + n
				c.Deployments[dep] = &config.Deployment{Name: dep, Provider: prov, Model: "cell" + n + "x",
					Price: config.Price{Input: 1}, Capabilities: []llm.Capability{llm.CapEmbeddings}}
			}
			c.Routes["ec"+n] = &config.Route{Name: "ec" + n, Deployments: []string{"dep-ec" + n, "text-embedding-3-small"}}
			c.Routes["ea"+n] = &config.Route{Name: "ea" + n, Deployments: []string{"dep-ea" + n}}
		}
	}, server.RouterOptions{})
}

// askEmbeddings asks route for the embedding of one text through openai-go.
func askEmbeddings(e *env, route string) embedReply {
	ctx, cancel := context.WithTimeout(context.Background(), embedDeadline+5*time.Second)
	defer cancel()
	tt := &teeTransport{}
	c := openai.NewClient(option.WithBaseURL(e.URL+"/v1"), option.WithAPIKey("demo-key"), option.WithMaxRetries(0), option.WithHTTPClient(&http.Client{Transport: tt}))
	start := time.Now()
	_, err := c.Embeddings.New(ctx, openai.EmbeddingNewParams{Model: route, Input: openai.EmbeddingNewParamsInputUnion{OfString: openai.String("hello")}})
	rp := embedReply{err: err, latency: time.Since(start), raw: tt.body.String()}
	if tt.resp != nil {
		rp.status, rp.dep = tt.resp.StatusCode, tt.resp.Header.Get("x-switchyard-deployment")
	}
	return rp
}

// checkEmbedReplies asserts a cell's replies: the fallback's embeddings
// on ec, the fault's error on ea, within the deadline, no key.
func checkEmbedReplies(t *testing.T, cell embedCell, rps [2]embedReply) {
	t.Helper()
	c, a := rps[0], rps[1]
	for _, rp := range rps {
		if rp.latency > embedDeadline+matrixSlack {
			t.Errorf("answered after %s, past the %s deadline", rp.latency, embedDeadline)
		}
		if strings.Contains(rp.raw, providertest.Secret) {
			t.Errorf("the reply shows the provider key: %.300s", rp.raw)
		}
	}
	if c.err != nil || c.status != http.StatusOK || c.dep != "text-embedding-3-small" {
		t.Errorf("ec: status %d from %q (%v), want the fallback's embeddings: %.300s", c.status, c.dep, c.err, c.raw)
	}
	want := cell.fault.status
	if want == 0 {
		want = http.StatusBadGateway
	}
	var apiErr *openai.Error
	if !errors.As(a.err, &apiErr) || a.status != want {
		t.Fatalf("ea: status %d (%v), want %d: %.300s", a.status, a.err, want, a.raw)
	}
	if apiErr.Type != openAITypeFor(want) || apiErr.Message == "" || !strings.Contains(apiErr.Message, cell.fault.says) {
		t.Errorf("ea: error type %q, message %q; want %q saying %q", apiErr.Type, apiErr.Message, openAITypeFor(want), cell.fault.says)
	}
}

// embedDeadline is the embeddings matrix's server.request_timeout, and
// embedAttempt its hostile providers' timeout.
const (
	embedDeadline = 3 * time.Second
	embedAttempt  = time.Second
)

// embedFaults are the faults of the embeddings matrix.
func embedFaults() []matrixFault {
	return []matrixFault{
		{name: "connection refused", says: "could not reach upstream"},
		{name: "500 with a body", fault: statusBody(http.StatusInternalServerError), says: "returned 500"},
		{name: "401 bad key", fault: refusal(http.StatusUnauthorized, badKeyJSON), says: "rejected the configured credentials"},
		{name: "200 garbage JSON", fault: plain("application/json", `]]}{"ok":tru`), says: "malformed"},
		{name: "stall before headers", status: http.StatusGatewayTimeout, fault: func(_ http.ResponseWriter, r *http.Request, _ providertest.Format) {
			<-r.Context().Done()
		}},
	}
}

// refusedURL is the URL of a port nothing listens on.
func refusedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprintf("http://%s", l.Addr())
}
