package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// claudeCLIOrSkip returns the Claude Code CLI `npm ci` installs in
// e2e/claudecode (the native binary of @anthropic-ai/claude-code's
// platform package); outside CI it skips when it is not there.
func claudeCLIOrSkip(t *testing.T) string {
	t.Helper()
	cli, err := filepath.Abs(filepath.Join("claudecode", "node_modules", ".bin", "claude"))
	if err == nil {
		_, err = os.Stat(cli) // through the link, to the binary
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the Claude Code CLI test cannot run in CI: %v (run 'npm ci' in e2e/claudecode)", err)
		}
		t.Skipf("the Claude Code CLI is not installed (%v); run 'cd e2e/claudecode && npm ci'", err)
	}
	return cli
}

// egressProxy is the HTTP_PROXY and HTTPS_PROXY the CLI runs with. It
// forwards the plain-HTTP requests for the router's host to the router
// and refuses (403) every other, CONNECT tunnels included, noting what
// each asked for: the CLI reaching the router through it shows that it
// honours the proxy, so that a host it does not ask for is one it does
// not call.
type egressProxy struct {
	URL    string
	router string // the router's host:port
	fwd    *httputil.ReverseProxy

	mu        sync.Mutex
	forwarded []string // method and path of each request sent on to the router
	refused   []string // method and host of each request refused
}

// newEgressProxy starts an egressProxy in front of the router at routerURL.
func newEgressProxy(t *testing.T, routerURL string) *egressProxy {
	t.Helper()
	target, err := url.Parse(routerURL)
	if err != nil {
		t.Fatal(err)
	}
	p := &egressProxy{router: target.Host}
	p.fwd = &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(target)
		pr.Out.Host = target.Host
	}}
	ts := httptest.NewServer(p)
	t.Cleanup(ts.Close)
	p.URL = ts.URL
	return p
}

func (p *egressProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect && r.URL.IsAbs() && r.URL.Scheme == "http" && r.URL.Host == p.router {
		p.mu.Lock()
		p.forwarded = append(p.forwarded, r.Method+" "+r.URL.Path)
		p.mu.Unlock()
		p.fwd.ServeHTTP(w, r)
		return
	}
	host := r.Host
	if r.URL.IsAbs() {
		host = r.URL.Scheme + "://" + r.URL.Host
	}
	p.mu.Lock()
	p.refused = append(p.refused, r.Method+" "+host)
	p.mu.Unlock()
	http.Error(w, "egress refused by the e2e test's proxy", http.StatusForbidden)
}

// take returns the requests forwarded and refused since the last take
// and forgets them.
func (p *egressProxy) take() (forwarded, refused []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	forwarded, refused = p.forwarded, p.refused
	p.forwarded, p.refused = nil, nil
	return forwarded, refused
}

// claudeCLIEnv is the whole environment the CLI runs with (nothing of
// the test's own but PATH): the router as its API with the demo key, a
// HOME of its own (no user settings, credentials or sessions), every
// traffic but the API's off, and proxy for every other host; extra is
// added last.
func claudeCLIEnv(home, routerURL, proxy string, extra ...string) []string {
	return append([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"ANTHROPIC_BASE_URL=" + routerURL,
		"ANTHROPIC_API_KEY=demo-key",
		"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1",
		"DISABLE_TELEMETRY=1",
		"DISABLE_ERROR_REPORTING=1",
		"DISABLE_AUTOUPDATER=1",
		"CLAUDE_CODE_MAX_RETRIES=1", // a failure shows at once, not after ten backoffs
		"HTTP_PROXY=" + proxy, "HTTPS_PROXY=" + proxy, "NO_PROXY=",
		"http_proxy=" + proxy, "https_proxy=" + proxy, "no_proxy=",
	}, extra...)
}

// runClaudeCLI runs `claude -p prompt` with args in dir and env, bounded
// by a minute (a hang's bound, not a timing check), and returns its
// standard output; the CLI failing fails the test with its stderr.
func runClaudeCLI(t *testing.T, cli, dir string, env []string, prompt string, args ...string) []byte {
	t.Helper()
	return runAgentCLI(t, "claude "+strings.Join(args, " "), dir, env, cli, append([]string{"-p", prompt}, args...)...)
}

// claudeCLIResult is the CLI's result message: all of --output-format
// json, the last line of stream-json.
type claudeCLIResult struct {
	Type     string  `json:"type"`
	Subtype  string  `json:"subtype"`
	IsError  bool    `json:"is_error"`
	Result   string  `json:"result"`
	NumTurns int     `json:"num_turns"`
	CostUSD  float64 `json:"total_cost_usd"`
	Usage    struct {
		InputTokens         int `json:"input_tokens"`
		OutputTokens        int `json:"output_tokens"`
		CacheCreationTokens int `json:"cache_creation_input_tokens"`
		CacheReadTokens     int `json:"cache_read_input_tokens"`
	} `json:"usage"`
	PermissionDenials []json.RawMessage `json:"permission_denials"`
}

// promptTokens is every input token the result counts, cached or not.
func (r claudeCLIResult) promptTokens() int {
	return r.Usage.InputTokens + r.Usage.CacheCreationTokens + r.Usage.CacheReadTokens
}

// claudeCLIEvent is one line of --output-format stream-json: the init,
// an assistant or user message (a tool's result), a stream_event (the
// API's own events, with --include-partial-messages), the result.
type claudeCLIEvent struct {
	Type    string `json:"type"`
	Subtype string `json:"subtype"`
	Model   string `json:"model"` // of the init event
	Event   struct {
		Type  string `json:"type"`
		Delta struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"delta"`
	} `json:"event"`
	Message struct {
		Model   string `json:"model"`
		Content []struct {
			Type      string          `json:"type"`
			Text      string          `json:"text"`
			Name      string          `json:"name"`
			Input     json.RawMessage `json:"input"`
			ToolUseID string          `json:"tool_use_id"`
			Content   json.RawMessage `json:"content"`
			IsError   bool            `json:"is_error"`
		} `json:"content"`
	} `json:"message"`
}

// claudeCLIStream reads the events of stream-json output and its result
// (the last line).
func claudeCLIStream(t *testing.T, out []byte) ([]claudeCLIEvent, claudeCLIResult) {
	t.Helper()
	var events []claudeCLIEvent
	var last []byte
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var ev claudeCLIEvent
		if err := json.Unmarshal(line, &ev); err != nil {
			t.Fatalf("a stream-json line is not JSON: %v: %.500s", err, line)
		}
		events, last = append(events, ev), append(last[:0], line...)
	}
	var res claudeCLIResult
	if err := json.Unmarshal(last, &res); err != nil || res.Type != "result" {
		t.Fatalf("stream-json does not end with the result (%v): %.1000s", err, last)
	}
	return events, res
}
