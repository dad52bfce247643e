package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/demo"
	"switchyard/server"
	simserver "switchyard/sim/server"
)

// liveExplainConfig is the configuration both the offline explain and
// the live router run: a code-agent route on a Responses-only model, a
// route whose Gemini 2.5 deployment leaves optional hosted tools out,
// an OpenAI reasoning model declaring the efforts it takes.
const liveExplainConfig = `providers:
  openai: {kind: openai, base_url: "OPENAI", api_key: sim-key}
  anthropic: {kind: anthropic, base_url: "ANTHROPIC", api_key: sim-key}
  gemini: {kind: gemini, base_url: "GEMINI", api_key: sim-key}
deployments:
  gpt-5.3-codex: {provider: openai, price: {input: 1.75, output: 14}, quality: 0.9}
  gpt-4o: {provider: openai, price: {input: 2.5, output: 10}, quality: 0.9}
  o3-mini: {provider: openai, price: {input: 1.1, output: 4.4}, quality: 0.9, reasoning_efforts: [low, high]}
  claude-sonnet-4-5: {provider: anthropic, price: {input: 3, output: 15}, quality: 0.8}
  gemini-2.5-flash: {provider: gemini, price: {input: 0.3, output: 2.5}, quality: 0.7}
routes:
  code-agent: {deployments: [gpt-5.3-codex]}
  mixed: {deployments: [gpt-4o, claude-sonnet-4-5], strategy: ordered}
  search: {deployments: [gemini-2.5-flash], hosted_tools: drop_optional}
  effort: {deployments: [o3-mini]}
`

// liveCase is a request of api (chat, responses, messages) and a mark
// its x-switchyard-route must hold.
type liveCase struct {
	name, api, body, want string
}

var liveCases = []liveCase{
	{"chat", apiChat, `{"model":"mixed","messages":[{"role":"user","content":"Hello there"}]}`, "deployment=gpt-4o"},
	{"code agent", apiResponses, `{"model":"code-agent","input":"Fix the failing test","tools":[{"type":"function","name":"shell","parameters":{"type":"object","properties":{}}},{"type":"web_search"}]}`, "deployment=gpt-5.3-codex; api=responses"},
	{"hosted on auto api", apiResponses, `{"model":"mixed","input":"What is the weather in Paris today?","tools":[{"type":"web_search"}]}`, "deployment=gpt-4o; api=responses"},
	{"hosted dropped", apiResponses, `{"model":"search","input":"Find the release notes","tools":[{"type":"function","name":"shell","parameters":{"type":"object","properties":{}}},{"type":"web_search"}]}`, "dropped=web_search"},
	{"effort mapped", apiChat, `{"model":"effort","reasoning_effort":"medium","messages":[{"role":"user","content":"Prove that 17 is prime"}]}`, "dropped=reasoning_effort"},
	{"messages effort", apiMessages, `{"model":"mixed","max_tokens":512,"output_config":{"effort":"high"},"messages":[{"role":"user","content":"Hello there"}]}`, "deployment=gpt-4o; attempt=1; dropped=effort"},
}

// livePaths are the router's endpoints of each API.
var livePaths = map[string]string{apiChat: "/v1/chat/completions", apiResponses: "/v1/responses", apiMessages: "/v1/messages"}

// TestRouteExplainMatchesLive: for each request, the x-switchyard-route
// `route explain --api … --request FILE` prints is the one the live
// router answers the same request with, on the same configuration and
// the simulated providers, so the offline explanation cannot drift from
// the router's: api=responses, hosted tools dropped, efforts mapped.
func TestRouteExplainMatchesLive(t *testing.T) {
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	dir := t.TempDir()
	path := filepath.Join(dir, "switchyard.yaml")
	yaml := strings.NewReplacer("OPENAI", simserver.BaseURL(simAddr, simserver.OpenAI),
		"ANTHROPIC", simserver.BaseURL(simAddr, simserver.Anthropic), "GEMINI", simserver.BaseURL(simAddr, simserver.Gemini)).Replace(liveExplainConfig)
	if err := writeFile(path, yaml); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := server.NewRouter(cfg, server.RouterOptions{Logger: slog.New(slog.DiscardHandler), NoRequestLog: true})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(r)
	defer ts.Close()
	for _, tc := range liveCases {
		live := liveRoute(t, ts, tc)
		offline := offlineRoute(t, dir, path, tc)
		if offline != live {
			t.Errorf("%s: route explain says\n  %s\nthe router answered\n  %s", tc.name, offline, live)
		}
		if !strings.Contains(live, tc.want) {
			t.Errorf("%s: x-switchyard-route %q lacks %q", tc.name, live, tc.want)
		}
	}
}

// liveRoute sends tc to the router and returns its x-switchyard-route.
func liveRoute(t *testing.T, ts *httptest.Server, tc liveCase) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, ts.URL+livePaths[tc.api], strings.NewReader(tc.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("anthropic-version", "2023-06-01")
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", tc.name, resp.StatusCode, b)
	}
	return resp.Header.Get("x-switchyard-route")
}

// offlineRoute runs route explain on tc's body and returns the
// x-switchyard-route its header line shows.
func offlineRoute(t *testing.T, dir, path string, tc liveCase) string {
	t.Helper()
	body := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".json")
	if err := os.WriteFile(body, []byte(tc.body), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"route", "explain", "--config", path, "--api", tc.api, "--request", body}, &out, &errb); code != 0 {
		t.Fatalf("%s: exit %d: %s", tc.name, code, errb.String())
	}
	const label = "header:    x-switchyard-route: "
	for _, line := range strings.Split(out.String(), "\n") {
		if s, ok := strings.CutPrefix(line, label); ok {
			return s
		}
	}
	t.Fatalf("%s: no header line:\n%s", tc.name, out.String())
	return ""
}

// TestRouteExplainPromptShape: a prompt with --api, --tools and --effort
// is the request of that API the flags describe, decided as the router
// decides it; the flags that describe the request are refused beside
// --request, which does, and --tools off the Responses API.
func TestRouteExplainPromptShape(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "switchyard.yaml")
	yaml := strings.NewReplacer("OPENAI", "http://127.0.0.1:9/v1", "ANTHROPIC", "http://127.0.0.1:9", "GEMINI", "http://127.0.0.1:9").Replace(liveExplainConfig)
	if err := writeFile(path, yaml); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--model", "mixed", "--api", "responses", "--tools", "web_search"}, "deployment=gpt-4o; api=responses; attempt=1"},
		{[]string{"--model", "mixed", "--api", "responses"}, "deployment=gpt-4o; attempt=1"},
		{[]string{"--model", "code-agent", "--api", "responses", "--tools", "web_search,file_search"}, "deployment=gpt-5.3-codex; api=responses; attempt=1"},
		{[]string{"--model", "effort", "--effort", "medium"}, "deployment=o3-mini; attempt=1; dropped=reasoning_effort"},
		{[]string{"--model", "effort", "--effort", "high"}, "deployment=o3-mini; attempt=1"},
		{[]string{"--model", "mixed", "--api", "messages", "--effort", "high"}, "deployment=gpt-4o; attempt=1; dropped=effort"},
	} {
		var out, errb bytes.Buffer
		args := append(append([]string{"route", "explain", "--config", path}, tc.args...), "Look up the weather in Paris")
		if code := run(args, &out, &errb); code != 0 {
			t.Fatalf("%q: exit %d: %s", tc.args, code, errb.String())
		}
		if !strings.Contains(out.String(), tc.want+"\n") {
			t.Errorf("%q: header lacks %q:\n%s", tc.args, tc.want, out.String())
		}
	}
	body := filepath.Join(dir, "req.json")
	if err := writeFile(body, `{"model":"mixed","messages":[{"role":"user","content":"hi"}]}`); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--tools", "web_search", "hi"},
		{"--api", "messages", "--tools", "web_search", "hi"},
		{"--api", "completions", "hi"},
		{"--request", body, "hi"},
		{"--request", body, "--effort", "high"},
		{"--request", body, "--max-tokens", "10"},
		{},
	} {
		var out, errb bytes.Buffer
		if code := run(append([]string{"route", "explain", "--config", path}, args...), &out, &errb); code != 2 {
			t.Errorf("%q: exit %d, want 2: %s", args, code, errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := run([]string{"route", "explain", "--config", path, "--api", "responses", "--request", body}, &out, &errb); code != 1 || !strings.Contains(errb.String(), body) {
		t.Errorf("a chat body as a Responses request: exit %d: %s", code, errb.String())
	}
}
