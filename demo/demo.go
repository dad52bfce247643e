// Package demo is the no-keys demo setup: simulated OpenAI, Azure,
// Anthropic and Gemini providers and a configuration that routes across
// them. `switchyard serve --demo`, the end-to-end tests and the examples
// in the README use it.
package demo

import (
	"slices"
	"time"

	"switchyard/config"
	"switchyard/llm"
	simserver "switchyard/sim/server"
)

// demoDeployment is one simulated model with its price (USD per 1M tokens,
// list prices of the real model it imitates: input, output, cached input
// reads and, for Anthropic's models, 5-minute cache writes; zero means
// unset), capabilities, and the quality and speed its simulated twin has
// (sim/server DemoCatalogs).
type demoDeployment struct {
	name, provider, model  string
	in, out, cached, write float64
	window, maxOut         int
	caps                   []llm.Capability
	quality                float64
	ttftMS, tps            float64
}

var (
	chatCaps      = []llm.Capability{llm.CapTools, llm.CapJSONMode, llm.CapJSONSchema, llm.CapVision, llm.CapStreaming, llm.CapCode, llm.CapMultilingual}
	reasoningCaps = []llm.Capability{llm.CapTools, llm.CapJSONMode, llm.CapJSONSchema, llm.CapStreaming, llm.CapReasoning, llm.CapMath, llm.CapCode}
	embedCaps     = []llm.Capability{llm.CapEmbeddings}
	// moderationCaps: omni-moderation classifies images too.
	moderationCaps = []llm.Capability{llm.CapModeration, llm.CapVision}
	// The media models: priced by the media table (per image, character,
	// second), not by token prices.
	imageCaps         = []llm.Capability{llm.CapImages}
	speechCaps        = []llm.Capability{llm.CapSpeech}
	transcriptionCaps = []llm.Capability{llm.CapTranscription}
	// completionsCaps: a completions-only model, which answers POST
	// /v1/completions on its own endpoint and no chat.
	completionsCaps = []llm.Capability{llm.CapCompletions}
	// realtimeCaps: a Realtime API model (GET /v1/realtime), priced by
	// the catalog's text, audio and cached prices.
	realtimeCaps = []llm.Capability{llm.CapRealtime}
	// codexCaps: a coding model OpenAI serves only on the Responses API
	// (its api left to the model: the adapter calls POST /v1/responses).
	codexCaps = []llm.Capability{llm.CapTools, llm.CapJSONMode, llm.CapJSONSchema, llm.CapStreaming, llm.CapReasoning, llm.CapCode}
)

var demoDeployments = []demoDeployment{
	{"gpt-4o", "openai", "gpt-4o", 2.50, 10.00, 1.25, 0, 128000, 16384, chatCaps, 0.9, 450, 90},
	{"gpt-4o-mini", "openai", "gpt-4o-mini", 0.15, 0.60, 0.075, 0, 128000, 16384, chatCaps, 0.75, 250, 160},
	{"o3-mini", "openai", "o3-mini", 1.10, 4.40, 0.55, 0, 200000, 65536, reasoningCaps, 0.92, 900, 120},
	{"text-embedding-3-small", "openai", "text-embedding-3-small", 0.02, 0, 0, 0, 8191, 0, embedCaps, 0, 0, 0},
	// Free, as at OpenAI: no price here, the catalog's ($0) applies.
	{"omni-moderation-latest", "openai", "omni-moderation-latest", 0, 0, 0, 0, 32768, 0, moderationCaps, 0, 0, 0},
	{"dall-e-2", "openai", "dall-e-2", 0, 0, 0, 0, 0, 0, imageCaps, 0, 0, 0},
	{"dall-e-3", "openai", "dall-e-3", 0, 0, 0, 0, 0, 0, imageCaps, 0, 0, 0},
	{"gpt-image-1", "openai", "gpt-image-1", 0, 0, 0, 0, 0, 0, imageCaps, 0, 0, 0},
	{"tts-1", "openai", "tts-1", 0, 0, 0, 0, 0, 0, speechCaps, 0, 0, 0},
	{"whisper-1", "openai", "whisper-1", 0, 0, 0, 0, 0, 0, transcriptionCaps, 0, 0, 0},
	{"gpt-4o-transcribe", "openai", "gpt-4o-transcribe", 0, 0, 0, 0, 0, 0, transcriptionCaps, 0, 0, 0},
	{"gpt-3.5-turbo-instruct", "openai", "gpt-3.5-turbo-instruct", 1.50, 2.00, 0, 0, 4096, 4096, completionsCaps, 0.6, 200, 200},
	{"gpt-realtime", "openai", "gpt-realtime", 0, 0, 0, 0, 32000, 0, realtimeCaps, 0, 0, 0},
	// Called on the Responses API (its model is served only there): route
	// code-agent. Its quality prior (0.9, its simulated twin's is 0.93) is
	// kept under o3-mini's and claude-sonnet-4-5's so that the built-in
	// auto-best, over every chat deployment, keeps its picks
	// (TestDemoCodeAgent); the learned scorer finds the rest.
	{"gpt-5.3-codex", "openai", "gpt-5.3-codex", 1.75, 14.00, 0.175, 0, 400000, 128000, codexCaps, 0.9, 700, 110},
	{"azure-gpt-4o-mini", "azure", "gpt-4o-mini", 0.15, 0.60, 0.075, 0, 128000, 16384, chatCaps, 0.75, 280, 150},
	{"claude-sonnet-4-5", "anthropic", "claude-sonnet-4-5", 3.00, 15.00, 0.30, 3.75, 200000, 64000, append([]llm.Capability{llm.CapReasoning}, chatCaps...), 0.93, 600, 80},
	{"claude-haiku-4-5", "anthropic", "claude-haiku-4-5", 1.00, 5.00, 0.10, 1.25, 200000, 64000, chatCaps, 0.8, 300, 140},
	// Claude Code's default model (generation 5: adaptive thinking by
	// default, per-turn effort), so that the CLI runs against the demo
	// unchanged. Its quality prior (0.9, its simulated twin's is 0.96) is
	// kept under o3-mini's and claude-sonnet-4-5's so that the built-in
	// auto-best keeps its picks (TestDemoClaude5), as gpt-5.3-codex's is.
	{"claude-opus-5-5", "anthropic", "claude-opus-5-5", 4.00, 20.00, 0.20, 5.00, 1000000, 128000, append([]llm.Capability{llm.CapReasoning}, chatCaps...), 0.9, 900, 70},
	{"gemini-2.5-pro", "gemini", "gemini-2.5-pro", 1.25, 10.00, 0.31, 0, 1048576, 65536, append([]llm.Capability{llm.CapReasoning, llm.CapMath}, chatCaps...), 0.91, 800, 100},
	{"gemini-2.5-flash", "gemini", "gemini-2.5-flash", 0.30, 2.50, 0.075, 0, 1048576, 65536, chatCaps, 0.78, 200, 220},
	{"gemini-embedding-001", "gemini", "gemini-embedding-001", 0.15, 0, 0, 0, 2048, 0, embedCaps, 0, 0, 0},
}

// DemoRoutes documents where the demo's auto route sends each category
// first (for an English, first-turn prompt); the end-to-end tests hold the
// router to it. Creative is a split: claude-sonnet-4-5 or gpt-4o.
var DemoRoutes = map[llm.Category][]string{
	llm.CategoryChat:          {"gpt-4o-mini"},
	llm.CategoryFactual:       {"gemini-2.5-flash"},
	llm.CategorySummarization: {"claude-haiku-4-5"},
	llm.CategoryExtraction:    {"gpt-4o"},
	llm.CategoryCode:          {"claude-sonnet-4-5"},
	llm.CategoryReasoning:     {"o3-mini"},
	llm.CategoryCreative:      {"claude-sonnet-4-5", "gpt-4o"},
}

// CodeAgentRoute is the demo's route for coding agents: gpt-5.3-codex
// alone, called on OpenAI's Responses API (OpenAI's hosted tools such as
// web_search, Codex's shell and apply_patch calls). It holds no other
// deployment: a pinned deployment falls back within its smallest route
// (route's home route), which a second member here would change.
const CodeAgentRoute = "code-agent"

const codeAgentDescription = "Coding agents: gpt-5.3-codex on OpenAI's Responses API (hosted tools such as web_search, shell and apply_patch calls)"

func demoRoutes() []*config.Route {
	return []*config.Route{
		{
			Name:        "auto",
			Description: "Routes by category: small talk to a fast model, code to a strong one, math to a math-strong one",
			Deployments: []string{"gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash", "gpt-4o", "claude-sonnet-4-5", "o3-mini", "gemini-2.5-pro"},
			Policy:      config.Policy{Strategy: config.StrategyBalanced, MaxCostPerRequest: 0.25},
			Categories: map[llm.Category]*config.RouteCategory{
				llm.CategoryChat: {
					Deployments: []string{"gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash", "claude-sonnet-4-5"},
					Policy:      config.Policy{Strategy: config.StrategyOrdered},
				},
				llm.CategoryFactual:       {Policy: config.Policy{Prefer: []string{"gemini-2.5-flash"}}},
				llm.CategorySummarization: {Policy: config.Policy{Prefer: []string{"claude-haiku-4-5"}}},
				llm.CategoryExtraction:    {Policy: config.Policy{Prefer: []string{"gpt-4o"}, Require: []llm.Capability{llm.CapJSONSchema}}},
				llm.CategoryCode:          {Policy: config.Policy{Prefer: []string{"claude-sonnet-4-5"}, Require: []llm.Capability{llm.CapCode}}},
				llm.CategoryReasoning:     {Policy: config.Policy{Prefer: []string{"o3-mini"}, Require: []llm.Capability{llm.CapMath}}},
				llm.CategoryCreative: {Policy: config.Policy{Split: []config.Weight{
					{Deployment: "claude-sonnet-4-5", Weight: 70}, {Deployment: "gpt-4o", Weight: 30},
				}}},
			},
			Rules: []*config.Rule{
				{Name: "non-english-to-multilingual", When: config.Condition{Languages: []string{config.LanguageNonEnglish}},
					Require: []llm.Capability{llm.CapMultilingual}},
				{Name: "first-turn-fast", When: config.Condition{Turn: config.TurnFirst, Categories: []llm.Category{llm.CategoryChat}},
					Prefer: []string{"gpt-4o-mini"}},
				{Name: "later-turns-capable", When: config.Condition{Turn: config.TurnLater, Categories: []llm.Category{llm.CategoryChat}},
					Prefer: []string{"claude-sonnet-4-5"}},
			},
		},
		{Name: "embed", Description: "Embeddings", Deployments: []string{"text-embedding-3-small", "gemini-embedding-001"}},
		{Name: CodeAgentRoute, Description: codeAgentDescription, Deployments: []string{"gpt-5.3-codex"}},
	}
}

// Config returns the demo configuration with every provider pointed at
// the simulated providers listening on simAddr, serving on addr ("" for
// the default).
func Config(simAddr, addr string) *config.Config {
	cfg := &config.Config{
		Server:      config.Server{Addr: addr},
		Providers:   map[string]*config.Provider{},
		Deployments: map[string]*config.Deployment{},
		Routes:      map[string]*config.Route{},
	}
	for _, w := range []simserver.Wire{simserver.OpenAI, simserver.Azure, simserver.Anthropic, simserver.Gemini} {
		cfg.Providers[string(w)] = &config.Provider{
			Name: string(w), Kind: string(w), BaseURL: simserver.BaseURL(simAddr, w), APIKey: "sim-key",
		}
	}
	// The OpenAI simulator takes service_tier as api.openai.com does; a
	// loopback host is not sent it unless told.
	cfg.Providers[string(simserver.OpenAI)].ServiceTier = config.ServiceTierSend
	for _, d := range demoDeployments {
		cfg.Deployments[d.name] = &config.Deployment{
			Name: d.name, Provider: d.provider, Model: d.model,
			Price:         config.Price{Input: d.in, Output: d.out, CachedInput: d.cached, CacheWrite: d.write},
			ContextWindow: d.window, MaxOutputTokens: d.maxOut, Capabilities: withBatch(d),
			Quality: d.quality,
			Latency: config.Latency{TTFT: time.Duration(d.ttftMS * float64(time.Millisecond)), TokensPerSecond: d.tps},
		}
	}
	// The simulators serve OpenAI's Batch API (and Anthropic's Message
	// Batches): a batch's lines go there, for half the price, and come
	// back within a few polls.
	cfg.Batches.PollInterval = time.Second
	// auto-cheap and auto-best are built in (over every chat deployment).
	for _, r := range demoRoutes() {
		cfg.Routes[r.Name] = r
	}
	return cfg
}

// withBatch is d's capabilities, with batch for a chat model of OpenAI
// or Anthropic: the simulators serve their batch APIs (not on the
// providers' own hosts, the router would not infer it).
func withBatch(d demoDeployment) []llm.Capability {
	if (d.provider != "openai" && d.provider != "anthropic") || !llm.ServesChat(d.caps) {
		return d.caps
	}
	return append(slices.Clip(d.caps), llm.CapBatch)
}

// StartSim starts the demo's simulated providers on a free loopback port
// with latencies scaled by scale (0 = instant). It returns their address,
// the server (for fault injection) and a function that stops them.
func StartSim(scale float64) (addr string, sim *simserver.Server, stop func(), err error) {
	sim = simserver.New(simserver.DemoCatalogs(scale), nil)
	addr, stop, err = sim.Listen("127.0.0.1:0")
	return addr, sim, stop, err
}
