package route

import (
	"slices"
	"strings"

	"switchyard/config"
)

// This file resolves the model names clients ask for that are neither a
// route nor a deployment: the aliases a configuration declares, and the
// upstream model ids its deployments serve. An application written
// against a provider asks for that provider's ids (gpt-4o-mini,
// claude-sonnet-4-5-20250929), whatever the operator named the
// deployments; Claude Code asks for dated snapshots by default.

// aliases maps a model name to the route or deployment it stands for.
type aliases struct {
	// exact holds the declared aliases and the deployments' model ids
	// as written (model, base_model).
	exact map[string]string
	// family holds the same model ids by ModelFamily, for a name that
	// differs from them only by a snapshot date, a vendor prefix or a
	// dot for a dash.
	family map[string]string
	// declared lists the declared aliases, sorted by name.
	declared []Alias
}

// Alias is a model name a configuration declares for a route or a
// deployment.
type Alias struct {
	Name string
	// Of is the route or deployment it stands for.
	Of string
}

// compileAliases builds the alias tables of cfg: declared aliases first
// (Validate has made them unique), then each deployment's model ids in
// the configuration's order, the first deployment keeping an id several
// serve. A route's or deployment's own name is never an alias.
func (p *Policy) compileAliases(cfg *config.Config) {
	a := aliases{exact: map[string]string{}, family: map[string]string{}}
	for _, name := range cfg.RouteNames() {
		for _, al := range cfg.Routes[name].Aliases {
			a.exact[al] = name
			a.declared = append(a.declared, Alias{Name: al, Of: name})
		}
	}
	for _, name := range cfg.DeploymentNames() {
		for _, al := range cfg.Deployments[name].Aliases {
			a.exact[al] = name
			a.declared = append(a.declared, Alias{Name: al, Of: name})
		}
	}
	slices.SortFunc(a.declared, func(x, y Alias) int { return strings.Compare(x.Name, y.Name) })
	for _, d := range p.deps {
		for _, id := range [...]string{d.Model, d.BaseModel} {
			if id == "" {
				continue
			}
			if _, ok := a.exact[id]; !ok && !p.isName(id) {
				a.exact[id] = d.Name
			}
			if f := ModelFamily(id); f != "" {
				if _, ok := a.family[f]; !ok {
					a.family[f] = d.Name
				}
			}
		}
	}
	p.aliases = a
}

// Aliases returns the declared aliases, sorted by name (GET /v1/models
// lists them beside the routes and deployments).
func (p *Policy) Aliases() []Alias { return p.aliases.declared }

func (p *Policy) isName(s string) bool {
	_, dep := p.byName[s]
	_, rt := p.routes[s]
	return dep || rt
}

// Resolve returns the route or deployment a request's model names:
// model itself when it is one, else the one it is an alias of (aliased
// true): a declared alias, a deployment's upstream model id, or the same
// id up to ModelFamily. ok is false for a name that resolves to nothing.
func (p *Policy) Resolve(model string) (name string, aliased, ok bool) {
	if p.isName(model) {
		return model, false, true
	}
	if n, found := p.aliases.exact[model]; found {
		return n, true, true
	}
	if f := ModelFamily(model); f != "" {
		if n, found := p.aliases.family[f]; found {
			return n, true, true
		}
	}
	return "", false, false
}

// ModelFamily returns the key under which model ids that name the same
// model compare equal: lower case, without a vendor prefix
// ("anthropic/", "openai/", "google/", Gemini's "models/"), without a
// trailing snapshot date ("-20250929", "-2024-08-06", Vertex's
// "@20250929") or "-latest", with dots as dashes (OpenRouter writes
// claude-sonnet-4.5 for claude-sonnet-4-5). "" when nothing is left.
func ModelFamily(model string) string {
	s := strings.ToLower(strings.TrimSpace(model))
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	s = strings.TrimSuffix(s, "-latest")
	s = strings.TrimSuffix(s, "@latest")
	s = trimDate(s)
	return strings.ReplaceAll(s, ".", "-")
}

// trimDate removes a trailing snapshot date: "-YYYYMMDD", "@YYYYMMDD"
// or "-YYYY-MM-DD".
func trimDate(s string) string {
	if n := len(s); n > 9 && (s[n-9] == '-' || s[n-9] == '@') && digits(s[n-8:]) && plausibleYear(s[n-8:n-4]) {
		return s[:n-9]
	}
	if n := len(s); n > 11 && s[n-11] == '-' && digits(s[n-10:n-6]) && s[n-6] == '-' &&
		digits(s[n-5:n-3]) && s[n-3] == '-' && digits(s[n-2:]) && plausibleYear(s[n-10:n-6]) {
		return s[:n-11]
	}
	return s
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// plausibleYear keeps an eight-digit suffix that is not a date (a
// build number, a context size) from being taken for one.
func plausibleYear(y string) bool { return y >= "2020" && y <= "2099" }
