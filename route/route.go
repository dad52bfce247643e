// Package route is Switchyard's routing policy: a pure decision from a
// request's features, the configuration, a health snapshot and (later)
// learned scores to a Plan — ordered tiers of candidate deployments with
// their timeouts — and an Explanation of every choice.
//
// It does no I/O, starts no goroutines, reads no clock and uses no global
// randomness: the same Input always gives the same Plan. The per-route
// tables are compiled once by New, so Plan does little work per request.
package route

import (
	"slices"
	"time"

	"switchyard/config"
	"switchyard/cost"
	"switchyard/llm"
	"switchyard/wire/anthropic"
	"switchyard/wire/gemini"
)

// The built-in virtual models, defined over every chat deployment unless
// the configuration defines a route of the same name.
const (
	Auto      = "auto"
	AutoCheap = "auto-cheap"
	AutoBest  = "auto-best"
)

var builtins = []struct {
	name     string
	strategy config.Strategy
	desc     string
}{
	{Auto, config.StrategyBalanced, "Built in: every chat deployment, balancing quality, price and latency"},
	{AutoCheap, config.StrategyCheapest, "Built in: every chat deployment, cheapest first"},
	{AutoBest, config.StrategyBest, "Built in: every chat deployment, best quality first"},
}

// Deployment is a deployment as the policy sees it: the domain type plus
// what the static scorer and the budget checks read.
type Deployment struct {
	// Deployment is priced by its configuration over the built-in
	// catalog (cost.Resolve); PriceUnknown marks a price neither knows.
	llm.Deployment
	// Pricing says where the price comes from.
	Pricing cost.Pricing
	// Index is the deployment's position in Policy.Deployments.
	Index int
	// Quality is the prior from 0 to 1 (config.DefaultQuality if unset).
	Quality float64
	// TTFT and TokensPerSecond are the configured speed; zero is unknown.
	TTFT            time.Duration
	TokensPerSecond float64

	caps capMask
	chat bool
	// refusesBlankStop reports a wire format that refuses a stop sequence
	// of whitespace alone (Anthropic's).
	refusesBlankStop bool
	// maxTemperature is the highest temperature its wire format takes
	// (maxTemperature); zero for no bound below OpenAI's 2.
	maxTemperature float64
	// maxStop and maxChoices are the most stop sequences and choices (n)
	// its wire format takes; zero means no bound the router knows of.
	maxStop, maxChoices int
	// audio reports that its wire format can answer in audio (OpenAI's);
	// otherParts that its adapter takes content parts neither text, image
	// nor document (OpenAI's passes them through, Gemini's maps audio and
	// files; Anthropic's takes neither); documentURL that its wire format
	// takes a document by URL (Anthropic's alone); serverTools that it
	// serves Anthropic's server tools (an Anthropic deployment).
	audio, otherParts, documentURL, serverTools bool
	// responsesFiles: an OpenAI deployment (Azure's reads PDFs alone,
	// fetches no file_url) whose Responses API takes non-PDF files by
	// bytes and documents by URL as input_file (takesFileData).
	responsesFiles bool
	// hosted are the OpenAI hosted tools it serves (0 for none): every
	// kind for an OpenAI deployment called on the Responses API (api
	// responses), or whose API its model chose (api auto: such a request
	// is then sent to the Responses API, dispatch.Upstream); Azure's
	// (openai.AzureHostedTools) for an Azure one so called on the v1 API.
	hosted llm.HostedKinds
	// usInference reports a deployment that keeps inference in the US
	// when asked (NeedUSInference): a Claude API deployment whose model
	// takes inference_geo (anthropic.TakesInferenceGeo; it is sent the
	// field), or one configured inference_geo: us.
	usInference bool
	// noForcedTool: a Claude model that refuses a forced tool choice
	// (anthropic.Traits.NoForcedTool); its adapter then asks for the call
	// instead.
	noForcedTool bool
	// openAI reports an OpenAI or Azure deployment, whose model id says
	// which parameters it refuses (refusedParam).
	openAI bool
	// toolsRefusedAt says, for an openAI one, at which efforts asked its
	// model refuses function tools on Chat Completions (toolsRefusals).
	toolsRefusedAt effortSet
	// geminiPre3: a Gemini deployment whose model, before Gemini 3,
	// refuses a JSON answer (gemini.RefusesJSONWithTools) and its web
	// search (RefusesSearchWithTools) beside function tools.
	geminiPre3 bool
	// noWebSearch: a Claude deployment whose model has no web search
	// tool (anthropic.HasWebSearch), which OpenAI's web search runs as.
	noWebSearch bool
	// responses reports an OpenAI-wire deployment called on the
	// Responses API (upstreamAPI): it takes no stop sequences.
	responses bool
	// autoResponses reports an OpenAI-wire deployment whose api its
	// model chose (auto) on an upstream with a /responses route
	// (hasResponsesRoute): a request only the Responses API serves is
	// sent there (callsResponses).
	autoResponses bool
	// reasons reports a deployment that takes reasoning controls:
	// declared reasoning, or so by its model id (ReasonsOn).
	reasons bool
	// completions reports a completions-only deployment (it declares
	// completions): no chat, but a legacy completion (NeedCompletion).
	completions bool
	// takesTier reports that its provider is sent the request's
	// service_tier (config.Provider.TakesServiceTier), so that a tier
	// asked for is the tier it serves and bills; takesFlex that flex is
	// among them (not Anthropic's: Claude has no flex, and a flex request
	// is sent standard_only).
	takesTier, takesFlex bool
}

// Model is one virtual model (route) for the model listing.
type Model struct {
	Name, Description string
	// Builtin reports a built-in route (auto, auto-cheap, auto-best) that
	// the configuration does not define.
	Builtin bool
}

// Policy is the compiled routing policy of one configuration. It is
// immutable and safe for concurrent use.
type Policy struct {
	deps   []*Deployment
	byName map[string]*Deployment
	routes map[string]*compiledRoute
	// aliases resolves the other names clients may ask for (Resolve).
	aliases aliases
	// home is, per deployment index, the route a pinned request's
	// fallbacks come from; nil for none.
	home   []*compiledRoute
	models []Model
	scorer Scorer
	// dropHosted is the responses section's hosted_tools drop_optional:
	// the default of the routes that set none, and of a deployment named
	// outside a route (hosted_optional.go).
	dropHosted bool
}

// Options tune New. The zero value is usable.
type Options struct {
	// Scorer ranks candidates for the balanced, cheapest and best
	// strategies; nil means Static.
	Scorer Scorer
}

// New compiles the policy of cfg, which must have passed Validate.
func New(cfg *config.Config, opts Options) *Policy {
	p := &Policy{byName: map[string]*Deployment{}, routes: map[string]*compiledRoute{}, scorer: opts.Scorer}
	if p.scorer == nil {
		p.scorer = Static{}
	}
	p.dropHosted = cfg.Responses.HostedTools == config.HostedToolsDropOptional
	var chat []int
	for i, name := range cfg.DeploymentNames() {
		d := newDeployment(cfg.Deployments[name], cfg.Providers[cfg.Deployments[name].Provider], i)
		cost.ApplyTiers(cfg, cfg.Deployments[name], &d.Deployment)
		p.deps = append(p.deps, d)
		p.byName[name] = d
		if d.chat {
			chat = append(chat, i)
		}
	}
	for _, name := range cfg.RouteNames() {
		p.routes[name] = p.compileRoute(cfg.Routes[name])
		p.models = append(p.models, Model{Name: name, Description: cfg.Routes[name].Description})
	}
	for _, b := range builtins {
		if _, ok := p.routes[b.name]; ok || len(chat) == 0 {
			continue
		}
		p.routes[b.name] = p.builtinRoute(b.name, b.strategy, chat)
		p.models = append(p.models, Model{Name: b.name, Description: b.desc, Builtin: true})
	}
	slices.SortFunc(p.models, func(a, b Model) int { return cmpString(a.Name, b.Name) })
	p.home = make([]*compiledRoute, len(p.deps))
	for _, d := range p.deps {
		p.home[d.Index] = p.homeRoute(d.Index)
	}
	p.compileAliases(cfg)
	return p
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// maxChoices is the most choices (n) a provider of the kind returns for
// one request: Anthropic's API one, Gemini's 8 (candidateCount); zero for
// OpenAI's, which takes up to 128 (the decoder's own bound).
func maxChoices(kind string) int {
	switch kind {
	case config.KindAnthropic:
		return 1
	case config.KindGemini:
		return 8
	}
	return 0
}

// maxTemperature is the highest temperature a provider of the kind takes:
// Anthropic's API 1 (its adapter refuses more: OpenAI's 0–2 scale is not
// rescaled); zero for OpenAI's and Gemini's, which take OpenAI's 2.
func maxTemperature(kind string) float64 {
	if kind == config.KindAnthropic {
		return 1
	}
	return 0
}

func newDeployment(cd *config.Deployment, p *config.Provider, i int) *Deployment {
	d := &Deployment{
		Deployment:      cd.LLM(),
		Pricing:         cost.Resolve(p, cd),
		Index:           i,
		Quality:         cd.Quality,
		TTFT:            cd.Latency.TTFT,
		TokensPerSecond: cd.Latency.TokensPerSecond,
	}
	d.Pricing.Apply(&d.Deployment)
	if d.Quality == 0 {
		d.Quality = config.DefaultQuality
	}
	if d.Pricing.Completion { // a completions-only model by the catalog: as if it declared so
		d.Capabilities = []llm.Capability{llm.CapCompletions}
	}
	d.caps = capsOf(d.Capabilities)
	d.reasons = d.Has(llm.CapReasoning)
	d.chat = d.Pricing.ServesChat
	d.completions = d.Has(llm.CapCompletions)
	d.caps &^= capBit(llm.CapLogprobs)
	if p != nil && returnsLogprobs(p.Kind, d.Capabilities) {
		d.caps |= capBit(llm.CapLogprobs)
	}
	if p != nil {
		d.maxStop, d.maxChoices, d.maxTemperature = maxStopSequences(p.Kind), maxChoices(p.Kind), maxTemperature(p.Kind)
		d.audio = p.Kind == config.KindOpenAI || p.Kind == config.KindAzure
		d.openAI = d.audio
		if d.openAI {
			d.toolsRefusedAt = toolsRefusals(d.ModelID(), d.ReasoningEfforts)
		}
		d.geminiPre3 = p.Kind == config.KindGemini && gemini.RefusesJSONWithTools(d.ModelID())
		d.otherParts = p.Kind != config.KindAnthropic
		d.responsesFiles = p.Kind == config.KindOpenAI
		d.documentURL = p.Kind == config.KindAnthropic
		d.serverTools = p.Kind == config.KindAnthropic
		d.noForcedTool = p.Kind == config.KindAnthropic && anthropic.ModelTraits(d.ModelID()).NoForcedTool
		d.noWebSearch = p.Kind == config.KindAnthropic && !anthropic.HasWebSearch(d.ModelID())
		d.usInference = d.InferenceGeo == llm.GeoUS || p.Kind == config.KindAnthropic && anthropic.TakesInferenceGeo(d.ModelID())
		d.refusesBlankStop = p.Kind == config.KindAnthropic
		d.reasons = d.reasons || ReasonsOn(p, d.ModelID())
		d.takesTier = p.TakesServiceTier()
		d.takesFlex = d.takesTier && p.Kind != config.KindAnthropic
		d.APIByModel = d.API == llm.APIAuto
		d.autoResponses = d.APIByModel && hasResponsesRoute(p)
		d.API = UpstreamAPI(p, &d.Deployment)
		d.hosted = hostedKinds(p, &d.Deployment)
		if d.responses = d.API == llm.APIResponses; d.responses {
			// The Responses API has no audio answers, one choice, and
			// takes only text, images and files (its logprobs are the
			// output text's: wire/responses/upstream_logprobs.go).
			d.audio, d.otherParts, d.maxChoices = false, false, 1
		}
	}
	return d
}

// maxStopSequences is the most stop sequences a provider of the kind
// takes (OpenAI's chat format: 4, Gemini: 5); zero for Anthropic, whose
// API sets no such bound.
func maxStopSequences(kind string) int {
	switch kind {
	case config.KindOpenAI, config.KindAzure:
		return 4
	case config.KindGemini:
		return 5
	}
	return 0
}

// returnsLogprobs reports whether a deployment of a provider of the kind,
// declaring the capabilities, returns token log probabilities. The
// Anthropic wire format has no such field; the OpenAI format's and
// Gemini's have, but reasoning models mostly refuse them (OpenAI's always,
// Gemini's thinking models often), so a deployment declaring reasoning is
// assumed not to unless it declares logprobs too. Whether a model the rule
// lets through does is the upstream's to say, in its error.
func returnsLogprobs(kind string, declared []llm.Capability) bool {
	switch kind {
	case config.KindOpenAI, config.KindAzure, config.KindGemini:
		return slices.Contains(declared, llm.CapLogprobs) || !slices.Contains(declared, llm.CapReasoning)
	}
	return false
}

// homeRoute picks the route a pinned deployment's fallbacks come from: the
// configured route with the smallest acceptable set that contains it (ties
// by name), else the built-in or configured auto if it contains it.
func (p *Policy) homeRoute(dep int) *compiledRoute {
	var best *compiledRoute
	for _, r := range p.routes {
		if r.builtin || !slices.Contains(r.union, dep) {
			continue
		}
		if best == nil || len(r.union) < len(best.union) || len(r.union) == len(best.union) && r.name < best.name {
			best = r
		}
	}
	if best == nil {
		if r := p.routes[Auto]; r != nil && slices.Contains(r.union, dep) {
			best = r
		}
	}
	return best
}

// Deployments returns every deployment, sorted by name; a Deployment's
// Index is its position here. The caller must not modify them.
func (p *Policy) Deployments() []*Deployment { return p.deps }

// Deployment returns the deployment called name, or nil.
func (p *Policy) Deployment(name string) *Deployment { return p.byName[name] }

// RouteDeployments returns every deployment route may choose (in any
// category), or nil when route is not a route (configured or built in).
// The caller must not modify them.
func (p *Policy) RouteDeployments(route string) []*Deployment {
	r := p.routes[route]
	if r == nil {
		return nil
	}
	out := make([]*Deployment, len(r.union))
	for i, d := range r.union {
		out[i] = p.deps[d]
	}
	return out
}

// Models returns the virtual models: configured routes and the built-ins
// the configuration does not define, sorted by name.
func (p *Policy) Models() []Model { return p.models }

// IsRoute reports whether name is a route (configured or built in).
func (p *Policy) IsRoute(name string) bool { _, ok := p.routes[name]; return ok }

// Scorer returns the scorer that ranks candidates.
func (p *Policy) Scorer() Scorer { return p.scorer }
