package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchyard/config"
)

// The real Claude Code CLI (e2e/claudecode's pinned npm package) run
// against the router with ANTHROPIC_BASE_URL, non-interactively (-p):
// its answer as JSON, streamed as stream-json, and a tool loop of its
// own Glob tool, on a route to each upstream kind. Every run goes
// through a proxy that refuses every host but the router's.

// claudeCLIOpenAIRoute is a route to gpt-4o-mini alone: chosen by a
// route, the deployment is sent Claude Code's max_tokens of 32000
// lowered to the 16384 it writes (route max_tokens "clamp").
const claudeCLIOpenAIRoute = "claude-code-openai"

// claudeCLIUpstreams are the CLI's models (--model), one per upstream
// kind, with the deployment each must reach and the CLI's environment
// beyond claudeCLIEnv: Azure's deployment is named itself, so the CLI
// is told its output limit (CLAUDE_CODE_MAX_OUTPUT_TOKENS), as the
// router refuses a larger max_tokens to a deployment named as its
// provider would.
var claudeCLIUpstreams = []struct {
	name, model, deployment string
	env                     []string
}{
	{"claude", "claude-haiku-4-5", "claude-haiku-4-5", nil},
	{"openai", claudeCLIOpenAIRoute, "gpt-4o-mini", nil},
	{"azure", "azure-gpt-4o-mini", "azure-gpt-4o-mini", []string{"CLAUDE_CODE_MAX_OUTPUT_TOKENS=16384"}},
	{"gemini", "gemini-2.5-flash", "gemini-2.5-flash", nil},
}

func TestClaudeCodeCLI(t *testing.T) {
	t.Parallel()
	cli := claudeCLIOrSkip(t)
	e := newEnv(t, func(c *config.Config) {
		c.Routes[claudeCLIOpenAIRoute] = &config.Route{Name: claudeCLIOpenAIRoute, Deployments: []string{"gpt-4o-mini"}}
	})
	px := newEgressProxy(t, e.URL)
	// The simulated models fill a tool's string arguments with
	// "example": Glob's pattern and path then find example/example.
	work := t.TempDir()
	if err := os.MkdirAll(filepath.Join(work, "example"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "example", "example"), []byte("notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, up := range claudeCLIUpstreams {
		t.Run(up.name, func(t *testing.T) {
			env := claudeCLIEnv(t.TempDir(), e.URL, px.URL, up.env...)
			run := func(t *testing.T, prompt string, args ...string) []byte {
				t.Helper()
				from := e.recordCount(t)
				out := runClaudeCLI(t, cli, work, env, prompt, append([]string{"--model", up.model, "--no-session-persistence"}, args...)...)
				checkClaudeCLIRouted(t, e, px, from, up.deployment)
				return out
			}
			t.Run("answer", func(t *testing.T) {
				out := run(t, "Say hello.", "--tools", "", "--output-format", "json")
				var res claudeCLIResult
				if err := json.Unmarshal(out, &res); err != nil {
					t.Fatalf("--output-format json: %v: %.1000s", err, out)
				}
				checkClaudeCLIResult(t, res, 1)
			})
			t.Run("stream", func(t *testing.T) {
				events, res := claudeCLIStream(t, run(t, "Say hello.", "--tools", "", "--output-format", "stream-json", "--verbose", "--include-partial-messages"))
				checkClaudeCLIResult(t, res, 1)
				checkClaudeCLIStreamed(t, events, res)
			})
			t.Run("tools", func(t *testing.T) {
				events, res := claudeCLIStream(t, run(t, "Find my notes with the Glob tool.", "--tools", "Glob", "--max-turns", "3", "--output-format", "stream-json", "--verbose"))
				checkClaudeCLIResult(t, res, 2)
				checkClaudeCLIGlob(t, events, res)
			})
		})
	}
}

// checkClaudeCLIResult checks the CLI's result: a success of turns
// turns, its answer and usage there, nothing refused.
func checkClaudeCLIResult(t *testing.T, res claudeCLIResult, turns int) {
	t.Helper()
	if res.Type != "result" || res.Subtype != "success" || res.IsError || strings.TrimSpace(res.Result) == "" {
		t.Fatalf("result: %+v", res)
	}
	if res.NumTurns != turns || res.promptTokens() == 0 || res.Usage.OutputTokens == 0 || res.CostUSD == 0 || len(res.PermissionDenials) > 0 {
		t.Errorf("turns %d (want %d), usage %+v, cost %v, denials %s", res.NumTurns, turns, res.Usage, res.CostUSD, res.PermissionDenials)
	}
}

// checkClaudeCLIStreamed checks stream-json's events: the init, the
// answer's text in deltas as the API streamed them, then in the
// assistant message, whose text is the result.
func checkClaudeCLIStreamed(t *testing.T, events []claudeCLIEvent, res claudeCLIResult) {
	t.Helper()
	var deltas, text strings.Builder
	for _, ev := range events {
		switch {
		case ev.Type == "stream_event" && ev.Event.Type == "content_block_delta" && ev.Event.Delta.Type == "text_delta":
			deltas.WriteString(ev.Event.Delta.Text)
		case ev.Type == "assistant":
			for _, c := range ev.Message.Content {
				text.WriteString(c.Text)
			}
		}
	}
	if events[0].Type != "system" || events[0].Subtype != "init" {
		t.Errorf("first event %+v, want the init", events[0])
	}
	if deltas.Len() == 0 || deltas.String() != text.String() || text.String() != res.Result {
		t.Errorf("streamed %q, assistant message %q, result %q", deltas.String(), text.String(), res.Result)
	}
}

// checkClaudeCLIGlob checks a tool loop: the model called Glob, the CLI
// ran it and found example/example, and the answer (the simulated
// model's, quoting the tool result) came after.
func checkClaudeCLIGlob(t *testing.T, events []claudeCLIEvent, res claudeCLIResult) {
	t.Helper()
	var called, found bool
	for _, ev := range events {
		for _, c := range ev.Message.Content {
			switch {
			case ev.Type == "assistant" && c.Type == "tool_use" && c.Name == "Glob":
				called = true
			case ev.Type == "user" && c.Type == "tool_result":
				found = !c.IsError && strings.Contains(string(c.Content), filepath.Join("example", "example"))
				if !found {
					t.Errorf("tool result: %s", c.Content)
				}
			}
		}
	}
	if !called || !found || !strings.Contains(res.Result, filepath.Join("example", "example")) {
		t.Errorf("Glob called %v, its result found %v; answer %q", called, found, res.Result)
	}
}

// checkClaudeCLIRouted checks a run's traffic: every request of the CLI
// went to the router (the proxy refused none), and each of its
// messages' records since from shows the deployment answering, tokens
// and a cost.
func checkClaudeCLIRouted(t *testing.T, e *env, px *egressProxy, from int, deployment string) {
	t.Helper()
	forwarded, refused := px.take()
	if len(refused) > 0 {
		t.Errorf("the CLI asked for hosts other than the router: %q", refused)
	}
	n := 0
	for _, f := range forwarded {
		if f == "POST /v1/messages" {
			n++
		}
	}
	if n == 0 {
		t.Fatalf("no message reached the router through the proxy: %q", forwarded)
	}
	t.Logf("through the proxy to the router: %q", forwarded)
	for _, rec := range e.recorded(t, from+n)[from:] {
		if rec.Deployment != deployment || rec.Status != 200 || rec.Usage.PromptTokens == 0 || rec.Usage.CompletionTokens == 0 || rec.CostUSD <= 0 {
			t.Errorf("recorded: deployment %q (want %q), status %d, usage %+v, cost %v", rec.Deployment, deployment, rec.Status, rec.Usage, rec.CostUSD)
		}
	}
}

// recordCount is how many records arrived, those queued included.
func (e *env) recordCount(t *testing.T) int {
	t.Helper()
	if err := e.Router.Recorder.Sync(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.records)
}
