// Package gateway is the request pipeline behind every inbound API: it
// resolves the model a client asked for (a deployment or a route) to
// candidate deployments, calls them in order with failover before the
// first byte, and hands a Record of the outcome to the recorder.
package gateway

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/provider"
	"switchyard/record"
)

// Target is one callable deployment.
type Target struct {
	Deployment llm.Deployment
	Provider   provider.Provider
	// Kind is the provider's wire format.
	Kind string
}

// Gateway runs requests. It is safe for concurrent use.
type Gateway struct {
	targets  map[string]*Target
	routes   map[string][]*Target
	recorder *record.Recorder
	models   []ModelInfo
	// now is the clock; tests may replace it.
	now func() time.Time
}

// ModelInfo is one entry of the model listing.
type ModelInfo struct {
	ID      string
	OwnedBy string
	// Route reports a virtual model (a route) rather than a deployment.
	Route bool
}

// Options tune a Gateway. The zero value is usable.
type Options struct {
	// Recorder receives a Record per request; nil means records are dropped.
	Recorder *record.Recorder
	// Providers overrides provider construction by provider name (tests).
	Providers map[string]provider.Provider
}

// New builds the gateway for cfg, constructing one provider client per
// configured provider. It fails if a provider cannot be built.
func New(cfg *config.Config, opts Options) (*Gateway, error) {
	g := &Gateway{
		targets:  make(map[string]*Target, len(cfg.Deployments)),
		routes:   make(map[string][]*Target, len(cfg.Routes)),
		recorder: opts.Recorder,
		now:      time.Now,
	}
	clients := make(map[string]provider.Provider, len(cfg.Providers))
	for name, p := range cfg.Providers {
		if c, ok := opts.Providers[name]; ok {
			clients[name] = c
			continue
		}
		c, err := provider.New(providerConfig(p))
		if err != nil {
			return nil, err
		}
		clients[name] = c
	}
	for _, name := range cfg.DeploymentNames() {
		d := cfg.Deployments[name]
		g.targets[name] = &Target{Deployment: d.LLM(), Provider: clients[d.Provider], Kind: cfg.Providers[d.Provider].Kind}
		g.models = append(g.models, ModelInfo{ID: name, OwnedBy: d.Provider})
	}
	for _, name := range cfg.RouteNames() {
		r := cfg.Routes[name]
		ts := make([]*Target, 0, len(r.Deployments))
		for _, dn := range r.Deployments {
			ts = append(ts, g.targets[dn])
		}
		g.routes[name] = ts
		g.models = append(g.models, ModelInfo{ID: name, OwnedBy: "switchyard", Route: true})
	}
	sort.SliceStable(g.models, func(i, j int) bool {
		if g.models[i].Route != g.models[j].Route {
			return g.models[i].Route
		}
		return g.models[i].ID < g.models[j].ID
	})
	return g, nil
}

func providerConfig(p *config.Provider) provider.Config {
	return provider.Config{
		Name: p.Name, Kind: p.Kind, BaseURL: p.BaseURL, APIKey: p.APIKey,
		APIVersion: p.APIVersion, Headers: p.Headers,
	}
}

// Models lists routes first, then deployments, each sorted by name.
func (g *Gateway) Models() []ModelInfo { return g.models }

// Target returns the deployment called name, or nil.
func (g *Gateway) Target(name string) *Target { return g.targets[name] }

// candidates resolves a requested model name to the deployments to try, in
// order, and the route name ("" when a deployment was named directly).
func (g *Gateway) candidates(model string) ([]*Target, string, error) {
	if ts, ok := g.routes[model]; ok {
		return ts, model, nil
	}
	if t, ok := g.targets[model]; ok {
		return []*Target{t}, "", nil
	}
	return nil, "", g.unknownModel(model)
}

func (g *Gateway) unknownModel(model string) *llm.Error {
	names := make([]string, 0, len(g.models))
	for _, m := range g.models {
		names = append(names, m.ID)
	}
	list := strings.Join(names, ", ")
	if len(names) > 12 {
		list = strings.Join(names[:12], ", ") + ", …"
	}
	e := llm.Errorf(llm.KindNotFound, "The model `%s` does not exist or you do not have access to it. Available models: %s (GET /v1/models lists them all).", truncate(model, 100), list)
	e.Param = "model"
	e.Code = "model_not_found"
	return e
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// summary renders the compact x-switchyard-route value.
func summary(route string, t *Target, attempt int) string {
	if route == "" {
		return fmt.Sprintf("pinned=%s", t.Deployment.Name)
	}
	return fmt.Sprintf("route=%s; deployment=%s; attempt=%d", route, t.Deployment.Name, attempt)
}
