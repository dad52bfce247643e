package demo

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"switchyard/llm"
	simserver "switchyard/sim/server"
)

// This file writes the demo's configuration as the text of a
// configuration file: `switchyard serve --demo` serves it as its version
// 1, so that GET, PUT (with dry_run) and rollback of /admin/config work
// in the demo as with a file (docs/admin-api.md). It is the same
// configuration Config, AddLearned and AddGuard build in Go (a test keeps
// them equal), with an allowlist of the simulated providers' address.

// autoRoute is demoRoutes' routes in YAML.
const autoRoute = `  auto:
    description: "Routes by category: small talk to a fast model, code to a strong one, math to a math-strong one"
    deployments: [gpt-4o-mini, claude-haiku-4-5, gemini-2.5-flash, gpt-4o, claude-sonnet-4-5, o3-mini, gemini-2.5-pro]
    strategy: balanced
    max_cost_per_request: 0.25
    categories:
      chat:
        deployments: [gpt-4o-mini, claude-haiku-4-5, gemini-2.5-flash, claude-sonnet-4-5]
        strategy: ordered
      factual: {prefer: [gemini-2.5-flash]}
      summarization: {prefer: [claude-haiku-4-5]}
      extraction: {prefer: [gpt-4o], require: [json_schema]}
      code: {prefer: [claude-sonnet-4-5], require: [code]}
      reasoning: {prefer: [o3-mini], require: [math]}
      creative: {split: {claude-sonnet-4-5: 70, gpt-4o: 30}}
    rules:
      - {name: non-english-to-multilingual, when: {language: non-english}, require: [multilingual]}
      - {name: first-turn-fast, when: {turn: first, category: chat}, prefer: [gpt-4o-mini]}
      - {name: later-turns-capable, when: {turn: later, category: chat}, prefer: [claude-sonnet-4-5]}
  embed:
    description: Embeddings
    deployments: [text-embedding-3-small, gemini-embedding-001]
  code-agent:
    description: "` + codeAgentDescription + `"
    deployments: [gpt-5.3-codex]
`

// YAML returns the demo configuration — Config(simAddr, "") with
// AddLearned and AddGuard — as a configuration file's text, recording
// requests to the SQLite file storePath, with security.upstream_hosts
// allowing only the simulated providers' address.
func YAML(simAddr, storePath string) []byte {
	var b strings.Builder
	b.WriteString("# The demo's configuration (switchyard serve --demo): simulated providers on " + simAddr + ".\n")
	b.WriteString("# Change it with PUT /admin/config (docs/admin-api.md); its versions are kept in the demo's store.\n")
	b.WriteString("providers:\n")
	for _, w := range []simserver.Wire{simserver.OpenAI, simserver.Azure, simserver.Anthropic, simserver.Gemini} {
		tier := ""
		if w == simserver.OpenAI {
			tier = ", service_tier: send" // it takes service_tier as api.openai.com does
		}
		fmt.Fprintf(&b, "  %s: {kind: %s, base_url: %q, api_key: sim-key%s}\n", w, w, simserver.BaseURL(simAddr, w), tier)
	}
	b.WriteString("deployments:\n")
	for _, d := range demoDeployments {
		fmt.Fprintf(&b, "  %s:\n    provider: %s\n    model: %s\n", d.name, d.provider, d.model)
		if !isMedia(d.caps) { // a media model is priced by the catalog's media table, per image, character or second
			fmt.Fprintf(&b, "    price: {input: %s, output: %s, cached_input: %s", num(d.in), num(d.out), num(d.cached))
			if d.write > 0 {
				fmt.Fprintf(&b, ", cache_write: %s", num(d.write))
			}
			b.WriteString("}\n")
		}
		if d.window > 0 {
			fmt.Fprintf(&b, "    context_window: %d\n", d.window)
		}
		if d.maxOut > 0 {
			fmt.Fprintf(&b, "    max_output_tokens: %d\n", d.maxOut)
		}
		withBatch := withBatch(d)
		caps := make([]string, len(withBatch))
		for i, c := range withBatch {
			caps[i] = string(c)
		}
		fmt.Fprintf(&b, "    capabilities: [%s]\n", strings.Join(caps, ", "))
		if d.quality > 0 {
			fmt.Fprintf(&b, "    quality: %s\n", num(d.quality))
		}
		if d.ttftMS > 0 || d.tps > 0 {
			fmt.Fprintf(&b, "    latency: {ttft: %s, tokens_per_second: %s}\n", time.Duration(d.ttftMS*float64(time.Millisecond)), num(d.tps))
		}
	}
	b.WriteString("routes:\n" + autoRoute)
	fmt.Fprintf(&b, "  %s:\n    description: %q\n    deployments: [%s, %s]\n    strategy: best\n    adaptive: {enabled: true, lambda: %s, explore: %s, min_outcomes: %d}\n",
		LearnedRoute, learnedDescription, learnedDear, learnedCheap, num(learnedLambda), num(learnedExplore), learnedMinOutcomes)
	b.WriteString("guard:\n  injection: {action: flag}\n  output: {links: keep, system_prompt_leak: flag}\n")
	b.WriteString("batches: {poll_interval: 1s}\n")
	fmt.Fprintf(&b, "store: {driver: sqlite, path: %q}\n", storePath)
	fmt.Fprintf(&b, "security:\n  upstream_hosts: [%q]\n", simAddr)
	return []byte(b.String())
}

// num writes f as YAML does, without a trailing ".0".
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// isMedia reports capabilities of a media deployment: images, speech or
// transcription.
func isMedia(caps []llm.Capability) bool {
	for _, c := range caps {
		switch c {
		case llm.CapImages, llm.CapSpeech, llm.CapTranscription:
			return true
		}
	}
	return false
}
