package gateway

import (
	"reflect"
	"testing"

	"switchyard/config"
)

// Targets gives every deployment its provider's client and its price,
// as the gateway's own targets have them.
func TestTargets(t *testing.T) {
	cfg, err := config.Parse([]byte(`providers:
  p: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
  a: {kind: anthropic, base_url: "http://127.0.0.1:1", api_key: k}
deployments:
  mini: {provider: p, model: gpt-4o-mini, price: {input: 0.15, output: 0.6}}
  local: {provider: p, model: llama-local-unknown}
  haiku: {provider: a, model: claude-haiku-4-5}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := Targets(cfg, nil)
	if err != nil || len(ts) != 3 {
		t.Fatalf("Targets = %v, %v", ts, err)
	}
	g, err := New(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	for name, tg := range ts {
		own := g.Target(name)
		if tg.Provider == nil || tg.Kind != own.Kind || !reflect.DeepEqual(tg.Deployment, own.Deployment) {
			t.Errorf("%s: %+v, the gateway's %+v", name, tg, own)
		}
	}
	if d := ts["mini"].Deployment; d.PriceUnknown || d.InputPricePerM != 0.15 || !ts["local"].Deployment.PriceUnknown {
		t.Errorf("prices: mini %+v, local unknown %v", d, ts["local"].Deployment.PriceUnknown)
	}
}
