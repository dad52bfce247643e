package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestResilienceDefaults(t *testing.T) {
	one := DefaultRetries
	want := Resilience{
		Retries: &one, Backoff: DefaultBackoff, BackoffMax: DefaultBackoffMax, StallTimeout: DefaultStallTimeout,
		Health: Health{
			Window: DefaultHealthWindow, MinRequests: DefaultMinRequests, FailureRatio: DefaultFailureRatio,
			ConsecutiveFailures: DefaultConsecutiveFailures, OpenFor: DefaultOpenFor, Probes: DefaultProbes,
			ProbeSuccesses: DefaultProbeSuccesses, SpikeFactor: DefaultSpikeFactor, SpikeCount: DefaultSpikeCount,
			SpikeWindow: DefaultSpikeWindow, ProbeInterval: DefaultProbeInterval, RecoverProbes: DefaultRecoverProbes,
		},
	}
	for _, tt := range []struct{ name, yaml string }{
		{"no section", ""},
		{"empty section", "resilience: {}\n"},
		{"empty subsections", "resilience: {retries: ~, backoff: {}, health: {breaker: {}, latency: {}}}\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := mustParse(t, []byte(okProvider+"deployments: {d: {provider: openai}}\nroutes: {r: {deployments: [d]}}\n"+tt.yaml), nil)
			if !reflect.DeepEqual(c.Resilience, want) {
				t.Errorf("Resilience = %+v, want %+v", c.Resilience, want)
			}
			if p := c.Providers["openai"]; p.Balance != DefaultBalance {
				t.Errorf("balance = %q, want %q", p.Balance, DefaultBalance)
			}
			if h := c.Routes["r"].Hedge; h.Enabled() {
				t.Errorf("hedge = %+v, want off", h)
			}
		})
	}

	// A Config built in Go gets the same defaults; each config its own Retries.
	a, b := goConfig(), goConfig()
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Resilience, want) {
		t.Errorf("Go config Resilience = %+v, want %+v", a.Resilience, want)
	}
	if *a.Resilience.Retries = 3; *b.Resilience.Retries != DefaultRetries {
		t.Error("two configs share their Retries")
	}
	// Retries 0 is kept: it disables retries.
	c := goConfig()
	zero := 0
	c.Resilience.Retries = &zero
	if err := c.Validate(); err != nil || *c.Resilience.Retries != 0 {
		t.Errorf("Validate with retries 0 = %v, retries %d", err, *c.Resilience.Retries)
	}
}

func goConfig() *Config {
	return &Config{
		Providers:   map[string]*Provider{"openai": {Kind: KindOpenAI, APIKey: "k"}},
		Deployments: map[string]*Deployment{"mini": {Provider: "openai"}},
		Routes:      map[string]*Route{"auto": {Deployments: []string{"mini"}}},
	}
}

// TestKeyPools checks pools that are valid, and the members they resolve to.
func TestKeyPools(t *testing.T) {
	const openai = "https://api.openai.com/v1"
	tests := []struct {
		name, provider string
		want           []Endpoint
	}{
		{"one key", "{kind: openai, api_key: k}", []Endpoint{{openai, "k", 1}}},
		{"keyless loopback", "{kind: openai, base_url: http://localhost:8000/v1}", []Endpoint{{"http://localhost:8000/v1", "", 1}}},
		{"more keys", "{kind: openai, api_key: k, api_keys: [k2, k3]}",
			[]Endpoint{{openai, "k", 1}, {openai, "k2", 1}, {openai, "k3", 1}}},
		{"api_keys without api_key", "{kind: openai, api_keys: [k2, k3]}", []Endpoint{{openai, "k2", 1}, {openai, "k3", 1}}},
		{"endpoints only, each with a key", "{kind: openai, endpoints: [{base_url: https://a.example.com/v1, api_key: a}, {base_url: https://b.example.com/v1/, api_key: b}]}",
			[]Endpoint{{"https://a.example.com/v1", "a", 1}, {"https://b.example.com/v1", "b", 1}}},
		{"keyless loopback endpoint", "{kind: openai, endpoints: [{base_url: \"http://127.0.0.1:8000/v1\"}, {base_url: https://b.example.com/v1, api_key: b}]}",
			[]Endpoint{{"http://127.0.0.1:8000/v1", "", 1}, {"https://b.example.com/v1", "b", 1}}},
		{"endpoint falls back on the provider's key", "{kind: openai, api_key: k, endpoints: [{base_url: https://eu.example.com/v1}]}",
			[]Endpoint{{openai, "k", 1}, {"https://eu.example.com/v1", "k", 1}}},
		{"same key at another endpoint", "{kind: openai, api_key: k, endpoints: [{base_url: https://eu.example.com/v1, api_key: k}]}",
			[]Endpoint{{openai, "k", 1}, {"https://eu.example.com/v1", "k", 1}}},
		{"weighted", "{kind: openai, api_key: k, balance: weighted, endpoints: [{api_key: k2, weight: 3}, {api_key: k3}]}",
			[]Endpoint{{openai, "k", 1}, {openai, "k2", 3}, {openai, "k3", 1}}},
		{"azure pool", "{kind: azure, base_url: https://a.openai.azure.com, api_key: k, api_keys: [k2], endpoints: [{base_url: https://b.openai.azure.com, api_key: k3}]}",
			[]Endpoint{{"https://a.openai.azure.com", "k", 1}, {"https://a.openai.azure.com", "k2", 1}, {"https://b.openai.azure.com", "k3", 1}}},
		{"azure endpoints need no base_url of their provider", "{kind: azure, endpoints: [{base_url: https://a.openai.azure.com, api_key: a}]}",
			[]Endpoint{{"https://a.openai.azure.com", "a", 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustParse(t, []byte("providers:\n  p: "+tt.provider+"\ndeployments: {d: {provider: p}}\n"), nil)
			if got := c.Providers["p"].Members(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Members() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestResilienceMistakes(t *testing.T) {
	// p is a provider whose fields start on line 5, column 5.
	p := func(body string) string {
		return "deployments: {d: {provider: p}}\nroutes: {r: {deployments: [d]}}\nproviders:\n  p:\n" + body
	}
	// res is a resilience section whose fields start on line 4, column 3.
	res := func(body string) string {
		return okProvider + "deployments: {d: {provider: openai}}\nresilience:\n" + body
	}
	// hedge is a route whose hedge's value is on line 6, column 12.
	hedge := func(body string) string {
		return okProvider + "deployments: {d: {provider: openai}, e: {provider: openai}}\nroutes:\n  r:\n    deployments: [d, e]\n    hedge: " + body + "\n"
	}
	tests := []struct {
		name, yaml, path string
		line, col        int
		problem, hint    string // substrings
	}{
		// Key pools.
		{"empty api_keys entry", p("    kind: openai\n    api_key: k\n    api_keys: [k2, \"${E:-}\"]\n"),
			"providers.p.api_keys[1]", 7, 20, "is empty", "remove the entry"},
		{"api_keys entry padded", p("    kind: openai\n    api_keys: [\" k2\"]\n"),
			"providers.p.api_keys[0]", 6, 16, "leading or trailing spaces", "copied"},
		{"api_keys repeats api_key", p("    kind: openai\n    api_key: k\n    api_keys: [k2, k]\n"),
			"providers.p.api_keys[1]", 7, 20, "same key as api_key", "remove one"},
		{"api_keys repeats itself", p("    kind: openai\n    api_keys: [k2, k3, k2]\n"),
			"providers.p.api_keys[2]", 6, 24, "same key as api_keys[0]", "remove one"},
		{"api_keys not a list", p("    kind: openai\n    api_key: k\n    api_keys: k2\n"),
			"providers.p.api_keys", 7, 15, "must be a list, got a string", "e.g. ["},
		{"unknown balance", p("    kind: openai\n    api_key: k\n    balance: weigted\n"),
			"providers.p.balance", 7, 14, `unknown balance "weigted"`, `did you mean "weighted"?; balances: least_in_flight, weighted`},
		{"weight without weighted", p("    kind: openai\n    api_key: k\n    endpoints: [{api_key: k2, weight: 2}]\n"),
			"providers.p.endpoints[0].weight", 7, 39, "weight is only used with balance: weighted, not least_in_flight", "set balance: weighted"},
		{"weight zero", p("    kind: openai\n    api_key: k\n    balance: weighted\n    endpoints: [{api_key: k2, weight: 0}]\n"),
			"providers.p.endpoints[0].weight", 8, 39, "must be >= 1, got 0", "omit it for the default"},
		{"weight negative", p("    kind: openai\n    api_key: k\n    balance: weighted\n    endpoints: [{api_key: k2, weight: -1}]\n"),
			"providers.p.endpoints[0].weight", 8, 39, "must be >= 1, got -1", "omit it for 1"},
		{"weight not a number", p("    kind: openai\n    api_key: k\n    balance: weighted\n    endpoints: [{api_key: k2, weight: heavy}]\n"),
			"providers.p.endpoints[0].weight", 8, 39, `must be an integer, got string "heavy"`, "share"},
		{"endpoint base_url not absolute", p("    kind: openai\n    api_key: k\n    endpoints:\n      - base_url: eu.example.com/v1\n"),
			"providers.p.endpoints[0].base_url", 8, 19, `"eu.example.com/v1" is not an absolute http(s) URL`, "e.g. https://"},
		{"endpoint base_url with credentials", p("    kind: openai\n    api_key: k\n    endpoints:\n      - base_url: https://u:pw@eu.example.com\n"),
			"providers.p.endpoints[0].base_url", 8, 19, "must not contain credentials", "api_key"},
		{"endpoint sets nothing", p("    kind: openai\n    api_key: k\n    balance: weighted\n    endpoints: [{weight: 2}]\n"),
			"providers.p.endpoints[0]", 8, 17, "sets neither base_url nor api_key", "add it to api_keys"},
		{"endpoint without any key", p("    kind: openai\n    endpoints:\n      - base_url: https://eu.example.com/v1\n"),
			"providers.p.endpoints[0].api_key", 7, 9, "is required: the provider has no api_key", "${OPENAI_API_KEY}"},
		{"endpoint repeats endpoint", p("    kind: openai\n    endpoints:\n      - {base_url: https://eu.example.com/v1, api_key: k}\n      - {base_url: \"https://eu.example.com/v1/\", api_key: k}\n"),
			"providers.p.endpoints[1]", 8, 9, "same base_url and key as endpoints[0]", "remove one"},
		{"endpoint repeats provider", p("    kind: openai\n    api_key: k\n    endpoints: [{base_url: \"https://api.openai.com/v1\"}]\n"),
			"providers.p.endpoints[0]", 7, 17, "same base_url and key as the provider's own base_url and api_key", "remove one"},
		{"endpoint repeats api_keys", p("    kind: openai\n    api_keys: [k2]\n    endpoints: [{api_key: k2}]\n"),
			"providers.p.endpoints[0]", 7, 17, "same base_url and key as api_keys[0]", ""},
		{"endpoint unknown field", p("    kind: openai\n    api_key: k\n    endpoints: [{base_url: https://eu.example.com/v1, apikey: k2}]\n"),
			"providers.p.endpoints[0]", 7, 55, `unknown field "apikey"`, `did you mean "api_key"?; allowed: base_url, api_key, weight`},
		{"endpoint not a mapping", p("    kind: openai\n    api_key: k\n    endpoints: [https://eu.example.com/v1]\n"),
			"providers.p.endpoints[0]", 7, 17, "must be a mapping (key: value), got a string", "key: value"},
		{"azure pool still needs base_url", p("    kind: azure\n    endpoints: [{base_url: https://a.openai.azure.com, api_key: a}, {api_key: b}]\n"),
			"providers.p.base_url", 4, 3, "is required for kind azure", "openai.azure.com"},
		{"provider field unknown", p("    kind: openai\n    api_key: k\n    apikeys: [k2]\n"),
			"providers.p", 7, 5, `unknown field "apikeys"`, `did you mean "api_keys"?`},

		// The resilience section.
		{"retries negative", res("  retries: -1\n"),
			"resilience.retries", 4, 12, "must be between 0 and 10, got -1", "0 disables them"},
		{"retries too many", res("  retries: 11\n"),
			"resilience.retries", 4, 12, "must be between 0 and 10, got 11", ""},
		{"retries not a number", res("  retries: once\n"),
			"resilience.retries", 4, 12, `must be an integer, got string "once"`, "0 disables them"},
		{"backoff base over max", res("  backoff: {base: 3s}\n"),
			"resilience.backoff.base", 4, 19, "3s exceeds backoff.max 2s", "2s unless set"},
		{"backoff zero", res("  backoff: {base: 0s, max: 1s}\n"),
			"resilience.backoff.base", 4, 19, "must be > 0, got 0s", "omit it for the default"},
		{"stall_timeout without unit", res("  stall_timeout: 30\n"),
			"resilience.stall_timeout", 4, 18, "must be a duration, got number 30", "unit"},
		{"window negative", res("  health: {window: -5s}\n"),
			"resilience.health.window", 4, 20, "must be > 0, got -5s", ""},
		{"failure_ratio over 1", res("  health:\n    breaker: {failure_ratio: 1.5}\n"),
			"resilience.health.breaker.failure_ratio", 5, 30, "must be > 0 and <= 1, got 1.5", "e.g. 0.5"},
		{"failure_ratio zero", res("  health:\n    breaker: {failure_ratio: 0}\n"),
			"resilience.health.breaker.failure_ratio", 5, 30, "must be > 0 and <= 1, got 0", "omit it for the default"},
		{"min_requests zero", res("  health:\n    breaker: {min_requests: 0}\n"),
			"resilience.health.breaker.min_requests", 5, 29, "must be >= 1, got 0", "omit it for the default"},
		{"probes negative", res("  health:\n    breaker: {probes: -1}\n"),
			"resilience.health.breaker.probes", 5, 23, "must be >= 1, got -1", "probes in flight"},
		{"open_for not a duration", res("  health:\n    breaker: {open_for: a while}\n"),
			"resilience.health.breaker.open_for", 5, 25, `must be a duration, got string "a while"`, ""},
		{"spike_factor 1", res("  health:\n    latency: {spike_factor: 1}\n"),
			"resilience.health.latency.spike_factor", 5, 29, "must be > 1, got 1", "e.g. 3"},
		{"spike_factor zero", res("  health:\n    latency: {spike_factor: 0}\n"),
			"resilience.health.latency.spike_factor", 5, 29, "must be > 1, got 0", "omit it for the default"},
		{"recover_probes not a number", res("  health:\n    latency: {recover_probes: three}\n"),
			"resilience.health.latency.recover_probes", 5, 31, `must be an integer, got string "three"`, "good probes"},
		{"unknown resilience field", res("  retires: 2\n"),
			"resilience", 4, 3, `unknown field "retires"`, `did you mean "retries"?; allowed: retries, backoff, stall_timeout, health`},
		{"unknown health field", res("  health: {breakers: {}}\n"),
			"resilience.health", 4, 12, `unknown field "breakers"`, `did you mean "breaker"?`},
		{"unknown breaker field", res("  health:\n    breaker: {min_request: 5}\n"),
			"resilience.health.breaker", 5, 15, `unknown field "min_request"`, `did you mean "min_requests"?`},
		{"unknown backoff field", res("  backoff: {maximum: 1s}\n"),
			"resilience.backoff", 4, 13, `unknown field "maximum"`, "allowed: base, max"},

		// A route's hedge.
		{"hedge quantile 1", hedge("{quantile: 1}"),
			"routes.r.hedge.quantile", 6, 23, "must be between 0 and 1 (both excluded), got 1", "e.g. 0.9"},
		{"hedge quantile zero", hedge("{quantile: 0}"),
			"routes.r.hedge.quantile", 6, 23, "must be between 0 and 1 (both excluded), got 0", "omit it for the default"},
		{"hedge after zero", hedge("{after: 0s}"),
			"routes.r.hedge.after", 6, 20, "must be > 0, got 0s", ""},
		{"hedge empty", hedge("{}"),
			"routes.r.hedge", 6, 12, "sets neither after nor quantile", "hedge: {after: 400ms}"},
		{"hedge unknown field", hedge("{aftr: 1s}"),
			"routes.r.hedge", 6, 13, `unknown field "aftr"`, `did you mean "after"?; allowed: after, quantile`},
		{"hedge not a mapping", hedge("400ms"),
			"routes.r.hedge", 6, 12, "must be a mapping (key: value), got a string", "{key: value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), nil)
			fe := findError(t, err, tt.path, tt.problem)
			if fe.Line != tt.line || fe.Column != tt.col {
				t.Errorf("position = %d:%d, want %d:%d (%v)", fe.Line, fe.Column, tt.line, tt.col, fe)
			}
			if fe.Hint == "" || !strings.Contains(fe.Hint, tt.hint) {
				t.Errorf("hint = %q, want it to contain %q", fe.Hint, tt.hint)
			}
			if errs := err.(Errors); len(errs) != 1 {
				t.Errorf("%d errors, want 1:\n%v", len(errs), err)
			}
		})
	}
}

// TestValidateGoResilience checks what only a Config built in Go can hold:
// negative values that the YAML decoder never lets through as zero.
func TestValidateGoResilience(t *testing.T) {
	c := goConfig()
	minus := -1
	c.Resilience = Resilience{Retries: &minus, Backoff: -time.Second, StallTimeout: -1,
		Health: Health{FailureRatio: -0.5, SpikeFactor: 0.5, MinRequests: -2, ProbeInterval: -time.Second}}
	c.Routes["auto"].Hedge = Hedge{After: -time.Second, Quantile: 2}
	p := c.Providers["openai"]
	p.Balance = "round_robin"
	p.Endpoints = []Endpoint{{BaseURL: "https://eu.example.com", Weight: -2}}
	err := c.Validate()
	want := []string{
		`providers.openai.balance: unknown balance "round_robin" (balances: least_in_flight, weighted)`,
		`providers.openai.endpoints[0].weight: must be >= 1, got -2 (a whole-number share of requests, e.g. 2; omit it for 1)`,
		`resilience.backoff.base: must be > 0, got -1s (the first retry's wait, e.g. "100ms")`,
		`resilience.health.breaker.failure_ratio: must be > 0 and <= 1, got -0.5 (the failed share of attempts that opens the breaker, e.g. 0.5)`,
		`resilience.health.breaker.min_requests: must be >= 1, got -2 (attempts the window must hold before the ratio counts, e.g. 10)`,
		`resilience.health.latency.probe_interval: must be > 0, got -1s (how often a demoted deployment is probed, e.g. "10s")`,
		`resilience.health.latency.spike_factor: must be > 1, got 0.5 (times the baseline time to first token that counts as a spike, e.g. 3)`,
		`resilience.retries: must be between 0 and 10, got -1 (retries of one deployment after a 429, 5xx or connection error; 0 disables them)`,
		`resilience.stall_timeout: must be > 0, got -1ns (how long a started stream may send nothing, e.g. "30s")`,
		`routes.auto.hedge.after: must be > 0, got -1s (how long the first token may take before the next candidate starts, e.g. "400ms")`,
		`routes.auto.hedge.quantile: must be between 0 and 1 (both excluded), got 2 (a quantile of the deployment's recent times to first token, e.g. 0.9)`,
	}
	if err == nil {
		t.Fatal("Validate: no error")
	}
	if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("Validate errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
