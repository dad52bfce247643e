package config

import (
	"reflect"
	"strings"
	"testing"
)

// guardYAML is a config with deployments d and safe, a route r whose
// guard section's fields start on line 7, and a top-level guard section after it.
func guardYAML(routeGuard, topGuard string) string {
	return okProvider + "deployments: {d: {provider: openai}, safe: {provider: openai}}\nroutes:\n  r:\n    deployments: [d]\n    guard:\n" +
		routeGuard + topGuard
}

func TestGuardDecode(t *testing.T) {
	c := mustParse(t, []byte(guardYAML(
		"      injection: {action: reroute, threshold: 0.7, deployment: safe}\n"+
			"      output: {links: neutralize, allowed_link_hosts: [docs.example.com, \"*.cdn.example.com\"], system_prompt_leak: cut}\n",
		"guard:\n  injection: {action: block}\n  output: {system_prompt_leak: flag}\n")), nil)
	r := c.Routes["r"].Guard
	if want := (Injection{Action: InjectionReroute, Threshold: 0.7, Deployment: "safe"}); *r.Injection != want {
		t.Errorf("route injection = %+v, want %+v", *r.Injection, want)
	}
	want := Output{Links: LinksNeutralize, AllowedLinkHosts: []string{"docs.example.com", "*.cdn.example.com"}, SystemPromptLeak: LeakCut}
	if !reflect.DeepEqual(*r.Output, want) {
		t.Errorf("route output = %+v, want %+v", *r.Output, want)
	}
	if want := (Injection{Action: InjectionBlock, Threshold: DefaultGuardStrictThreshold}); *c.Guard.Injection != want {
		t.Errorf("top-level injection = %+v, want the defaults filled in: %+v", *c.Guard.Injection, want)
	}
	if want := (Output{Links: LinksKeep, SystemPromptLeak: LeakFlag}); !reflect.DeepEqual(*c.Guard.Output, want) {
		t.Errorf("top-level output = %+v, want %+v", *c.Guard.Output, want)
	}
}

// TestGuardFor checks that a route's section replaces the top level's part
// by part, and that other models get the top level's.
func TestGuardFor(t *testing.T) {
	c := mustParse(t, []byte(guardYAML("      injection: {action: block, threshold: 0.9}\n",
		"guard:\n  injection: {action: flag}\n  output: {links: neutralize}\n")), nil)
	g := c.GuardFor("r")
	if g.Injection.Action != InjectionBlock || g.Injection.Threshold != 0.9 {
		t.Errorf("route r injection = %+v, want its own", g.Injection)
	}
	if g.Output == nil || g.Output.Links != LinksNeutralize {
		t.Errorf("route r output = %+v, want the top level's", g.Output)
	}
	for _, model := range []string{"d", "auto", "unknown"} {
		if g := c.GuardFor(model); g.Injection.Action != InjectionFlag || !g.Injection.Scans() || g.Injection.Threshold != DefaultGuardThreshold {
			t.Errorf("%s: injection = %+v, want the top level's", model, g.Injection)
		}
	}
	none := mustParse(t, []byte(okProvider+"deployments: {d: {provider: openai}}\n"), nil)
	if g := none.GuardFor("d"); g.Injection.Scans() || g.Output != nil {
		t.Errorf("no guard section: %+v, want nothing", g)
	}
	off := mustParse(t, []byte(guardYAML("      injection: {action: off}\n", "guard: {injection: {action: block}}\n")), nil)
	if off.GuardFor("r").Injection.Scans() {
		t.Error("action: off scans")
	}
}

func TestGuardMistakes(t *testing.T) {
	tests := []struct {
		name, route, top, path string
		line, col              int
		problem, hint          string
	}{
		{"unknown action", "      injection: {action: deny}\n", "", "routes.r.guard.injection.action", 7, 27,
			`unknown action "deny"`, "actions: flag, block, reroute, off"},
		{"threshold above 1", "      injection: {threshold: 1.5}\n", "", "routes.r.guard.injection.threshold", 7, 30,
			"must be above 0 and at most 1, got 1.5", "omit it for 0.3 (flag) or 0.5 (block, reroute)"},
		{"negative threshold", "      injection: {threshold: -0.2}\n", "", "routes.r.guard.injection.threshold", 7, 30,
			"must be above 0 and at most 1, got -0.2", ""},
		{"threshold not a number", "      injection: {threshold: high}\n", "", "routes.r.guard.injection.threshold", 7, 30,
			"must be a number", "a score from 0 to 1"},
		{"reroute without deployment", "      injection: {action: reroute}\n", "", "routes.r.guard.injection.deployment", 7, 7,
			"is required with action: reroute", "configured deployments: d, safe"},
		{"reroute to an unknown deployment", "      injection: {action: reroute, deployment: saef}\n", "", "routes.r.guard.injection.deployment", 7, 48,
			`deployment "saef" is not configured`, `did you mean "safe"?`},
		{"deployment without reroute", "      injection: {action: block, deployment: safe}\n", "", "routes.r.guard.injection.deployment", 7, 46,
			"is only used with action: reroute, not block", "remove it"},
		{"unknown injection field", "      injection: {acton: block}\n", "", "routes.r.guard.injection", 7, 19,
			`unknown field "acton"`, `did you mean "action"?`},
		{"unknown links value", "      output: {links: strip}\n", "", "routes.r.guard.output.links", 7, 23,
			`unknown value "strip"`, "values: neutralize, keep"},
		{"unknown leak value", "      output: {system_prompt_leak: block}\n", "", "routes.r.guard.output.system_prompt_leak", 7, 36,
			`unknown value "block"`, "values: flag, cut, off"},
		{"hosts without neutralize", "      output: {allowed_link_hosts: [docs.example.com]}\n", "", "routes.r.guard.output.allowed_link_hosts", 7, 16,
			"has no effect with links: keep", "set links: neutralize"},
		{"host is a URL", "      output: {links: neutralize, allowed_link_hosts: [\"https://docs.example.com\"]}\n", "", "routes.r.guard.output.allowed_link_hosts[0]", 7, 56,
			`"https://docs.example.com" is a URL, not a host name`, "without scheme, port or path"},
		{"host with a path", "      output: {links: neutralize, allowed_link_hosts: [ok.example.com, docs.example.com/x]}\n", "", "routes.r.guard.output.allowed_link_hosts[1]", 7, 72,
			`is not a host name: '/' may not appear in one`, ""},
		{"wildcard in the middle", "      output: {links: neutralize, allowed_link_hosts: [\"a.*.example.com\"]}\n", "", "routes.r.guard.output.allowed_link_hosts[0]", 7, 56,
			"a wildcard may only start the pattern", ""},
		{"top-level mistake", "      output: {links: keep}\n", "guard:\n  injection: {action: reroute, deployment: nope}\n", "guard.injection.deployment", 9, 44,
			`deployment "nope" is not configured`, "configured deployments: d, safe"},
		{"unknown guard field", "      outputs: {links: keep}\n", "", "routes.r.guard", 7, 7,
			`unknown field "outputs"`, `did you mean "output"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(guardYAML(tt.route, tt.top)), nil)
			fe := findError(t, err, tt.path, tt.problem)
			if fe.Line != tt.line || fe.Column != tt.col {
				t.Errorf("position = %d:%d, want %d:%d (%v)", fe.Line, fe.Column, tt.line, tt.col, fe)
			}
			if !strings.Contains(fe.Hint, tt.hint) {
				t.Errorf("hint = %q, want it to contain %q", fe.Hint, tt.hint)
			}
		})
	}
}
