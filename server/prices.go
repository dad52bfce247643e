package server

import (
	"switchyard/cost"
	"switchyard/gateway"
)

// prices returns each deployment's price as the gateway's policy resolved
// it (configuration over the built-in catalog), for GET /admin/health.
func prices(gw *gateway.Gateway) map[string]cost.Pricing {
	deps := gw.Policy().Deployments()
	out := make(map[string]cost.Pricing, len(deps))
	for _, d := range deps {
		out[d.Name] = d.Pricing
	}
	return out
}
