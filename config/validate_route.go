package config

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"switchyard/llm"
)

// This file checks the routes section.

func (v *validator) route(name string, r *Route) {
	path := "routes." + name
	if r == nil {
		v.checkName(path, name, name)
		v.add(path, "is empty", "a route needs a list of deployments")
		return
	}
	v.checkName(path, name, r.Name)
	if _, clash := v.c.Deployments[name]; clash {
		v.add(path, fmt.Sprintf("route name %q is also a deployment name", name),
			"a client asking for this model name would be ambiguous; rename the route or the deployment")
	}
	v.deploymentList(path+".deployments", r.Deployments, true)
	v.policy(path, &r.Policy, r.Deployments, "the route's deployments")
	if mc := r.MinConfidence; mc < 0 || mc > 1 || math.IsNaN(mc) {
		v.add(path+".min_confidence", "must be between 0 and 1, got "+ftoa(mc), "a classifier probability, e.g. 0.5; omit it to always use the categories")
	}
	if r.Reference != "" && v.c.Deployments[r.Reference] == nil {
		v.add(path+".reference", fmt.Sprintf("deployment %q is not configured", r.Reference),
			choices(r.Reference, "configured deployments", v.deploymentNames()))
	}
	v.tiers(path+".tiers", &r.Tiers)
	v.hedge(path+".hedge", &r.Hedge)
	if o := r.OnRefusal; o != "" && o != RefusalReturn && o != RefusalFallback {
		v.add(path+".on_refusal", fmt.Sprintf("unknown value %q", o),
			choices(o, "values", []string{RefusalReturn, RefusalFallback}))
	}
	if m := r.MaxTokens; m != "" && m != MaxTokensClamp && m != MaxTokensRefuse && m != MaxTokensAlways {
		v.add(path+".max_tokens", fmt.Sprintf("unknown value %q", m),
			choices(m, "values", []string{MaxTokensClamp, MaxTokensRefuse, MaxTokensAlways}))
	}
	v.hostedTools(path+".hosted_tools", r.HostedTools)
	v.adaptive(path+".adaptive", r.Adaptive)
	for _, c := range sortedKeys(r.Categories) {
		v.category(path+".categories."+string(c), c, r.Categories[c], r.Deployments)
	}
	union := acceptableUnion(r)
	if len(r.Rules) > MaxRules {
		v.add(path+".rules", fmt.Sprintf("has %d rules, more than %d", len(r.Rules), MaxRules), "merge rules that share an effect")
	}
	for i, rule := range r.Rules {
		v.rule(fmt.Sprintf("%s.rules[%d]", path, i), rule, r.Rules[:i], union)
	}
	if r.Semantic != nil {
		v.semantic(path+".semantic", r)
	}
	if r.Learned != nil {
		v.learned(path+".learned", r)
	}
	v.guard(path+".guard", r.Guard)
}

// acceptableUnion is every deployment a route may ever choose.
func acceptableUnion(r *Route) []string {
	out := slices.Clone(r.Deployments)
	for _, c := range r.Categories {
		if c == nil {
			continue
		}
		for _, d := range c.Deployments {
			if !slices.Contains(out, d) {
				out = append(out, d)
			}
		}
	}
	return out
}

// deploymentList checks a list of deployment names: each configured and
// listed once, and non-empty when required.
func (v *validator) deploymentList(path string, names []string, required bool) {
	deployments := v.deploymentNames()
	if required && len(names) == 0 {
		v.add(path, "must list at least one deployment", choices("", "configured deployments", deployments))
	}
	for i, dn := range names {
		p := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case v.c.Deployments[dn] == nil:
			v.add(p, fmt.Sprintf("deployment %q is not configured", dn), choices(dn, "configured deployments", deployments))
		case slices.Contains(names[:i], dn):
			v.add(p, fmt.Sprintf("deployment %q is listed twice", dn), "remove one")
		}
	}
}

// members checks that each name of a prefer or exclude list is configured
// and acceptable; noun describes the acceptable set for the hint.
func (v *validator) members(path string, names, acceptable []string, noun string) {
	for i, dn := range names {
		p := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case v.c.Deployments[dn] == nil:
			v.add(p, fmt.Sprintf("deployment %q is not configured", dn), choices(dn, "configured deployments", v.deploymentNames()))
		case !slices.Contains(acceptable, dn):
			v.add(p, fmt.Sprintf("deployment %q is not in %s, so it can never be chosen here", dn, noun),
				"add it there, or remove it here; "+choices(dn, "acceptable", acceptable))
		case slices.Contains(names[:i], dn):
			v.add(p, fmt.Sprintf("deployment %q is listed twice", dn), "remove one")
		}
	}
}

func (v *validator) policy(path string, p *Policy, acceptable []string, noun string) {
	v.strategy(path+".strategy", p.Strategy)
	v.members(path+".prefer", p.Prefer, acceptable, noun)
	total := 0
	for i, w := range p.Split {
		wp := path + ".split." + w.Deployment
		switch {
		case v.c.Deployments[w.Deployment] == nil:
			v.add(wp, fmt.Sprintf("deployment %q is not configured", w.Deployment), choices(w.Deployment, "configured deployments", v.deploymentNames()))
		case !slices.Contains(acceptable, w.Deployment):
			v.add(wp, fmt.Sprintf("deployment %q is not in %s, so it can never be chosen here", w.Deployment, noun),
				choices(w.Deployment, "acceptable", acceptable))
		case slices.ContainsFunc(p.Split[:i], func(x Weight) bool { return x.Deployment == w.Deployment }):
			v.add(wp, fmt.Sprintf("deployment %q is listed twice", w.Deployment), "remove one")
		case w.Weight <= 0:
			v.add(wp, fmt.Sprintf("weight must be > 0, got %d", w.Weight), "a whole-number share, e.g. 80 and 20; remove the entry to never pick it first")
		}
		total += max(w.Weight, 0)
	}
	if len(p.Split) == 1 {
		v.add(path+".split", "needs at least two deployments", "to always pick one deployment first, use prefer: ["+p.Split[0].Deployment+"]")
	}
	const priceHint = "USD per 1M tokens; omit it for no cap"
	v.nonNegative(path+".max_price.input", p.MaxPrice.Input, priceHint)
	v.nonNegative(path+".max_price.output", p.MaxPrice.Output, priceHint)
	v.nonNegative(path+".max_cost_per_request", p.MaxCostPerRequest, "estimated USD per request, e.g. 0.02; omit it for no cap")
	lb := p.LatencyBudget
	if lb.TTFT < 0 {
		v.add(path+".latency_budget.ttft", "must be >= 0, got "+lb.TTFT.String(), `e.g. "2s"; omit it for no budget`)
	}
	if lb.Total < 0 {
		v.add(path+".latency_budget.total", "must be >= 0, got "+lb.Total.String(), `e.g. "60s"; omit it for no budget`)
	} else if lb.TTFT > 0 && lb.Total > 0 && lb.TTFT > lb.Total {
		v.add(path+".latency_budget.ttft", fmt.Sprintf("%s exceeds the total budget %s", lb.TTFT, lb.Total), "the first token comes within the total")
	}
	if p.ExpectedOutputTokens < 0 {
		v.add(path+".expected_output_tokens", fmt.Sprintf("must be >= 0, got %d", p.ExpectedOutputTokens), "tokens, e.g. 500; omit it for the category's default")
	}
	v.capabilities(path+".require", p.Require)
}

func (v *validator) nonNegative(path string, f float64, hint string) {
	if f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		v.add(path, "must be >= 0, got "+ftoa(f), hint)
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func (v *validator) strategy(path string, s Strategy) {
	if s == "" || slices.Contains(Strategies, s) {
		return
	}
	names := make([]string, len(Strategies))
	for i, x := range Strategies {
		names[i] = string(x)
	}
	v.add(path, fmt.Sprintf("unknown strategy %q", s), choices(string(s), "strategies", names))
}

func (v *validator) tiers(path string, t *Tiers) {
	if t.Count < 0 || t.Count > MaxTierCount {
		v.add(path+".count", fmt.Sprintf("must be between 1 and %d, got %d", MaxTierCount, t.Count), "omit it for 3")
	}
	if t.Size < 0 {
		v.add(path+".size", fmt.Sprintf("must be >= 1, got %d", t.Size), "candidates per tier; omit it for 1")
	}
	for i, d := range t.TTFTTimeout {
		if d <= 0 {
			v.add(fmt.Sprintf("%s.ttft_timeout[%d]", path, i), "must be > 0, got "+d.String(), `e.g. "800ms"`)
		}
	}
	if n := t.Count; n > 0 && len(t.TTFTTimeout) > n {
		v.add(path+".ttft_timeout", fmt.Sprintf("lists %d timeouts for %d tiers", len(t.TTFTTimeout), n), "give one per tier at most")
	}
}

func categoryNames() []string {
	out := make([]string, len(llm.Categories))
	for i, c := range llm.Categories {
		out[i] = string(c)
	}
	return out
}

func (v *validator) category(path string, c llm.Category, rc *RouteCategory, routeDeps []string) {
	if !c.Valid() {
		v.add(path, fmt.Sprintf("unknown category %q", c), choices(string(c), "categories", categoryNames()))
		return
	}
	if rc == nil {
		v.add(path, "is empty", "give the category's deployments or policy, or remove it")
		return
	}
	acceptable, noun := routeDeps, "the route's deployments"
	if rc.Deployments != nil {
		v.deploymentList(path+".deployments", rc.Deployments, true)
		acceptable, noun = rc.Deployments, "this category's deployments"
	}
	v.policy(path, &rc.Policy, acceptable, noun)
}

func (v *validator) rule(path string, r *Rule, earlier []*Rule, union []string) {
	if r == nil {
		v.add(path, "is empty", "a rule needs a name, a when and an effect")
		return
	}
	switch {
	case r.Name == "":
		v.add(path+".name", "is required", "a short name shown in explanations, e.g. non-english-to-multilingual")
	case !nameRE.MatchString(r.Name):
		v.add(path+".name", fmt.Sprintf("invalid name %q", r.Name), nameHint)
	case slices.ContainsFunc(earlier, func(x *Rule) bool { return x != nil && x.Name == r.Name }):
		v.add(path+".name", fmt.Sprintf("rule name %q is used twice in this route", r.Name), "rename one")
	}
	v.condition(path+".when", &r.When)
	v.capabilities(path+".require", r.Require)
	const noun = "any of the route's acceptable sets"
	v.members(path+".prefer", r.Prefer, union, noun)
	v.members(path+".exclude", r.Exclude, union, noun)
	v.strategy(path+".strategy", r.Strategy)
	if len(r.Require) == 0 && len(r.Prefer) == 0 && len(r.Exclude) == 0 && r.Strategy == "" {
		v.add(path, "has no effect", "give at least one of require, prefer, exclude or strategy")
	}
}

func (v *validator) condition(path string, c *Condition) {
	for i, cat := range c.Categories {
		if !cat.Valid() {
			v.add(fmt.Sprintf("%s.category[%d]", path, i), fmt.Sprintf("unknown category %q", cat), choices(string(cat), "categories", categoryNames()))
		}
	}
	for i, l := range c.Languages {
		if !validLanguage(l) {
			v.add(fmt.Sprintf("%s.language[%d]", path, i), fmt.Sprintf("unknown language %q", l),
				choices(l, "use", []string{LanguageEnglish, LanguageNonEnglish, "or an ISO 639-1 code such as es, zh, ja"}))
		}
	}
	if c.Turn != "" && c.Turn != TurnFirst && c.Turn != TurnLater {
		v.add(path+".turn", fmt.Sprintf("unknown turn %q", c.Turn), choices(c.Turn, "turns", []string{TurnFirst, TurnLater}))
	}
	const hint = "tokens; omit it for no bound"
	if c.MinPromptTokens < 0 {
		v.add(path+".min_prompt_tokens", fmt.Sprintf("must be >= 0, got %d", c.MinPromptTokens), hint)
	}
	if c.MaxPromptTokens < 0 {
		v.add(path+".max_prompt_tokens", fmt.Sprintf("must be >= 0, got %d", c.MaxPromptTokens), hint)
	} else if c.MaxPromptTokens > 0 && c.MinPromptTokens > c.MaxPromptTokens {
		v.add(path+".max_prompt_tokens", fmt.Sprintf("%d is below min_prompt_tokens %d", c.MaxPromptTokens, c.MinPromptTokens), "no prompt could match")
	}
}

// validLanguage reports whether l is english, non-english or a two-letter
// lower-case ISO 639-1 code.
func validLanguage(l string) bool {
	if l == LanguageEnglish || l == LanguageNonEnglish {
		return true
	}
	return len(l) == 2 && strings.Trim(l, "abcdefghijklmnopqrstuvwxyz") == ""
}

// hostedTools checks a hosted_tools value at path ("" is the default).
func (v *validator) hostedTools(path, m string) {
	if m != "" && !slices.Contains(hostedToolsModes, m) {
		v.add(path, fmt.Sprintf("unknown value %q", m), choices(m, "values", hostedToolsModes))
	}
}
