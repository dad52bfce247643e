package gateway

import (
	"log/slog"

	"switchyard/config"
	"switchyard/cost"
	"switchyard/llm"
	"switchyard/route"
)

// Targets builds one client per configured provider, as New does, and
// returns every deployment with its client, price, upstream API
// (route.UpstreamAPI) and (withReasoning) the reasoning capability its
// model id gives, its effort dial (withEffortDial), by name — for
// callers that call deployments directly (golden runs from the command
// line) without a gateway's background work. cfg must have passed
// Validate; log receives the adapters' warnings (nil means
// slog.Default()).
func Targets(cfg *config.Config, log *slog.Logger) (map[string]*Target, error) {
	if log == nil {
		log = slog.Default()
	}
	clients, err := buildProviders(cfg, nil, log, nil)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*Target, len(cfg.Deployments))
	for _, name := range cfg.DeploymentNames() {
		d, p := cost.Deployment(cfg, name)
		kind := cfg.Providers[d.Provider].Kind
		d.APIByModel = d.API == llm.APIAuto
		d.API = route.UpstreamAPI(cfg.Providers[d.Provider], &d)
		out[name] = &Target{Deployment: withEffortDial(withReasoning(d, cfg.Providers[d.Provider]), kind), Provider: clients[d.Provider], Kind: kind, Media: p.Media,
			ServiceTier: cfg.Providers[d.Provider].TakesServiceTier()}
	}
	return out, nil
}
