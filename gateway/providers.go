package gateway

import (
	"fmt"

	"switchyard/config"
	"switchyard/provider"
	"switchyard/provider/pool"
)

// buildProviders makes one client per configured provider; a provider
// with several keys or endpoints becomes a pool of clients. given
// overrides construction by provider name (tests).
func buildProviders(cfg *config.Config, given map[string]provider.Provider) (map[string]provider.Provider, error) {
	clients := make(map[string]provider.Provider, len(cfg.Providers))
	for name, p := range cfg.Providers {
		if c, ok := given[name]; ok {
			clients[name] = c
			continue
		}
		c, err := buildProvider(p)
		if err != nil {
			return nil, err
		}
		clients[name] = c
	}
	return clients, nil
}

func buildProvider(p *config.Provider) (provider.Provider, error) {
	base := provider.Config{
		Name: p.Name, Kind: p.Kind, BaseURL: p.BaseURL, APIKey: p.APIKey,
		APIVersion: p.APIVersion, Headers: p.Headers,
	}
	if len(p.APIKeys) == 0 && len(p.Endpoints) == 0 {
		return provider.New(base)
	}
	var members []pool.Member
	add := func(cfg provider.Config, weight int) error {
		c, err := provider.New(cfg)
		if err != nil {
			return err
		}
		members = append(members, pool.Member{Name: fmt.Sprintf("%s#%d", p.Name, len(members)+1), Provider: c, Weight: weight})
		return nil
	}
	if p.APIKey != "" || len(p.Endpoints) == 0 {
		if err := add(base, 0); err != nil {
			return nil, err
		}
	}
	for _, k := range p.APIKeys {
		c := base
		c.APIKey = k
		if err := add(c, 0); err != nil {
			return nil, err
		}
	}
	for _, e := range p.Endpoints {
		c := base
		if e.BaseURL != "" {
			c.BaseURL = e.BaseURL
		}
		if e.APIKey != "" {
			c.APIKey = e.APIKey
		}
		if err := add(c, e.Weight); err != nil {
			return nil, err
		}
	}
	strategy := pool.StrategyLeastInFlight
	if p.Balance == config.BalanceWeighted {
		strategy = pool.StrategyWeighted
	}
	return pool.New(p.Name, members, pool.Options{Strategy: strategy})
}
