package config

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// This file checks a provider's key pool: api_keys, endpoints and balance.

// badKey reports whether a key has surrounding spaces or control
// characters, the marks of a bad copy.
func badKey(k string) bool { return strings.TrimSpace(k) != k || hasControl(k) }

const badKeyHint = "check how the key was copied"

// usesBaseURL reports whether some member of the provider's pool uses its
// own BaseURL.
func (p *Provider) usesBaseURL() bool {
	return !p.Pooled() || p.APIKey != "" || len(p.APIKeys) > 0 ||
		slices.ContainsFunc(p.Endpoints, func(e Endpoint) bool { return e.BaseURL == "" })
}

func (v *validator) pool(path string, p *Provider) {
	if !slices.Contains(balances, p.Balance) {
		v.add(path+".balance", fmt.Sprintf("unknown balance %q", p.Balance), choices(p.Balance, "balances", balances))
	}
	for i, k := range p.APIKeys {
		kp := fmt.Sprintf("%s.api_keys[%d]", path, i)
		switch {
		case k == "":
			v.add(kp, "is empty", "set the variable it comes from, or remove the entry")
		case badKey(k):
			v.add(kp, "has leading or trailing spaces or control characters", badKeyHint)
		}
	}
	for i, e := range p.Endpoints {
		v.endpoint(fmt.Sprintf("%s.endpoints[%d]", path, i), p, e)
	}
	v.duplicateMembers(path, p)
}

func (v *validator) endpoint(path string, p *Provider, e Endpoint) {
	if e.BaseURL == "" && e.APIKey == "" {
		v.add(path, "sets neither base_url nor api_key",
			"an endpoint adds another base_url or key; for another key at the provider's base_url, add it to api_keys")
		return
	}
	if e.BaseURL != "" {
		v.url(path+".base_url", e.BaseURL)
	}
	switch {
	case e.APIKey == "" && p.APIKey == "" && !isLoopback(cmp.Or(e.BaseURL, p.BaseURL)):
		v.add(path+".api_key", "is required: the provider has no api_key to fall back on",
			fmt.Sprintf("e.g. api_key: ${%s}, here or on the provider; only a loopback base_url may go without", keyVar(p.Kind)))
	case badKey(e.APIKey):
		v.add(path+".api_key", "has leading or trailing spaces or control characters", badKeyHint)
	}
	switch {
	case e.Weight < 0:
		v.add(path+".weight", checkCount(e.Weight), "a whole-number share of requests, e.g. 2; omit it for 1")
	case e.Weight > 0 && p.Balance == BalanceLeastInFlight:
		v.add(path+".weight", fmt.Sprintf("weight is only used with balance: %s, not %s", BalanceWeighted, BalanceLeastInFlight),
			"set balance: weighted on the provider, or remove weight")
	}
}

// duplicateMembers reports a member of the pool with the same base_url and
// key as an earlier one: it would only skew the balance. Keys are never
// quoted.
func (v *validator) duplicateMembers(path string, p *Provider) {
	type member struct{ path, name, url, key string }
	var ms []member
	if p.APIKey != "" || !p.Pooled() {
		ms = append(ms, member{path + ".api_key", "api_key", p.BaseURL, p.APIKey})
	}
	for i, k := range p.APIKeys {
		if k != "" {
			name := fmt.Sprintf("api_keys[%d]", i)
			ms = append(ms, member{path + "." + name, name, p.BaseURL, k})
		}
	}
	for i, e := range p.Endpoints {
		if e.BaseURL != "" || e.APIKey != "" {
			name := fmt.Sprintf("endpoints[%d]", i)
			r := p.resolve(e)
			ms = append(ms, member{path + "." + name, name, r.BaseURL, r.APIKey})
		}
	}
	for i, m := range ms {
		j := slices.IndexFunc(ms[:i], func(x member) bool { return x.url == m.url && x.key == m.key })
		if j < 0 {
			continue
		}
		problem := "same key as " + ms[j].name
		if strings.HasPrefix(m.name, "endpoints") {
			other := ms[j].name
			if j == 0 && other == "api_key" {
				other = "the provider's own base_url and api_key"
			}
			problem = "same base_url and key as " + other
		}
		v.add(m.path, problem, "remove one of them; each key and endpoint is listed once")
	}
}
