package config

import (
	"fmt"
	"math"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchyard/llm"
)

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/-]*$`)

const nameHint = "names start with a letter or digit and use only letters, digits and . _ : / -"

// validator collects the mistakes of a Config, by field path.
type validator struct {
	c    *Config
	errs Errors
	// providers, deployments and routes are c's names, sorted once per
	// validation (the maps do not change while it runs): sorted again for
	// each deployment and route, a large configuration cost time and
	// memory quadratic in its size.
	providers, deployments, routes []string
}

// providerNames returns c.ProviderNames(), sorted once; appending to it
// copies.
func (v *validator) providerNames() []string {
	if v.providers == nil {
		v.providers = slices.Clip(v.c.ProviderNames())
	}
	return v.providers
}

// deploymentNames returns c.DeploymentNames(), sorted once; appending to
// it copies.
func (v *validator) deploymentNames() []string {
	if v.deployments == nil {
		v.deployments = slices.Clip(v.c.DeploymentNames())
	}
	return v.deployments
}

// routeNames returns c.RouteNames(), sorted once; appending to it copies.
func (v *validator) routeNames() []string {
	if v.routes == nil {
		v.routes = slices.Clip(v.c.RouteNames())
	}
	return v.routes
}

func (v *validator) add(path, problem, hint string) {
	v.errs = append(v.errs, &FieldError{Path: path, Problem: problem, Hint: hint})
}

// Validate fills unset (zero) fields with their defaults, as Parse does,
// then checks the whole configuration. It returns nil or an Errors listing
// every mistake, with Line and Column zero (Parse fills them in). Messages
// never hold API keys, auth keys or header values.
func (c *Config) Validate() error {
	c.applyDefaults()
	v := &validator{c: c}
	v.server()
	v.auth()
	v.resilience()
	v.store()
	v.state()
	v.budgets()
	v.telemetry()
	v.learn()
	v.drift()
	v.tenants()
	v.audit()
	v.notify()
	v.responses()
	v.batches()
	v.cost()
	v.thinking()
	v.guard("guard", &c.Guard)
	for _, name := range c.ProviderNames() {
		v.provider(name, c.Providers[name])
	}
	if len(c.Deployments) == 0 {
		v.add("deployments", "at least one deployment is required",
			"e.g. deployments: {gpt-4o-mini: {provider: openai}}")
	}
	for _, name := range c.DeploymentNames() {
		v.deployment(name, c.Deployments[name])
	}
	for _, name := range c.RouteNames() {
		v.route(name, c.Routes[name])
	}
	v.aliases()
	v.security()
	return v.errs.orNil()
}

func (c *Config) applyDefaults() {
	s := &c.Server
	if s.Addr == "" {
		s.Addr = DefaultAddr
	}
	if s.MaxBodyBytes == 0 {
		s.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if s.RequestTimeout == 0 {
		s.RequestTimeout = DefaultRequestTimeout
	}
	if s.ShutdownTimeout == 0 {
		s.ShutdownTimeout = DefaultShutdownTimeout
	}
	s.applyLimitDefaults()
	s.Realtime.applyDefaults()
	c.Resilience.applyDefaults()
	c.State.applyDefaults()
	c.Thinking.applyDefaults()
	c.budgetDefaults()
	c.Auth.applyDefaults()
	c.Security.applyDefaults()
	for name, p := range c.Providers {
		if p == nil {
			continue
		}
		if p.Name == "" {
			p.Name = name
		}
		if p.BaseURL == "" {
			p.BaseURL = defaultBaseURL[p.Kind]
		}
		p.BaseURL = strings.TrimRight(p.BaseURL, "/")
		for i := range p.Endpoints {
			p.Endpoints[i].BaseURL = strings.TrimRight(p.Endpoints[i].BaseURL, "/")
		}
		if p.Balance == "" {
			p.Balance = DefaultBalance
		}
		if p.APIVersion == "" {
			switch p.Kind {
			case KindAzure:
				if !strings.HasSuffix(p.BaseURL, "/openai/v1") { // the v1 API takes no dated version
					p.APIVersion = DefaultAzureAPIVersion
				}
			case KindAnthropic:
				p.APIVersion = DefaultAnthropicVersion
			}
		}
	}
	for name, d := range c.Deployments {
		if d == nil {
			continue
		}
		if d.Name == "" {
			d.Name = name
		}
		if d.Model == "" {
			d.Model = name
		}
	}
	for name, r := range c.Routes {
		if r == nil {
			continue
		}
		if r.Name == "" {
			r.Name = name
		}
		r.Hedge.applyDefaults()
	}
}

func (v *validator) server() {
	s := &v.c.Server
	if host, port, err := net.SplitHostPort(s.Addr); err != nil || !validPort(port) || strings.ContainsAny(host, " /") {
		v.add("server.addr", fmt.Sprintf("%q is not a host:port listen address", s.Addr),
			`e.g. "127.0.0.1:8080", or ":8080" for all interfaces`)
	}
	if s.MaxBodyBytes < 0 {
		v.add("server.max_body_bytes", fmt.Sprintf("must be > 0, got %d", s.MaxBodyBytes), "bytes, e.g. 10485760 for 10 MiB")
	}
	if s.RequestTimeout < 0 {
		v.add("server.request_timeout", "must be > 0, got "+s.RequestTimeout.String(), `e.g. "10m"`)
	}
	if s.ShutdownTimeout < 0 {
		v.add("server.shutdown_timeout", "must be > 0, got "+s.ShutdownTimeout.String(), `e.g. "30s"`)
	}
	if s.ShutdownDelay < 0 || s.ShutdownDelay > 10*time.Minute {
		v.add("server.shutdown_delay", "must be from 0 to 10m, got "+s.ShutdownDelay.String(), `e.g. "5s": a little more than your load balancer takes to stop sending`)
	}
	v.adminListen()
	v.serverLimits()
	v.realtime()
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 0 && n <= 65535
}

func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}

// checkName validates a provider, deployment or route key and the Name
// field stored under it.
func (v *validator) checkName(path, key, name string) {
	if !nameRE.MatchString(key) {
		v.add(path, fmt.Sprintf("invalid name %q", key), nameHint)
	}
	if name != key {
		v.add(path+".name", fmt.Sprintf("Name %q differs from its key %q", name, key), "leave Name empty or equal to the key")
	}
}

// deploymentPrices checks d's price, at path.
func (v *validator) deploymentPrices(path string, d *Deployment) {
	v.price(path+".input", d.Price.Input)
	v.price(path+".output", d.Price.Output)
	v.price(path+".cached_input", d.Price.CachedInput)
	v.price(path+".cache_write", d.Price.CacheWrite)
	v.price(path+".reasoning", d.Price.Reasoning)
	v.price(path+".cache_write_1h", d.Price.CacheWrite1h)
	v.price(path+".chat_audio_input", d.Price.ChatAudioInput)
	v.price(path+".chat_audio_output", d.Price.ChatAudioOutput)
	v.tierPrice(path+".priority", &d.Price.Priority)
	v.tierPrice(path+".ultrafast", &d.Price.Ultrafast)
	v.longPrompt(path+".long_prompt", d.Price.LongPrompt)
	if ws := d.Price.WebSearch; ws != nil && (*ws < 0 || math.IsNaN(*ws) || math.IsInf(*ws, 0)) {
		v.add(path+".web_search", "must be >= 0, got "+strconv.FormatFloat(*ws, 'g', -1, 64), "USD per web search, e.g. 0.035; 0 for free")
	}
	v.mediaPrice(path, d)
}

func (v *validator) deployment(name string, d *Deployment) {
	path := "deployments." + name
	if d == nil {
		v.checkName(path, name, name)
		v.add(path, "is empty", "a deployment needs at least a provider")
		return
	}
	v.checkName(path, name, d.Name)
	providers := v.providerNames()
	switch {
	case d.Provider == "":
		v.add(path+".provider", "is required", choices("", "configured providers", providers))
	case v.c.Providers[d.Provider] == nil:
		v.add(path+".provider", fmt.Sprintf("provider %q is not configured", d.Provider),
			choices(d.Provider, "configured providers", providers))
	}
	v.deploymentPrices(path+".price", d)
	const tokensHint = "tokens; 0 or unset means unknown"
	if d.ContextWindow < 0 {
		v.add(path+".context_window", fmt.Sprintf("must be >= 0, got %d", d.ContextWindow), tokensHint)
	}
	if d.MaxOutputTokens < 0 {
		v.add(path+".max_output_tokens", fmt.Sprintf("must be >= 0, got %d", d.MaxOutputTokens), tokensHint)
	} else if d.ContextWindow > 0 && d.MaxOutputTokens > d.ContextWindow {
		v.add(path+".max_output_tokens", fmt.Sprintf("%d exceeds context_window %d", d.MaxOutputTokens, d.ContextWindow),
			"the output limit fits within the context window")
	}
	v.capabilities(path+".capabilities", d.Capabilities)
	v.mediaKind(path+".capabilities", d)
	v.batchCapability(path+".capabilities", d)
	if b := d.BaseModel; b != "" && (strings.TrimSpace(b) == "" || strings.ContainsAny(b, " \t\r\n")) {
		v.add(path+".base_model", fmt.Sprintf("%q is not a model id", b), "the model the deployment runs, e.g. o3-mini or gpt-4o-mini; omit it when model names it")
	}
	if c := d.Continuation; c != "" && !slices.Contains(llm.Continuations, c) {
		v.add(path+".continuation", fmt.Sprintf("unknown continuation %q", c), "one of "+strings.Join(llm.Continuations, ", "))
	}
	v.structuredOutput(path+".structured_output", d)
	v.reasoningContent(path+".reasoning_content", d)
	v.thinkTags(path+".think_tags", d)
	v.reasoningEfforts(path+".reasoning_efforts", d)
	v.hostSettings(path, d)
	v.upstreamAPI(path+".api", d)
	if g := llm.InferenceGeo(d.InferenceGeo); g != "" && g != llm.GeoUS {
		v.add(path+".inference_geo", fmt.Sprintf("unknown inference_geo %q", d.InferenceGeo),
			"us, for a deployment whose inference runs only in the US; omit it otherwise")
	}
	if q := d.Quality; q < 0 || q > 1 || math.IsNaN(q) {
		v.add(path+".quality", "must be between 0 and 1, got "+strconv.FormatFloat(q, 'g', -1, 64),
			"a prior of answer quality, e.g. 0.8; omit it for 0.5")
	}
	if d.Latency.TTFT < 0 {
		v.add(path+".latency.ttft", "must be >= 0, got "+d.Latency.TTFT.String(), `the typical time to first token, e.g. "400ms"`)
	}
	if tps := d.Latency.TokensPerSecond; tps < 0 || math.IsNaN(tps) || math.IsInf(tps, 0) {
		v.add(path+".latency.tokens_per_second", "must be >= 0, got "+strconv.FormatFloat(tps, 'g', -1, 64),
			"the typical output speed, e.g. 90")
	}
	if tps := d.Latency.PrefillTokensPerSecond; tps < 0 || math.IsNaN(tps) || math.IsInf(tps, 0) {
		v.add(path+".latency.prefill_tokens_per_second", "must be >= 0, got "+strconv.FormatFloat(tps, 'g', -1, 64),
			"prompt tokens read per second, e.g. 5000")
	}
	if d.TTFTTimeout < 0 {
		v.add(path+".ttft_timeout", "must be >= 0, got "+d.TTFTTimeout.String(), `e.g. "3s"; omit it to derive it from the deployment's speed`)
	}
}

func (v *validator) price(path string, p float64) {
	if p < 0 || math.IsNaN(p) || math.IsInf(p, 0) {
		v.add(path, "must be >= 0, got "+strconv.FormatFloat(p, 'g', -1, 64), "prices are USD per 1M tokens")
	}
}

func (v *validator) capabilities(path string, caps []llm.Capability) {
	valid := make([]string, len(capabilities))
	for i, c := range capabilities {
		valid[i] = string(c)
	}
	for i, c := range caps {
		p := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case !slices.Contains(capabilities, c):
			v.add(p, fmt.Sprintf("unknown capability %q", c), choices(string(c), "valid capabilities", valid))
		case slices.Contains(caps[:i], c):
			v.add(p, fmt.Sprintf("capability %q is listed twice", c), "remove one")
		}
	}
}
