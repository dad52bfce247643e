package e2e

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// This file runs the real Qwen Code CLI (npm @qwen-code/qwen-code, pinned
// in e2e/qwencode/package.json) against the router's Chat Completions and
// Responses APIs: `qwen -p` with its JSON and stream-json output, on a
// deployment of every upstream kind, in a working directory and HOME of
// its own. Its proxy variables point at the loopback egressProxy of the
// Claude Code CLI's test, which refuses and records every host asked for;
// the router is reached directly (NO_PROXY), as the CLI tunnels even
// plain-HTTP requests through a proxy with CONNECT, which that proxy
// refuses.

// qwenCLI is the Qwen Code CLI `npm ci` installs in e2e/qwencode: its
// entry script, run by Node 22 (the package's engines), the one e2e/node
// installs where it can (nodePath).
type qwenCLI struct{ node, entry string }

// qwenCLIOrSkip returns the CLI; outside CI it skips when it is not
// there.
func qwenCLIOrSkip(t *testing.T) qwenCLI {
	t.Helper()
	entry, err := filepath.Abs(filepath.Join("qwencode", "node_modules", "@qwen-code", "qwen-code", "cli-entry.js"))
	if err == nil {
		_, err = os.Stat(entry)
	}
	var node string
	if err == nil {
		node, err = nodePath()
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the Qwen Code CLI test cannot run in CI: %v (run 'npm ci' in e2e/qwencode and e2e/node)", err)
		}
		t.Skipf("the Qwen Code CLI is not installed (%v); run 'cd e2e/qwencode && npm ci'", err)
	}
	return qwenCLI{node, entry}
}

// qwenSettings is the CLI's ~/.qwen/settings.json: OpenAI-compatible
// authentication (the key and base URL from OPENAI_API_KEY and
// OPENAI_BASE_URL), and off every background use of the network or of
// the model: usage statistics (sent to gb4w8c3ygj-default-sea.rum.aliyuncs.com
// unless privacy.usageStatisticsEnabled is false), telemetry, the update
// check, web search, and the memory agents that run after each prompt
// (more model calls of their own, with tools); ripgrep off, as the
// package ships its binary without the executable bit.
const qwenSettings = `{
  "security": {"auth": {"selectedType": "openai"}},
  "privacy": {"usageStatisticsEnabled": false},
  "telemetry": {"enabled": false},
  "general": {"enableAutoUpdate": false, "disableAutoUpdate": true, "disableUpdateNag": true},
  "tools": {"useRipgrep": false, "webSearch": {"enabled": false}},
  "memory": {"enableManagedAutoMemory": false, "enableManagedAutoDream": false}
}`

// qwenCLIEnv is the whole environment the CLI runs with: HOME (with
// qwenSettings), the router as its OpenAI API with the demo key and
// model (newQwenRun adds it as its Anthropic API, ANTHROPIC_BASE_URL,
// for --auth-type anthropic), usage statistics off once more
// (QWEN_USAGE_STATISTICS_ENABLED wins over the settings), and proxy for
// every host but the router's; extra is added last.
func qwenCLIEnv(t *testing.T, home, routerURL, proxy, model string, extra ...string) []string {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(home, ".qwen"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".qwen", "settings.json"), []byte(qwenSettings), 0o600); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(routerURL)
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"OPENAI_BASE_URL=" + routerURL + "/v1",
		"OPENAI_API_KEY=demo-key",
		"OPENAI_MODEL=" + model,
		"QWEN_USAGE_STATISTICS_ENABLED=false",
		"HTTP_PROXY=" + proxy, "HTTPS_PROXY=" + proxy, "NO_PROXY=" + u.Hostname(),
		"http_proxy=" + proxy, "https_proxy=" + proxy, "no_proxy=" + u.Hostname(),
	}, extra...)
}

// runQwenCLI runs `qwen -p prompt` with args in dir and env, bounded by a
// minute (a hang's bound, not a timing check), and returns its standard
// output; the CLI failing fails the test with its output.
func runQwenCLI(t *testing.T, cli qwenCLI, dir string, env []string, prompt string, args ...string) []byte {
	t.Helper()
	return runAgentCLI(t, "qwen "+strings.Join(args, " "), dir, env, cli.node, append([]string{cli.entry, "-p", prompt}, args...)...)
}

// qwenEvent is a message of the CLI's json (an array of them) and
// stream-json (one a line) output: the init, an assistant or user
// message (a tool's result), a stream_event (with
// --include-partial-messages), the result.
type qwenEvent struct {
	claudeCLIEvent // the CLI writes Claude Code's events
	// The result's.
	IsError  bool   `json:"is_error"`
	Result   string `json:"result"`
	NumTurns int    `json:"num_turns"`
	Usage    struct {
		InputTokens  int `json:"input_tokens"`
		OutputTokens int `json:"output_tokens"`
	} `json:"usage"`
	Error *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// qwenEvents reads the CLI's output, a JSON array (json) or a line per
// event (stream-json), and returns its events and its result, the last.
func qwenEvents(t *testing.T, out []byte) ([]qwenEvent, qwenEvent) {
	t.Helper()
	var events []qwenEvent
	if trimmed := bytes.TrimSpace(out); bytes.HasPrefix(trimmed, []byte("[")) {
		if err := json.Unmarshal(trimmed, &events); err != nil {
			t.Fatalf("--output-format json: %v: %.1000s", err, out)
		}
	} else {
		events = jsonLines[qwenEvent](t, "--output-format stream-json", out)
	}
	if len(events) == 0 || events[len(events)-1].Type != "result" {
		t.Fatalf("the output does not end with the result: %.2000s", out)
	}
	return events, events[len(events)-1]
}
