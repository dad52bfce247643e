package gateway

import (
	"fmt"
	"log/slog"

	"switchyard/config"
	"switchyard/provider"
	"switchyard/provider/pool"
	"switchyard/provider/thinking"
)

// buildProviders makes one client per configured provider; a provider
// with several keys or endpoints becomes a pool of clients. given
// overrides construction by provider name (tests); thoughts is the
// memory of thinking behind tool calls the adapters keep (nil: none).
func buildProviders(cfg *config.Config, given map[string]provider.Provider, log *slog.Logger, thoughts *thinking.Memory) (map[string]provider.Provider, error) {
	clients := make(map[string]provider.Provider, len(cfg.Providers))
	for name, p := range cfg.Providers {
		if c, ok := given[name]; ok {
			clients[name] = c
			continue
		}
		c, err := buildProvider(p, log, thoughts)
		if err != nil {
			return nil, err
		}
		clients[name] = c
	}
	return clients, nil
}

func buildProvider(p *config.Provider, log *slog.Logger, thoughts *thinking.Memory) (provider.Provider, error) {
	base := provider.Config{
		Name: p.Name, Kind: p.Kind, BaseURL: p.BaseURL, APIKey: p.APIKey,
		APIVersion: p.APIVersion, Headers: p.Headers, Logger: log, AutoCache: p.AutoCache(),
		ServiceTier: p.TakesServiceTier(), ThinkingSwitch: p.QwenThinkingSwitch(), Thinking: thoughts,
		Timeout: p.Timeout,
	}
	if !p.Pooled() {
		return provider.New(base)
	}
	var members []pool.Member
	for i, m := range p.Members() {
		c := base
		c.BaseURL, c.APIKey = m.BaseURL, m.APIKey
		client, err := provider.New(c)
		if err != nil {
			return nil, err
		}
		members = append(members, pool.Member{Name: fmt.Sprintf("%s#%d", p.Name, i+1), Provider: client, Weight: m.Weight})
	}
	strategy := pool.StrategyLeastInFlight
	if p.Balance == config.BalanceWeighted {
		strategy = pool.StrategyWeighted
	}
	return pool.New(p.Name, members, pool.Options{Strategy: strategy})
}
