package e2e

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// qwenCLIUpstreams pair each of the CLI's two OpenAI protocols
// (--auth-type: Chat Completions, openai; the Responses API,
// openai-responses: a streamed POST /v1/responses with store false, the
// instructions, the conversation as input items and the tools as function
// tools) with two of its models (OPENAI_MODEL), every upstream kind among
// them and each protocol with an upstream of another kind, with the CLI's
// environment beyond qwenCLIEnv: the CLI asks a model it does not know for
// 32000 tokens, and the router refuses to a deployment named itself a
// max_tokens above what it writes (as Azure would), so the CLI is told
// Azure's gpt-4o-mini limit (QWEN_CODE_MAX_OUTPUT_TOKENS); gpt-4o-mini it
// knows (16384), and Claude Haiku 4.5 and Gemini 2.5 Flash write more.
// Every pair, 24 runs of a CLI that costs seconds of CPU each, spent
// ~110 CPU-s of the e2e package for no client path these four do not
// take; each API's translation to every kind is the SDK tests' work
// (as opencodeTargets).
var qwenCLIUpstreams = []struct {
	wire, name, model string
	env               []string
}{
	{"openai", "openai", "gpt-4o-mini", nil},
	{"openai", "claude", "claude-haiku-4-5", nil},
	{"openai-responses", "azure", "azure-gpt-4o-mini", []string{"QWEN_CODE_MAX_OUTPUT_TOKENS=16384"}},
	{"openai-responses", "gemini", "gemini-2.5-flash", nil},
}

// qwenNotes is the file the tool loop finds: the simulated models fill a
// tool's string arguments with "example", so grep_search's pattern, path
// and glob are all "example", and it finds this line of example/example.
const qwenNotes = "example: the notes say 42"

// qwenWirePaths are the paths each protocol posts to.
var qwenWirePaths = map[string]string{"openai": "/v1/chat/completions", "openai-responses": "/v1/responses"}

// TestQwenCodeCLI runs the Qwen Code CLI on each of its OpenAI protocols
// with a deployment of each upstream kind (qwenCLIUpstreams, each pair
// with a router of its own, in parallel): a one-shot answer
// (--output-format json), the same streamed (stream-json with --include-partial-messages), and a tool
// loop (the model calls grep_search, named in the prompt; the CLI runs it
// on the working directory and sends its result back; the model answers
// quoting it); and that tool loop once more on the CLI's Anthropic
// protocol (the Messages API). Each run's usage is what the router
// recorded for its requests, each served by the deployment with tokens
// and a cost; the CLI asks its proxy for no host.
func TestQwenCodeCLI(t *testing.T) {
	t.Parallel()
	cli := qwenCLIOrSkip(t)
	for _, up := range qwenCLIUpstreams {
		t.Run(up.name+"/"+up.wire, func(t *testing.T) {
			t.Parallel()
			run := newQwenRun(t, cli, qwenWirePaths[up.wire], up.model, up.env...)
			auth := []string{"--auth-type", up.wire}
			t.Run("answer", func(t *testing.T) {
				_, res := run(t, "Say hello.", append(auth, "--core-tools", "glob", "--output-format", "json")...)
				checkQwenResult(t, res, 1)
			})
			t.Run("stream", func(t *testing.T) {
				events, res := run(t, "Say hello.", append(auth, "--core-tools", "glob", "--output-format", "stream-json", "--include-partial-messages")...)
				checkQwenResult(t, res, 1)
				checkQwenStreamed(t, events, res)
			})
			t.Run("tools", func(t *testing.T) {
				events, res := run(t, "Find my notes with grep_search.", append(auth, "--core-tools", "grep_search", "--max-session-turns", "3", "--output-format", "stream-json")...)
				checkQwenResult(t, res, 2)
				checkQwenGrep(t, events, res)
			})
		})
	}
	// The CLI's Anthropic protocol (--auth-type anthropic) on the
	// router's Messages API: its requests mark cache breakpoints and ask
	// for thinking, which Claude Haiku 4.5 takes.
	t.Run("messages", func(t *testing.T) {
		t.Parallel()
		const model = "claude-haiku-4-5"
		run := newQwenRun(t, cli, "/v1/messages", model, "ANTHROPIC_API_KEY=demo-key", "ANTHROPIC_MODEL="+model)
		events, res := run(t, "Find my notes with grep_search.", "--auth-type", "anthropic", "--core-tools", "grep_search", "--max-session-turns", "3", "--output-format", "stream-json")
		checkQwenResult(t, res, 2)
		checkQwenGrep(t, events, res)
	})
}

// newQwenRun starts a router and its simulators, and returns a function
// that runs the CLI with model and extra environment on a working
// directory holding qwenNotes, checks the run's traffic
// (checkQwenRouted; every request a POST to path, seen by a reverse
// proxy in front of the router) and returns its events and result. It
// offers the model only the tools the run names and none of those whose
// names (agent, skill, tool_call, tool_search) are in the CLI's own first
// user message, as the simulated models call every tool the prompt names.
func newQwenRun(t *testing.T, cli qwenCLI, path, model string, extra ...string) func(t *testing.T, prompt string, args ...string) ([]qwenEvent, qwenEvent) {
	t.Helper()
	e := newEnv(t, nil)
	front := newPathLog(t, e.URL)
	px := newEgressProxy(t, front.URL)
	work := t.TempDir()
	if err := os.MkdirAll(filepath.Join(work, "example"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "example", "example"), []byte(qwenNotes+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := qwenCLIEnv(t, t.TempDir(), front.URL, px.URL, model, append(extra, "ANTHROPIC_BASE_URL="+front.URL)...)
	return func(t *testing.T, prompt string, args ...string) ([]qwenEvent, qwenEvent) {
		t.Helper()
		from := e.recordCount(t)
		out := runQwenCLI(t, cli, work, env, prompt, append(args, "--exclude-tools", "agent,skill,tool_call,tool_search")...)
		events, res := qwenEvents(t, out)
		checkQwenRouted(t, e, px, from, model, res)
		// At least one request a turn, every one to the protocol's path:
		// on a loaded machine the CLI resends a turn its own timer gave
		// up on (seen once in a helper's run), which says nothing of the
		// router; a request to another path would.
		if got := front.take(); len(got) < res.NumTurns || slices.ContainsFunc(got, func(p string) bool { return p != "POST "+path }) {
			t.Errorf("the CLI asked the router for %q; want at least %d times POST %s, nothing else", got, res.NumTurns, path)
		}
		return events, res
	}
}

// pathLog is a reverse proxy in front of a router that keeps the method
// and path of each request it forwards.
type pathLog struct {
	URL   string
	mu    sync.Mutex
	paths []string
}

// newPathLog starts a pathLog in front of the router at target, closed
// when t ends; it streams answers as they come (FlushInterval -1).
func newPathLog(t *testing.T, target string) *pathLog {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	l := &pathLog{}
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.FlushInterval = -1
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.paths = append(l.paths, r.Method+" "+r.URL.Path)
		l.mu.Unlock()
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	l.URL = ts.URL
	return l
}

// take returns the requests seen since the last take.
func (l *pathLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := l.paths
	l.paths = nil
	return p
}

// checkQwenResult checks the CLI's result: a success of turns turns, its
// answer and usage there.
func checkQwenResult(t *testing.T, res qwenEvent, turns int) {
	t.Helper()
	if res.Subtype != "success" || res.IsError || res.Error != nil || strings.TrimSpace(res.Result) == "" {
		t.Fatalf("result: %+v", res)
	}
	if res.NumTurns != turns || res.Usage.InputTokens == 0 || res.Usage.OutputTokens == 0 {
		t.Errorf("turns %d (want %d), usage %+v", res.NumTurns, turns, res.Usage)
	}
}

// checkQwenStreamed checks stream-json's events: the init, the answer's
// text in deltas as the API streamed them, then in the assistant
// message, whose text is the result.
func checkQwenStreamed(t *testing.T, events []qwenEvent, res qwenEvent) {
	t.Helper()
	var deltas, text strings.Builder
	n := 0
	for _, ev := range events {
		switch {
		case ev.Type == "stream_event" && ev.Event.Type == "content_block_delta" && ev.Event.Delta.Type == "text_delta":
			deltas.WriteString(ev.Event.Delta.Text)
			n++
		case ev.Type == "assistant":
			for _, c := range ev.Message.Content {
				text.WriteString(c.Text)
			}
		}
	}
	if events[0].Type != "system" || events[0].Subtype != "init" {
		t.Errorf("first event %+v, want the init", events[0])
	}
	if n < 2 || deltas.String() != text.String() || text.String() != res.Result {
		t.Errorf("streamed %q in %d deltas, assistant message %q, result %q", deltas.String(), n, text.String(), res.Result)
	}
}

// checkQwenGrep checks a tool loop: the model called grep_search, the CLI
// ran it without error, and the answer (the simulated model's, quoting the
// tool's result) has the line it found.
func checkQwenGrep(t *testing.T, events []qwenEvent, res qwenEvent) {
	t.Helper()
	var called, ran bool
	for _, ev := range events {
		for _, c := range ev.Message.Content {
			switch {
			case ev.Type == "assistant" && c.Type == "tool_use" && c.Name == "grep_search":
				called = true
			case ev.Type == "user" && c.Type == "tool_result":
				ran = !c.IsError
				if !ran {
					t.Errorf("tool result: %s", c.Content)
				}
			}
		}
	}
	if !called || !ran || !strings.Contains(res.Result, qwenNotes) {
		t.Errorf("grep_search called %v, ran %v; answer %q", called, ran, res.Result)
	}
}

// checkQwenRouted checks a run's traffic: the proxy was asked for no
// host, and the router's records since from are the run's requests,
// each served by deployment with tokens and a cost, their tokens adding
// up to the usage the CLI reports.
func checkQwenRouted(t *testing.T, e *env, px *egressProxy, from int, deployment string, res qwenEvent) {
	t.Helper()
	if forwarded, refused := px.take(); len(forwarded)+len(refused) > 0 {
		t.Errorf("the CLI asked its proxy for %q and %q: it may reach only the router, directly", forwarded, refused)
	}
	recs := e.recorded(t, from+res.NumTurns)[from:]
	if len(recs) != res.NumTurns {
		t.Errorf("%d requests recorded for %d turns", len(recs), res.NumTurns)
	}
	in, out := 0, 0
	for _, rec := range recs {
		in, out = in+rec.Usage.PromptTokens, out+rec.Usage.CompletionTokens
		if rec.Deployment != deployment || rec.Status != http.StatusOK || rec.Usage.PromptTokens == 0 || rec.Usage.CompletionTokens == 0 || rec.CostUSD <= 0 {
			t.Errorf("recorded: deployment %q (want %q), status %d (%s %s), usage %+v, cost %v", rec.Deployment, deployment, rec.Status, rec.ErrorKind, rec.ErrorCode, rec.Usage, rec.CostUSD)
		}
	}
	if in != res.Usage.InputTokens || out != res.Usage.OutputTokens {
		t.Errorf("the CLI reports %d input and %d output tokens, the router recorded %d and %d", res.Usage.InputTokens, res.Usage.OutputTokens, in, out)
	}
}
