// Package demo is the no-keys demo setup: simulated OpenAI, Azure,
// Anthropic and Gemini providers and a configuration that routes across
// them. `switchyard serve --demo`, the end-to-end tests and the examples
// in the README use it.
package demo

import (
	"switchyard/config"
	"switchyard/llm"
	simserver "switchyard/sim/server"
)

// demoDeployment is one simulated model with its price (USD per 1M tokens,
// list prices of the real model it imitates) and capabilities.
type demoDeployment struct {
	name, provider, model string
	in, out, cached       float64
	window, maxOut        int
	caps                  []llm.Capability
}

var (
	chatCaps      = []llm.Capability{llm.CapTools, llm.CapJSONMode, llm.CapJSONSchema, llm.CapVision, llm.CapStreaming, llm.CapCode, llm.CapMultilingual}
	reasoningCaps = []llm.Capability{llm.CapTools, llm.CapJSONMode, llm.CapJSONSchema, llm.CapStreaming, llm.CapReasoning, llm.CapMath, llm.CapCode}
	embedCaps     = []llm.Capability{llm.CapEmbeddings}
)

var demoDeployments = []demoDeployment{
	{"gpt-4o", "openai", "gpt-4o", 2.50, 10.00, 1.25, 128000, 16384, chatCaps},
	{"gpt-4o-mini", "openai", "gpt-4o-mini", 0.15, 0.60, 0.075, 128000, 16384, chatCaps},
	{"o3-mini", "openai", "o3-mini", 1.10, 4.40, 0.55, 200000, 65536, reasoningCaps},
	{"text-embedding-3-small", "openai", "text-embedding-3-small", 0.02, 0, 0, 8191, 0, embedCaps},
	{"azure-gpt-4o-mini", "azure", "gpt-4o-mini", 0.15, 0.60, 0.075, 128000, 16384, chatCaps},
	{"claude-sonnet-4-5", "anthropic", "claude-sonnet-4-5", 3.00, 15.00, 0.30, 200000, 64000, append([]llm.Capability{llm.CapReasoning}, chatCaps...)},
	{"claude-haiku-4-5", "anthropic", "claude-haiku-4-5", 1.00, 5.00, 0.10, 200000, 64000, chatCaps},
	{"gemini-2.5-pro", "gemini", "gemini-2.5-pro", 1.25, 10.00, 0.31, 1048576, 65536, append([]llm.Capability{llm.CapReasoning, llm.CapMath}, chatCaps...)},
	{"gemini-2.5-flash", "gemini", "gemini-2.5-flash", 0.30, 2.50, 0.075, 1048576, 65536, chatCaps},
	{"gemini-embedding-001", "gemini", "gemini-embedding-001", 0.15, 0, 0, 2048, 0, embedCaps},
}

var demoRoutes = []config.Route{
	{Name: "auto", Description: "Balanced: a fast, cheap model first, others as fallback", Deployments: []string{"gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash"}},
	{Name: "auto-cheap", Description: "Cheapest capable models", Deployments: []string{"gpt-4o-mini", "gemini-2.5-flash", "azure-gpt-4o-mini"}},
	{Name: "auto-best", Description: "Strongest models", Deployments: []string{"claude-sonnet-4-5", "gpt-4o", "gemini-2.5-pro"}},
	{Name: "embed", Description: "Embeddings", Deployments: []string{"text-embedding-3-small", "gemini-embedding-001"}},
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
	for _, d := range demoDeployments {
		cfg.Deployments[d.name] = &config.Deployment{
			Name: d.name, Provider: d.provider, Model: d.model,
			Price:         config.Price{Input: d.in, Output: d.out, CachedInput: d.cached},
			ContextWindow: d.window, MaxOutputTokens: d.maxOut, Capabilities: d.caps,
		}
	}
	for i := range demoRoutes {
		r := demoRoutes[i]
		cfg.Routes[r.Name] = &r
	}
	return cfg
}

// StartSim starts the demo's simulated providers on a free loopback port
// with latencies scaled by scale (0 = instant). It returns their address,
// the server (for fault injection) and a function that stops them.
func StartSim(scale float64) (addr string, sim *simserver.Server, stop func(), err error) {
	sim = simserver.New(simserver.DemoCatalogs(scale), nil)
	addr, stop, err = sim.Listen("127.0.0.1:0")
	return addr, sim, stop, err
}
