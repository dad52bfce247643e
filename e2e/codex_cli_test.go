package e2e

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"switchyard/demo"
	"switchyard/record"
)

// This file runs the real OpenAI Codex CLI (npm @openai/codex, pinned in
// e2e/codex/package.json, its native binary from the platform package npm
// installs beside it) against the router: `codex exec --json` with a
// model provider that points at the router's /v1 (wire_api responses),
// over HTTP and over the Responses API's WebSocket mode
// (supports_websockets), on a deployment of every upstream kind. Its
// proxy variables point at the loopback egressProxy of the Claude Code
// CLI's test, which refuses and records every other host: the CLI must
// ask it for none, the router being reached directly (NO_PROXY).

// codexTarget is the directory of the Codex CLI's native binary in its
// npm platform package, per GOOS/GOARCH.
var codexTarget = map[string]string{
	"linux/amd64":  "codex-linux-x64/vendor/x86_64-unknown-linux-musl",
	"linux/arm64":  "codex-linux-arm64/vendor/aarch64-unknown-linux-musl",
	"darwin/amd64": "codex-darwin-x64/vendor/x86_64-apple-darwin",
	"darwin/arm64": "codex-darwin-arm64/vendor/aarch64-apple-darwin",
}

// codexOrSkip returns the path of the Codex CLI's native binary that
// `npm ci` installs in e2e/codex; outside CI it skips when there is none.
func codexOrSkip(t *testing.T) string {
	t.Helper()
	target, ok := codexTarget[runtime.GOOS+"/"+runtime.GOARCH]
	bin := filepath.Join("codex", "node_modules", "@openai", target, "bin", "codex")
	_, err := os.Stat(bin)
	if ok && err == nil {
		abs, err := filepath.Abs(bin)
		if err != nil {
			t.Fatal(err)
		}
		return abs
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("the Codex CLI cannot run in CI: %s is missing (%v; run 'cd e2e/codex && npm ci')", bin, err)
	}
	t.Skipf("the Codex CLI is not installed (%s: %v); run 'cd e2e/codex && npm ci'", bin, err)
	return ""
}

// codexConfig is the CLI's config.toml: the router as its model provider
// (no retries: a failure shows at once), and nothing else it would reach
// for: no update check, analytics (ab.chatgpt.com), feedback, plugins
// (their marketplace on github.com and the apps on chatgpt.com); web
// search disabled (%WEBSEARCH%), as the Azure and Gemini deployments
// cannot run it beside function tools, but on a route with hosted_tools
// drop_optional (TestCodexCLIWebSearch); never asking for an approval, in
// a read-only sandbox.
const codexConfig = `model_provider = "switchyard"
check_for_update_on_startup = false
%WEBSEARCH%
approval_policy = "never"
sandbox_mode = "read-only"

[analytics]
enabled = false

[feedback]
enabled = false

[features]
plugins = false

[model_providers.switchyard]
name = "Switchyard"
base_url = "%BASE%"
env_key = "SWITCHYARD_API_KEY"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
supports_websockets = %WS%
`

// codexEvent is an event of `codex exec --json`, as far as the tests read
// it.
type codexEvent struct {
	Type string `json:"type"`
	Item struct {
		Type    string `json:"type"`
		Text    string `json:"text"`
		Message string `json:"message"`
	} `json:"item"`
	Usage struct {
		InputTokens  int `json:"input_tokens"`
		OutputTokens int `json:"output_tokens"`
	} `json:"usage"`
	Message string `json:"message"`
}

// runCodex runs `codex exec --json prompt` with model against the router
// at base (over WebSocket mode when ws), in a new empty working directory
// and CODEX_HOME, its proxies pointed at proxy, web search disabled, and
// returns its events.
func runCodex(t *testing.T, bin, base string, proxy *egressProxy, ws bool, model, prompt string) []codexEvent {
	t.Helper()
	return runCodexSearch(t, bin, base, proxy, ws, false, model, prompt)
}

// runCodexSearch is runCodex with the CLI's web search at its default
// (declared on every request) when search.
func runCodexSearch(t *testing.T, bin, base string, proxy *egressProxy, ws, search bool, model, prompt string) []codexEvent {
	t.Helper()
	_, work, env := codexSetup(t, base, proxy, ws, search)
	out := runAgentCLI(t, "codex exec -m "+model, work, env, bin, "exec", "--json", "--skip-git-repo-check", "--ephemeral", "-m", model, prompt)
	return jsonLines[codexEvent](t, "codex exec", out)
}

// codexSetup writes the CLI's configuration (codexConfig) into a new
// CODEX_HOME and returns it, a new empty working directory and the
// CLI's environment: its proxies pointed at proxy, the router's key.
func codexSetup(t *testing.T, base string, proxy *egressProxy, ws, search bool) (home, work string, env []string) {
	t.Helper()
	home, work = t.TempDir(), t.TempDir()
	webSearch := `web_search = "disabled"`
	if search {
		webSearch = "# web_search at its default"
	}
	cfg := strings.NewReplacer("%BASE%", base+"/v1", "%WS%", map[bool]string{true: "true", false: "false"}[ws], "%WEBSEARCH%", webSearch).Replace(codexConfig)
	if err := os.WriteFile(filepath.Join(home, "config.toml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home, "CODEX_HOME=" + home, "SWITCHYARD_API_KEY=demo-key",
		"HTTPS_PROXY=" + proxy.URL, "HTTP_PROXY=" + proxy.URL, "ALL_PROXY=" + proxy.URL,
		"https_proxy=" + proxy.URL, "http_proxy=" + proxy.URL, "all_proxy=" + proxy.URL,
		"NO_PROXY=" + u.Hostname(), "no_proxy=" + u.Hostname(),
	}
	return home, work, env
}

// codexAnswer checks that the run completed one turn with usage and no
// error but the CLI's own notice that it lacks the model's metadata (a
// model outside its catalogue), and returns its agent's last message.
func codexAnswer(t *testing.T, evs []codexEvent) string {
	t.Helper()
	var answer string
	completed := false
	for _, ev := range evs {
		switch {
		case ev.Type == "item.completed" && ev.Item.Type == "agent_message":
			answer = ev.Item.Text
		case ev.Type == "item.completed" && ev.Item.Type == "error" && strings.HasPrefix(ev.Item.Message, "Model metadata for"):
		case ev.Type == "item.completed" && ev.Item.Type == "error", ev.Type == "error", ev.Type == "turn.failed":
			t.Errorf("codex reported an error: %+v", ev)
		case ev.Type == "turn.completed":
			completed = true
			if ev.Usage.InputTokens <= 0 || ev.Usage.OutputTokens <= 0 {
				t.Errorf("turn completed with usage %+v", ev.Usage)
			}
		}
	}
	if !completed || answer == "" {
		t.Fatalf("no turn completed with an answer: %+v", evs)
	}
	return answer
}

// TestCodexCLI runs the Codex CLI on a deployment of each upstream kind
// and on the demo's code-agent route, over HTTP and WebSocket mode: a
// one-shot prompt answered (over HTTP), then a tool loop — the simulated
// model calls Codex's exec_command, named in the prompt, and answers from
// its result. The call's arguments (schema-valid for the tool's declared
// JSON Schema, with 4.5 for its "number" yield_time_ms) are refused by
// Codex's own parser, so nothing runs; that refusal is the result the
// model answers from. The router records each request served with its
// deployment, tokens and cost, and refuses none (WebSocket mode's
// warm-up included); the CLI asks its proxy for no host.
func TestCodexCLI(t *testing.T) {
	t.Parallel()
	bin := codexOrSkip(t)
	for _, ws := range []bool{false, true} {
		models := chatDeployments
		if !ws {
			models = append(slices.Clip(chatDeployments), demo.CodeAgentRoute)
		}
		for _, model := range models {
			t.Run(map[bool]string{false: "http/", true: "websocket/"}[ws]+model, func(t *testing.T) {
				t.Parallel()
				e := newEnv(t, nil)
				proxy := newEgressProxy(t, e.URL)
				requests := 2
				if !ws {
					codexAnswer(t, runCodex(t, bin, e.URL, proxy, ws, model, "Say hello"))
					requests++
				}
				answer := codexAnswer(t, runCodex(t, bin, e.URL, proxy, ws, model, "Call exec_command to list the files"))
				if !strings.Contains(answer, "failed to parse function arguments") {
					t.Errorf("tool loop answer %q does not quote the tool's result", answer)
				}
				checkCodexRecords(t, e, model, requests)
				if _, refused := proxy.take(); len(refused) > 0 {
					t.Errorf("the Codex CLI asked its proxy for %v: it may reach only the router", refused)
				}
			})
		}
	}
}

// checkCodexRecords checks the router's records of a run of TestCodexCLI
// on model: n requests served by its deployment (the code-agent route's
// gpt-5.3-codex), each with tokens and a cost, and none refused.
func checkCodexRecords(t *testing.T, e *env, model string, n int) {
	t.Helper()
	dep, route := model, ""
	if model == demo.CodeAgentRoute {
		dep, route = "gpt-5.3-codex", model
	}
	served := func(r record.Record) bool { return r.Status == http.StatusOK }
	got, recs := e.recordedWhere(t, n, served)
	if got != n || len(recs) != n {
		t.Errorf("%d requests served of %d, want %d", got, len(recs), n)
	}
	for _, r := range recs {
		if !served(r) || r.Deployment != dep || r.Route != route {
			t.Errorf("a request of the Codex CLI was answered %d (%s %s) by %q on route %q, want %s on %q", r.Status, r.ErrorKind, r.ErrorCode, r.Deployment, r.Route, dep, route)
		}
		if r.Usage.PromptTokens <= 0 || r.Usage.CompletionTokens <= 0 || r.CostUSD <= 0 {
			t.Errorf("record of %s: usage %+v, cost %v", r.Deployment, r.Usage, r.CostUSD)
		}
	}
}
