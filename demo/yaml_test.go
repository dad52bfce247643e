package demo

import (
	"reflect"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/cost"
)

// TestYAMLIsTheDemoConfiguration: the demo's configuration as text
// parses to what Config, AddLearned and AddGuard build in Go — the same
// providers, deployments, routes and guard — with the store given and an
// allowlist of the simulators' address alone.
func TestYAMLIsTheDemoConfiguration(t *testing.T) {
	const sim, path = "127.0.0.1:43210", "/tmp/demo test.db"
	parsed, err := config.Parse(YAML(sim, path), nil)
	if err != nil {
		t.Fatalf("the demo's text does not parse: %v\n%s", err, YAML(sim, path))
	}
	built := Config(sim, "")
	AddLearned(built)
	AddGuard(built)
	built.Store = config.Store{Driver: config.StoreSQLite, Path: path}
	if err := built.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, name := range built.DeploymentNames() {
		p, b := *parsed.Deployments[name], *built.Deployments[name]
		p.Price.Set, b.Price.Set = 0, 0 // which price fields were written: the text writes the zeros too
		if !reflect.DeepEqual(p, b) {
			t.Errorf("deployment %s:\n text %+v\n   Go %+v", name, p, b)
		}
	}
	for _, name := range append(built.RouteNames(), built.ProviderNames()...) {
		if r := built.Routes[name]; r != nil && !reflect.DeepEqual(parsed.Routes[name], r) {
			t.Errorf("route %s:\n text %+v\n   Go %+v", name, parsed.Routes[name], r)
		}
		if p := built.Providers[name]; p != nil && !reflect.DeepEqual(parsed.Providers[name], p) {
			t.Errorf("provider %s:\n text %+v\n   Go %+v", name, parsed.Providers[name], p)
		}
	}
	if len(parsed.Routes) != len(built.Routes) || len(parsed.Deployments) != len(built.Deployments) || len(parsed.Providers) != len(built.Providers) {
		t.Errorf("text: %d routes, %d deployments, %d providers; Go: %d, %d, %d", len(parsed.Routes), len(parsed.Deployments),
			len(parsed.Providers), len(built.Routes), len(built.Deployments), len(built.Providers))
	}
	if !reflect.DeepEqual(parsed.Batches, built.Batches) {
		t.Errorf("batches:\n text %+v\n   Go %+v", parsed.Batches, built.Batches)
	}
	if !reflect.DeepEqual(parsed.Guard, built.Guard) || !reflect.DeepEqual(parsed.Store, built.Store) {
		t.Errorf("guard or store:\n text %+v %+v\n   Go %+v %+v", parsed.Guard, parsed.Store, built.Guard, built.Store)
	}
	if strings.Join(parsed.Security.UpstreamHosts, ",") != sim {
		t.Errorf("allowlist %v; want the simulators' address alone", parsed.Security.UpstreamHosts)
	}
}

// Every deployment of the demo's text has a known price, a media one by
// the catalog's media table in its unit: the text's token price zeros
// made whisper-1 "per token" at $0, so its transcriptions cost unknown.
func TestYAMLPricesEveryDeployment(t *testing.T) {
	parsed, err := config.Parse(YAML("127.0.0.1:43210", "/tmp/d.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	units := map[string]string{"dall-e-2": cost.UnitPerImage, "dall-e-3": cost.UnitPerImage, "gpt-image-1": cost.UnitPerImage,
		"tts-1": cost.UnitPerCharacter, "whisper-1": cost.UnitPerSecond, "gpt-4o-transcribe": cost.UnitPerToken}
	for _, name := range parsed.DeploymentNames() {
		d := parsed.Deployments[name]
		p := cost.Resolve(parsed.Providers[d.Provider], d)
		if !p.Known {
			t.Errorf("%s: price unknown", name)
		}
		if want, media := units[name]; media != (p.Media != nil) || media && p.Media.Unit() != want {
			t.Errorf("%s: media price %+v, want unit %q", name, p.Media, want)
		}
	}
}
