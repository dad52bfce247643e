package route

import (
	"slices"
	"time"

	"switchyard/config"
	"switchyard/llm"
)

// capMask is a set of capabilities, one bit per llm capability.
type capMask uint16

var capBits = []llm.Capability{
	llm.CapTools, llm.CapJSONMode, llm.CapJSONSchema, llm.CapVision, llm.CapStreaming,
	llm.CapEmbeddings, llm.CapModeration, llm.CapImages, llm.CapSpeech, llm.CapTranscription, llm.CapReasoning, llm.CapMultilingual, llm.CapCode, llm.CapMath, llm.CapLogprobs,
}

func capBit(c llm.Capability) capMask {
	if i := slices.Index(capBits, c); i >= 0 {
		return 1 << i
	}
	return 0
}

// requestCaps are the capabilities about what a request may carry; a
// deployment that declares no capabilities is assumed to have these, but
// none of the strengths (reasoning, multilingual, code, math).
var requestCaps = capBit(llm.CapTools) | capBit(llm.CapJSONMode) | capBit(llm.CapJSONSchema) |
	capBit(llm.CapVision) | capBit(llm.CapStreaming)

func capsOf(cs []llm.Capability) capMask {
	cs = slices.DeleteFunc(slices.Clone(cs), func(c llm.Capability) bool { return c == llm.CapBatch })
	if len(cs) == 0 {
		return requestCaps
	}
	var m capMask
	for _, c := range cs {
		m |= capBit(c)
	}
	return m
}

// missing returns the first capability of want that m lacks.
func (m capMask) missing(want capMask) llm.Capability {
	for i, c := range capBits {
		if want&(1<<i) != 0 && m&(1<<i) == 0 {
			return c
		}
	}
	return ""
}

// numCategories is len(llm.Categories).
const numCategories = 7

// catIndex is c's position in llm.Categories, or -1.
func catIndex(c llm.Category) int {
	for i, x := range llm.Categories {
		if x == c {
			return i
		}
	}
	return -1
}

// defaultOutputTokens is the output expected per category when neither
// the request (max_tokens) nor the policy says.
var defaultOutputTokens = [numCategories]int{
	300,  // factual
	800,  // creative
	1500, // reasoning
	500,  // extraction
	1000, // code
	400,  // summarization
	200,  // chat
}

// fallbackOutputTokens is the expected output of an unclassified request.
const fallbackOutputTokens = 500

// compiledRoute is a route with its per-category tables resolved.
type compiledRoute struct {
	name, description string
	builtin           bool
	def               *policySet
	cats              [numCategories]*policySet // nil: def
	rules             []compiledRule
	tierCount         int
	tierSize          int
	ttft              []time.Duration
	ttftExplicit      bool // the route's config set ttft
	minConfidence     float64
	// maxTokens is the route's config max_tokens (clamp.go).
	maxTokens string
	// dropHosted is the route's hosted_tools drop_optional, or the
	// default's when it sets none (hosted_optional.go).
	dropHosted bool
	// semantic are the route's semantic categories, by name.
	semantic []semanticCat
	// union is every deployment the route may choose.
	union []int
	// adaptive is the route's learned scorer; nil when off.
	adaptive *adaptiveConf
	// learned is the route's learned prompt-level model; nil for none.
	learned *learnedConf
}

// policySet is one category's (or the route-wide) resolved policy.
type policySet struct {
	// name is "route" or "categories.<c>", for explanations.
	name        string
	acceptable  []int
	strategy    config.Strategy
	prefer      []int
	split       []weight
	splitTotal  int
	maxPrice    config.MaxPrice
	maxCost     float64
	budget      config.LatencyBudget
	expectedOut int // zero: the category's default
	// require holds the route's and the category's required capabilities.
	require capMask
}

type weight struct{ dep, w int }

type compiledRule struct {
	name                                 string
	cats                                 uint8 // bit per category; 0 matches any
	langs                                []string
	english, nonEnglish                  bool
	turn                                 string
	minTok, maxTok                       int
	hasCode, hasTools, wantsJSON, hasImg *bool
	require                              capMask
	prefer, exclude                      []int
	strategy                             config.Strategy
}

func (p *Policy) indexes(names []string) []int {
	out := make([]int, 0, len(names))
	for _, n := range names {
		if d := p.byName[n]; d != nil {
			out = append(out, d.Index)
		}
	}
	return out
}

func (p *Policy) compileRoute(r *config.Route) *compiledRoute {
	cr := &compiledRoute{
		name: r.Name, description: r.Description,
		tierCount: r.Tiers.Count, tierSize: r.Tiers.Size, ttft: r.Tiers.TTFTTimeout, ttftExplicit: len(r.Tiers.TTFTTimeout) > 0,
		minConfidence: r.MinConfidence, maxTokens: r.MaxTokens, adaptive: compileAdaptive(r.Adaptive), learned: compileLearned(r.Learned),
	}
	cr.dropHosted = r.HostedTools == config.HostedToolsDropOptional || r.HostedTools == "" && p.dropHosted
	cr.def = p.compilePolicy("route", p.indexes(r.Deployments), &r.Policy, nil)
	cr.union = slices.Clone(cr.def.acceptable)
	for c, rc := range r.Categories {
		i := catIndex(c)
		if i < 0 || rc == nil {
			continue
		}
		acc := cr.def.acceptable
		if rc.Deployments != nil {
			acc = p.indexes(rc.Deployments)
		}
		cr.cats[i] = p.compilePolicy("categories."+string(c), acc, &rc.Policy, cr.def)
		for _, d := range acc {
			if !slices.Contains(cr.union, d) {
				cr.union = append(cr.union, d)
			}
		}
	}
	for _, rule := range r.Rules {
		if rule != nil {
			cr.rules = append(cr.rules, p.compileRule(rule))
		}
	}
	p.compileSemantic(cr, r.Semantic)
	cr.normalizeTiers()
	return cr
}

func (r *compiledRoute) normalizeTiers() {
	if r.tierCount <= 0 {
		r.tierCount = config.DefaultTierCount
	}
	if r.tierSize <= 0 {
		r.tierSize = 1
	}
	if len(r.ttft) == 0 {
		r.ttft = []time.Duration{config.DefaultTierTTFTTimeout}
	}
}

func (p *Policy) builtinRoute(name string, s config.Strategy, chat []int) *compiledRoute {
	cr := &compiledRoute{name: name, builtin: true, union: chat}
	cr.def = &policySet{name: "route", acceptable: chat, strategy: s}
	cr.normalizeTiers()
	return cr
}

// compilePolicy resolves a policy over its acceptable set; parent, when
// not nil, supplies the fields pol leaves unset.
func (p *Policy) compilePolicy(name string, acceptable []int, pol *config.Policy, parent *policySet) *policySet {
	ps := &policySet{
		name: name, acceptable: acceptable, strategy: pol.Strategy,
		prefer: p.indexes(pol.Prefer), maxPrice: pol.MaxPrice, maxCost: pol.MaxCostPerRequest,
		budget: pol.LatencyBudget, expectedOut: pol.ExpectedOutputTokens, require: capsOfStrict(pol.Require),
	}
	for _, w := range pol.Split {
		if d := p.byName[w.Deployment]; d != nil && w.Weight > 0 {
			ps.split = append(ps.split, weight{d.Index, w.Weight})
		}
	}
	if parent != nil {
		ps.inherit(parent)
	}
	if ps.strategy == "" {
		ps.strategy = config.StrategyOrdered
	}
	// Keep only what can be chosen here, so Plan need not check.
	ps.prefer = slices.DeleteFunc(slices.Clone(ps.prefer), func(d int) bool { return !slices.Contains(acceptable, d) })
	ps.split = slices.DeleteFunc(slices.Clone(ps.split), func(w weight) bool { return !slices.Contains(acceptable, w.dep) })
	if len(ps.split) < 2 {
		ps.split = nil
	}
	for _, w := range ps.split {
		ps.splitTotal += w.w
	}
	return ps
}

func (ps *policySet) inherit(parent *policySet) {
	if ps.strategy == "" {
		ps.strategy = parent.strategy
	}
	if len(ps.prefer) == 0 {
		ps.prefer = parent.prefer
	}
	if len(ps.split) == 0 {
		ps.split = parent.split
	}
	if ps.maxPrice.Input == 0 {
		ps.maxPrice.Input = parent.maxPrice.Input
	}
	if ps.maxPrice.Output == 0 {
		ps.maxPrice.Output = parent.maxPrice.Output
	}
	if ps.maxCost == 0 {
		ps.maxCost = parent.maxCost
	}
	if ps.budget.TTFT == 0 {
		ps.budget.TTFT = parent.budget.TTFT
	}
	if ps.budget.Total == 0 {
		ps.budget.Total = parent.budget.Total
	}
	if ps.expectedOut == 0 {
		ps.expectedOut = parent.expectedOut
	}
	ps.require |= parent.require
}

// capsOfStrict is capsOf without the "none declared" assumption.
func capsOfStrict(cs []llm.Capability) capMask {
	var m capMask
	for _, c := range cs {
		m |= capBit(c)
	}
	return m
}

func (p *Policy) compileRule(r *config.Rule) compiledRule {
	cr := compiledRule{
		name: r.Name, turn: r.When.Turn, minTok: r.When.MinPromptTokens, maxTok: r.When.MaxPromptTokens,
		hasCode: r.When.HasCode, hasTools: r.When.HasTools, wantsJSON: r.When.WantsJSON, hasImg: r.When.HasImages,
		require: capsOfStrict(r.Require), prefer: p.indexes(r.Prefer), exclude: p.indexes(r.Exclude),
		strategy: r.Strategy,
	}
	for _, c := range r.When.Categories {
		if i := catIndex(c); i >= 0 {
			cr.cats |= 1 << i
		}
	}
	for _, l := range r.When.Languages {
		switch l {
		case config.LanguageEnglish, "en":
			cr.english = true
		case config.LanguageNonEnglish:
			cr.nonEnglish = true
		default:
			cr.langs = append(cr.langs, l)
		}
	}
	return cr
}

// matches reports whether the rule's conditions all hold; cat is -1 when
// the category is not trusted (below the route's min_confidence).
func (r *compiledRule) matches(f *Features, cat int) bool {
	if r.cats != 0 && (cat < 0 || r.cats&(1<<cat) == 0) {
		return false
	}
	if (r.english || r.nonEnglish || len(r.langs) > 0) && !r.matchesLanguage(f.Language) {
		return false
	}
	switch r.turn {
	case config.TurnFirst:
		if f.Turn != 0 {
			return false
		}
	case config.TurnLater:
		if f.Turn == 0 {
			return false
		}
	}
	if r.minTok > 0 && f.PromptTokens < r.minTok || r.maxTok > 0 && f.PromptTokens > r.maxTok {
		return false
	}
	return boolMatch(r.hasCode, f.HasCode) && boolMatch(r.hasTools, f.HasTools) &&
		boolMatch(r.wantsJSON, f.WantsJSON) && boolMatch(r.hasImg, f.HasImages)
}

func (r *compiledRule) matchesLanguage(lang string) bool {
	switch {
	case lang == "":
		return false
	case lang == "en":
		return r.english
	case r.nonEnglish:
		return true
	}
	return slices.Contains(r.langs, lang)
}

func boolMatch(want *bool, got bool) bool { return want == nil || *want == got }
