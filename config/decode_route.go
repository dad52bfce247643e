package config

import (
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"

	"switchyard/llm"
)

// This file decodes the routes section; validate_route.go checks it.

func (d *decoder) routes(e entry, c *Config) {
	entries, _ := d.mapping(e.node, e.path)
	c.Routes = make(map[string]*Route, len(entries))
	for _, re := range entries {
		r := &Route{Name: re.key}
		c.Routes[re.key] = r
		fields := []field{
			{"description", func(e entry) { d.str(e, &r.Description) }},
			{"aliases", func(e entry) { r.Aliases = d.strList(e, "[gpt-4, gpt-4o]") }},
			{"deployments", func(e entry) { r.Deployments = d.strList(e, "[gpt-4o-mini, claude-haiku]") }},
			{"min_confidence", func(e entry) { d.number(e, &r.MinConfidence, "a probability from 0 to 1, e.g. 0.5") }},
			{"reference", func(e entry) { d.str(e, &r.Reference) }},
			{"tiers", func(e entry) { d.tiers(e, &r.Tiers) }},
			{"first_byte_timeout", func(e entry) { d.firstByteTimeouts(e, &r.FirstByte) }},
			{"hedge", func(e entry) { d.hedge(e, &r.Hedge) }},
			{"resume", func(e entry) { r.Resume = d.boolean(e) }},
			{"on_refusal", func(e entry) { d.str(e, &r.OnRefusal) }},
			{"max_tokens", func(e entry) { d.str(e, &r.MaxTokens) }},
			{"hosted_tools", func(e entry) { d.str(e, &r.HostedTools) }},
			{"categories", func(e entry) { r.Categories = d.categories(e) }},
			{"rules", func(e entry) { r.Rules = d.rules(e) }},
			{"adaptive", func(e entry) {
				if !isNull(e.node) {
					r.Adaptive = d.adaptive(e)
				}
			}},
			{"semantic", func(e entry) {
				if !isNull(e.node) {
					r.Semantic = d.semantic(e)
				}
			}},
			{"learned", func(e entry) {
				if !isNull(e.node) {
					r.Learned = d.learned(e)
				}
			}},
			{"guard", func(e entry) {
				if !isNull(e.node) {
					r.Guard = d.guard(e)
				}
			}},
		}
		d.object(re.node, re.path, append(fields, d.policyFields(&r.Policy)...))
	}
}

// policyFields are the fields a route and a category share.
func (d *decoder) policyFields(p *Policy) []field {
	return []field{
		{"strategy", func(e entry) { d.strategy(e, &p.Strategy) }},
		{"prefer", func(e entry) { p.Prefer = d.strList(e, "[gpt-4o-mini]") }},
		{"split", func(e entry) { p.Split = d.split(e) }},
		{"max_price", func(e entry) {
			const hint = "USD per 1M tokens, e.g. 5"
			d.object(e.node, e.path, []field{
				{"input", func(e entry) { d.number(e, &p.MaxPrice.Input, hint) }},
				{"output", func(e entry) { d.number(e, &p.MaxPrice.Output, hint) }},
			})
		}},
		{"max_cost_per_request", func(e entry) { d.number(e, &p.MaxCostPerRequest, "USD, e.g. 0.02") }},
		{"latency_budget", func(e entry) {
			d.object(e.node, e.path, []field{
				{"ttft", func(e entry) { d.duration(e, &p.LatencyBudget.TTFT, false) }},
				{"total", func(e entry) { d.duration(e, &p.LatencyBudget.Total, false) }},
			})
		}},
		{"expected_output_tokens", func(e entry) { d.intField(e, &p.ExpectedOutputTokens, "tokens, e.g. 500") }},
		{"require", func(e entry) { p.Require = d.capList(e) }},
	}
}

func (d *decoder) strategy(e entry, dst *Strategy) {
	var s string
	d.str(e, &s)
	*dst = Strategy(s)
}

func (d *decoder) capList(e entry) []llm.Capability {
	var out []llm.Capability
	for _, s := range d.strList(e, "[multilingual]") {
		out = append(out, llm.Capability(s))
	}
	return out
}

// split decodes {deployment: weight, …}, keeping the file's order.
func (d *decoder) split(e entry) []Weight {
	entries, _ := d.mapping(e.node, e.path)
	out := make([]Weight, 0, len(entries))
	for _, we := range entries {
		w := Weight{Deployment: we.key}
		d.intField(we, &w.Weight, "a whole-number weight, e.g. 80")
		out = append(out, w)
	}
	return out
}

func (d *decoder) tiers(e entry, t *Tiers) {
	d.object(e.node, e.path, []field{
		{"count", func(e entry) { d.intField(e, &t.Count, "tiers, e.g. 3") }},
		{"size", func(e entry) { d.intField(e, &t.Size, "candidates per tier, e.g. 1") }},
		{"ttft_timeout", func(e entry) { t.TTFTTimeout = d.durations(e) }},
	})
}

// durations decodes one duration or a list of them.
func (d *decoder) durations(e entry) []time.Duration {
	if _, ok := e.node.(*ast.SequenceNode); !ok {
		var v time.Duration
		d.duration(e, &v, false)
		if d.covered(e.path) || isNull(e.node) {
			return nil
		}
		return []time.Duration{v}
	}
	els := d.list(e, `[800ms, 2s]`)
	out := make([]time.Duration, len(els))
	for i, el := range els {
		d.duration(el, &out[i], false)
	}
	return out
}

// strOrList decodes one string or a list of strings.
func (d *decoder) strOrList(e entry, example string) []string {
	if _, ok := e.node.(*ast.SequenceNode); ok {
		return d.strList(e, example)
	}
	var s string
	d.str(e, &s)
	if isNull(e.node) || d.covered(e.path) {
		return nil
	}
	return []string{s}
}

func (d *decoder) categories(e entry) map[llm.Category]*RouteCategory {
	entries, _ := d.mapping(e.node, e.path)
	out := make(map[llm.Category]*RouteCategory, len(entries))
	for _, ce := range entries {
		rc := &RouteCategory{}
		out[llm.Category(ce.key)] = rc
		fields := []field{
			{"deployments", func(e entry) { rc.Deployments = d.strList(e, "[gpt-4o-mini]") }},
		}
		d.object(ce.node, ce.path, append(fields, d.policyFields(&rc.Policy)...))
	}
	return out
}

func (d *decoder) rules(e entry) []*Rule {
	els := d.list(e, "[{name: multilingual, when: {language: non-english}, require: [multilingual]}]")
	out := make([]*Rule, 0, len(els))
	for _, el := range els {
		r := &Rule{}
		out = append(out, r)
		d.object(el.node, el.path, []field{
			{"name", func(e entry) { d.str(e, &r.Name) }},
			{"when", func(e entry) { d.condition(e, &r.When) }},
			{"require", func(e entry) { r.Require = d.capList(e) }},
			{"prefer", func(e entry) { r.Prefer = d.strList(e, "[gpt-4o-mini]") }},
			{"exclude", func(e entry) { r.Exclude = d.strList(e, "[gpt-4o]") }},
			{"strategy", func(e entry) { d.strategy(e, &r.Strategy) }},
		})
	}
	return out
}

func (d *decoder) condition(e entry, c *Condition) {
	const tokensHint = "tokens, e.g. 2000"
	d.object(e.node, e.path, []field{
		{"category", func(e entry) {
			for _, s := range d.strOrList(e, "[code, reasoning]") {
				c.Categories = append(c.Categories, llm.Category(s))
			}
		}},
		{"language", func(e entry) { c.Languages = d.strOrList(e, "[non-english]") }},
		{"turn", func(e entry) { d.str(e, &c.Turn) }},
		{"min_prompt_tokens", func(e entry) { d.intField(e, &c.MinPromptTokens, tokensHint) }},
		{"max_prompt_tokens", func(e entry) { d.intField(e, &c.MaxPromptTokens, tokensHint) }},
		{"has_code", func(e entry) { c.HasCode = d.boolean(e) }},
		{"has_tools", func(e entry) { c.HasTools = d.boolean(e) }},
		{"wants_json", func(e entry) { c.WantsJSON = d.boolean(e) }},
		{"has_images", func(e entry) { c.HasImages = d.boolean(e) }},
	})
}

// boolean decodes true or false; nil when unset or wrong.
func (d *decoder) boolean(e entry) *bool {
	s, ok := d.text(e, "true or false")
	if !ok {
		return nil
	}
	v, err := strconv.ParseBool(strings.ToLower(s))
	if err != nil {
		d.fail(e.path, e.node, "must be true or false, got "+got(e, s), "write true or false")
		return nil
	}
	return &v
}
