package demo

import (
	"testing"

	"switchyard/llm"
	simserver "switchyard/sim/server"
)

// The demo's chat deployments state the limits of the simulated models
// they call: one claiming more output than its model writes passes on a
// max_tokens the model refuses (Claude Code's 16384, told the
// deployment's limit, to Azure's gpt-4o-mini).
func TestDemoDeploymentsHaveTheirModelsLimits(t *testing.T) {
	catalogs := simserver.DemoCatalogs(0)
	for _, d := range demoDeployments {
		if !llm.ServesChat(d.caps) {
			continue
		}
		found := false
		for _, p := range catalogs[simserver.Wire(d.provider)] {
			if p.Model != d.model {
				continue
			}
			found = true
			if p.MaxOutput() != d.maxOut || p.Window() != d.window {
				t.Errorf("%s: max output %d, context window %d; its simulated %s on %s writes %d in %d",
					d.name, d.maxOut, d.window, d.model, d.provider, p.MaxOutput(), p.Window())
			}
		}
		if !found {
			t.Errorf("%s: %s does not simulate %s", d.name, d.provider, d.model)
		}
	}
}
