package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/demo"
)

// This file runs the real opencode CLI (npm opencode-ai, pinned in
// e2e/opencode/package.json, its native binary from the platform package
// npm installs beside it) against the router: `opencode run --format
// json`, with the router as three providers of its opencode.json, one per
// AI SDK package opencode speaks through — @ai-sdk/openai-compatible
// (Chat Completions), @ai-sdk/openai (the Responses API) and
// @ai-sdk/anthropic (Messages) — each on a deployment of every upstream
// kind. Its proxy variables point at the Claude Code CLI test's
// egressProxy, which forwards the router's traffic and refuses every
// other host.
//
// Left alone, opencode reaches for three other hosts, each stopped here:
// its model catalogue (models.opencode.ai; OPENCODE_DISABLE_MODELS_FETCH),
// the npm registry, to install @opencode-ai/plugin in every config
// directory that lacks it (a node_modules there, and the package named in
// both its package.json and package-lock.json, as e2e/opencode's are), and
// github.com, to download ripgrep for its glob and grep tools when there
// is no rg on PATH (so the tool loop uses its read tool).

// opencodePlatform names the npm platform packages of opencode's native
// binary for GOOS/GOARCH, in the order they are tried (npm installs those
// that fit the machine's libc and CPU).
var opencodePlatform = map[string][]string{
	"linux/amd64":  {"opencode-linux-x64", "opencode-linux-x64-baseline", "opencode-linux-x64-musl", "opencode-linux-x64-baseline-musl"},
	"linux/arm64":  {"opencode-linux-arm64", "opencode-linux-arm64-musl"},
	"darwin/amd64": {"opencode-darwin-x64", "opencode-darwin-x64-baseline"},
	"darwin/arm64": {"opencode-darwin-arm64"},
}

// opencodeOrSkip returns the path of opencode's native binary that `npm
// ci` installs in e2e/opencode; outside CI it skips when there is none.
func opencodeOrSkip(t *testing.T) string {
	t.Helper()
	var missing []string
	for _, pkg := range opencodePlatform[runtime.GOOS+"/"+runtime.GOARCH] {
		bin := filepath.Join("opencode", "node_modules", pkg, "bin", "opencode")
		if _, err := os.Stat(bin); err != nil {
			missing = append(missing, bin)
			continue
		}
		abs, err := filepath.Abs(bin)
		if err != nil {
			t.Fatal(err)
		}
		return abs
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("the opencode CLI cannot run in CI: none of %q is there (run 'cd e2e/opencode && npm ci')", missing)
	}
	t.Skipf("the opencode CLI is not installed (none of %q); run 'cd e2e/opencode && npm ci'", missing)
	return ""
}

// opencodeProvider is one of the router's providers in opencode.json: the
// AI SDK package that speaks to it and the router's path it posts to.
type opencodeProvider struct {
	id, npm, path string
}

// opencodeProviders are the router as each AI SDK package opencode talks
// through.
var opencodeProviders = []opencodeProvider{
	{"switchyard-chat", "@ai-sdk/openai-compatible", "/v1/chat/completions"},
	{"switchyard-responses", "@ai-sdk/openai", "/v1/responses"},
	{"switchyard-messages", "@ai-sdk/anthropic", "/v1/messages"},
}

// opencodeConfig is the opencode.json of a run against the router at
// base: every provider of opencodeProviders with the API key the demo
// takes, each offering models (deployments, or routes to one) with the
// context window and output limit of the deployment in cfg (opencode
// asks for 32000 output tokens of a model it has no limit for, more than
// gpt-4o-mini writes: the router refuses that as OpenAI does); no other
// provider, no update, no sharing.
func opencodeConfig(t *testing.T, cfg *config.Config, base string, models []string) []byte {
	t.Helper()
	limits := map[string]any{}
	for _, m := range models {
		d := cfg.Deployments[m]
		if r, ok := cfg.Routes[m]; ok {
			d = cfg.Deployments[r.Deployments[0]]
		}
		limits[m] = map[string]any{"limit": map[string]int{"context": d.ContextWindow, "output": d.MaxOutputTokens}}
	}
	providers := map[string]any{}
	var ids []string
	for _, p := range opencodeProviders {
		ids = append(ids, p.id)
		providers[p.id] = map[string]any{
			"npm":     p.npm,
			"name":    "Switchyard (" + p.npm + ")",
			"options": map[string]string{"baseURL": base + "/v1", "apiKey": "demo-key"},
			"models":  limits,
		}
	}
	out, err := json.MarshalIndent(map[string]any{
		"$schema":           "https://opencode.ai/config.json",
		"autoupdate":        false,
		"share":             "disabled",
		"enabled_providers": ids,
		"provider":          providers,
	}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// opencodeHome makes a HOME for one run of opencode: its XDG directories
// in it, the config directory holding opencode.json, and e2e/opencode's
// package.json, package-lock.json and node_modules, where opencode finds
// the @opencode-ai/plugin it would otherwise install from the registry.
func opencodeHome(t *testing.T, cfg []byte) (home string) {
	t.Helper()
	home = t.TempDir()
	dir := filepath.Join(home, ".config", "opencode")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "opencode.json"), cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"package.json", "package-lock.json"} {
		b, err := os.ReadFile(filepath.Join("opencode", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	modules, err := filepath.Abs(filepath.Join("opencode", "node_modules"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(modules, filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	return home
}

// opencodeEnv is the whole environment opencode runs with: HOME and the
// XDG directories in home, no model catalogue fetched, no update, no LSP
// download, and the proxy for every host, the router's included.
func opencodeEnv(home, proxy string) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"XDG_STATE_HOME=" + filepath.Join(home, ".local", "state"),
		"OPENCODE_DISABLE_MODELS_FETCH=1",
		"OPENCODE_DISABLE_AUTOUPDATE=1",
		"OPENCODE_DISABLE_LSP_DOWNLOAD=1",
		"HTTP_PROXY=" + proxy, "HTTPS_PROXY=" + proxy, "NO_PROXY=",
		"http_proxy=" + proxy, "https_proxy=" + proxy, "no_proxy=",
	}
}

// opencodeEvent is one line of `opencode run --format json`, as far as
// the tests read it: a step's start and finish (its reason and tokens), a
// text part, a tool part, an error.
type opencodeEvent struct {
	Type string `json:"type"`
	Part struct {
		Type   string `json:"type"`
		Text   string `json:"text"`
		Tool   string `json:"tool"`
		Reason string `json:"reason"`
		State  struct {
			Status string `json:"status"`
			Output string `json:"output"`
			Error  string `json:"error"`
		} `json:"state"`
		Tokens struct {
			Input, Output, Reasoning int
			Cache                    struct{ Read, Write int }
		} `json:"tokens"`
	} `json:"part"`
	Error json.RawMessage `json:"error"`
}

// runOpencode runs `opencode run --format json` on model (provider/model)
// with prompt in work, bounded by a minute (a hang's bound, not a timing
// check), and returns its events. --title keeps it from asking the model
// for a title on the side, a request that may or may not be made before
// the run ends.
func runOpencode(t *testing.T, bin, work string, env []string, model, prompt string) []opencodeEvent {
	t.Helper()
	out := runAgentCLI(t, "opencode run -m "+model, work, env, bin, "run", "--format", "json", "--title", "e2e", "-m", model, prompt)
	return jsonLines[opencodeEvent](t, "opencode run", out)
}

// opencodeSteps checks a run's events: no error, its steps finished for
// reasons (tool-calls, then stop) each with tokens in and out; it returns
// the text of the last step and the output of each tool run.
func opencodeSteps(t *testing.T, evs []opencodeEvent, reasons ...string) (answer string, tools map[string]string) {
	t.Helper()
	var got []string
	tools = map[string]string{}
	for _, ev := range evs {
		switch ev.Type {
		case "error":
			t.Errorf("opencode reported an error: %s", ev.Error)
		case "step_start":
			answer = ""
		case "text":
			answer += ev.Part.Text
		case "tool_use":
			if ev.Part.State.Status != "completed" {
				t.Errorf("tool %s: %s %s", ev.Part.Tool, ev.Part.State.Status, ev.Part.State.Error)
			}
			tools[ev.Part.Tool] = ev.Part.State.Output
		case "step_finish":
			got = append(got, ev.Part.Reason)
			tk := ev.Part.Tokens
			if tk.Input+tk.Cache.Read+tk.Cache.Write <= 0 || tk.Output <= 0 {
				t.Errorf("step finished (%s) with tokens %+v", ev.Part.Reason, tk)
			}
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(reasons) || strings.TrimSpace(answer) == "" {
		t.Fatalf("steps finished %q, want %q; answer %q", got, reasons, answer)
	}
	return answer, tools
}

// opencodeTargets pairs each of opencode's providers (the router's three
// client APIs) with two targets, every upstream kind and the demo's
// code-agent route (gpt-5.3-codex, on OpenAI's Responses API) among them
// and each API with an upstream of another kind. Every pair, 15 runs of a
// native CLI, cost over three minutes of the loaded suite for no client
// path these six do not take; each API's translation to every kind is
// the SDK tests' work. Each runs the tool loop; the first of each
// provider also a one-shot prompt (oneShot): opencode sends the same
// request, tools and all, whatever the prompt, so the one-shot's request
// is the tool loop's first but for its text (a run costs ~6 CPU-s).
var opencodeTargets = []struct {
	provider, model string
	oneShot         bool
}{
	{"switchyard-chat", "gpt-4o-mini", true},
	{"switchyard-chat", "gemini-2.5-flash", false},
	{"switchyard-responses", "azure-gpt-4o-mini", true},
	{"switchyard-responses", demo.CodeAgentRoute, false},
	{"switchyard-messages", "claude-haiku-4-5", true},
	{"switchyard-messages", "gpt-4o-mini", false},
}

// TestOpenCodeCLI runs opencode against the router as each of its three
// providers (opencodeTargets): a one-shot prompt answered (oneShot
// targets), then a tool loop — the simulated model calls the read tool
// the prompt names, with "example" for its filePath (and 7 for its offset
// and limit), so opencode reads lines 7 to 12 of the file example in its
// working directory, and the model answers quoting them. Every request
// goes through the proxy to the router, which records it served by the
// deployment with tokens and a cost; the proxy refuses none.
func TestOpenCodeCLI(t *testing.T) {
	t.Parallel()
	bin := opencodeOrSkip(t)
	models := append(slices.Clip(chatDeployments), demo.CodeAgentRoute)
	for _, target := range opencodeTargets {
		p, model := opencodeProviderOf(t, target.provider), target.model
		t.Run(p.id+"/"+model, func(t *testing.T) {
			t.Parallel()
			var cfg *config.Config
			e := newEnv(t, func(c *config.Config) { cfg = c })
			px := newEgressProxy(t, e.URL)
			env := opencodeEnv(opencodeHome(t, opencodeConfig(t, cfg, e.URL, models)), px.URL)
			work := t.TempDir()
			var notes strings.Builder
			for i := 1; i <= 12; i++ {
				fmt.Fprintf(&notes, "note %d\n", i)
			}
			if err := os.WriteFile(filepath.Join(work, "example"), []byte(notes.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			run := func(prompt string, reasons ...string) (string, map[string]string) {
				from := e.recordCount(t)
				answer, tools := opencodeSteps(t, runOpencode(t, bin, work, env, p.id+"/"+model, prompt), reasons...)
				checkOpencodeRouted(t, e, px, p.path, from, len(reasons), model)
				return answer, tools
			}
			if target.oneShot {
				if answer, _ := run("Say hello", "stop"); !strings.Contains(answer, "Say hello") {
					t.Errorf("answer %q is not the simulated model's to the prompt", answer)
				}
			}
			answer, tools := run("Show my notes with the read tool", "tool-calls", "stop")
			if read, ok := tools["read"]; !ok || !strings.Contains(read, "12: note 12") || strings.Contains(read, "6: note 6") {
				t.Errorf("the read tool ran %v, its output %q, want lines 7 to 12 of example", ok, read)
			}
			if !strings.Contains(answer, "7: note 7") { // the simulator quotes 200 characters of it
				t.Errorf("tool loop answer %q does not quote the tool's result", answer)
			}
		})
	}
}

// opencodeProviderOf is the opencodeProviders entry of id.
func opencodeProviderOf(t *testing.T, id string) opencodeProvider {
	for _, p := range opencodeProviders {
		if p.id == id {
			return p
		}
	}
	t.Fatalf("no opencode provider %s", id)
	return opencodeProvider{}
}

// checkOpencodeRouted checks a run's traffic: n requests, each a POST to
// path through the proxy (which refused none), and each recorded since
// from as served by model's deployment (the code-agent route's
// gpt-5.3-codex) with tokens and a cost.
func checkOpencodeRouted(t *testing.T, e *env, px *egressProxy, path string, from, n int, model string) {
	t.Helper()
	deployment, route := model, ""
	if model == demo.CodeAgentRoute {
		deployment, route = "gpt-5.3-codex", model
	}
	forwarded, refused := px.take()
	if len(refused) > 0 {
		t.Errorf("opencode asked for hosts other than the router: %q", refused)
	}
	if len(forwarded) != n {
		t.Errorf("through the proxy to the router: %q, want %d POST %s", forwarded, n, path)
	}
	for _, f := range forwarded {
		if f != "POST "+path {
			t.Errorf("opencode sent %s, want POST %s", f, path)
		}
	}
	for _, rec := range e.recorded(t, from+n)[from:] {
		if rec.Deployment != deployment || rec.Route != route || rec.Status != 200 || rec.Usage.PromptTokens <= 0 || rec.Usage.CompletionTokens <= 0 || rec.CostUSD <= 0 {
			t.Errorf("recorded: deployment %q on route %q (want %q on %q), status %d (%s %s), usage %+v, cost %v", rec.Deployment, rec.Route, deployment, route, rec.Status, rec.ErrorKind, rec.ErrorCode, rec.Usage, rec.CostUSD)
		}
	}
}
