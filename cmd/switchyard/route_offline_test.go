package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// Offline, route explain cannot know what a live router learned of a
// compatible host's /responses route (no_responses_route): it says so
// for a candidate the request would send to the Responses API on such a
// host, and not for OpenAI's own host, a Chat request or a deployment
// whose api is set.
func TestRouteExplainOfflineResponsesRouteUnknown(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "switchyard.yaml")
	if err := writeFile(cfgPath, `providers:
  openai: {kind: openai, api_key: k}
  vllm: {kind: openai, base_url: "http://127.0.0.1:9/v1", api_key: k}
deployments:
  gpt-4o: {provider: openai, price: {input: 2.5, output: 10}}
  local: {provider: vllm, model: gpt-4o, price: {input: 0.1, output: 0.1}}
  local-pinned: {provider: vllm, model: gpt-4o, api: responses, price: {input: 0.1, output: 0.1}}
routes:
  hosted: {deployments: [local, gpt-4o], strategy: ordered}
  pinned: {deployments: [local-pinned]}
`); err != nil {
		t.Fatal(err)
	}
	explain := func(args ...string) (string, string) {
		t.Helper()
		var out, errb bytes.Buffer
		if code := run(append([]string{"route", "explain", "--config", cfgPath}, args...), &out, &errb); code != 0 {
			t.Fatalf("route explain %v: exit %d\n%s%s", args, code, out.String(), errb.String())
		}
		return out.String(), errb.String()
	}
	const note = "not known offline"
	out, _ := explain("--api", "responses", "--tools", "web_search", "--model", "hosted", "What is the weather?")
	if !strings.Contains(out, note) || !strings.Contains(out, "local") || strings.Contains(noteLine(out, note), "gpt-4o") {
		t.Errorf("hosted tools on a compatible host: no note naming local alone\n%s", out)
	}
	_, errOut := explain("--api", "responses", "--tools", "web_search", "--model", "hosted", "--json", "What is the weather?")
	if !strings.Contains(errOut, note) {
		t.Errorf("--json: no note on stderr\n%s", errOut)
	}
	for _, args := range [][]string{
		{"--model", "hosted", "Hello"},                                                               // Chat: no /responses call
		{"--api", "responses", "--model", "pinned", "Hello"},                                         // api: responses, never moved to Chat
		{"--api", "responses", "--pin", "gpt-4o", "--no-fallback", "--tools", "web_search", "Hello"}, // OpenAI's host
	} {
		if out, errOut := explain(args...); strings.Contains(out+errOut, note) {
			t.Errorf("%v: note where none applies\n%s%s", args, out, errOut)
		}
	}
}

// noteLine returns the line of s holding note.
func noteLine(s, note string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, note) {
			return l
		}
	}
	return ""
}
