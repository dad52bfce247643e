package config

import (
	"fmt"
	"math"
	"slices"
	"time"

	"switchyard/llm"
)

// This file holds a route's semantic categories: their schema, decoding
// and checks.

// Defaults and bounds of semantic routing.
const (
	// DefaultSemanticThreshold is the cosine similarity a request needs to
	// match a semantic category.
	DefaultSemanticThreshold = 0.75
	// DefaultSemanticTimeout bounds the embedding of one request's text.
	DefaultSemanticTimeout = 150 * time.Millisecond
	// MaxSemanticTimeout bounds Semantic.Timeout: the wait is added to
	// every request whose text is not cached.
	MaxSemanticTimeout = 10 * time.Second
	// MaxSemanticExamples bounds the examples of one semantic category.
	MaxSemanticExamples = 100
	// MaxSemanticCategories bounds the semantic categories of one route.
	MaxSemanticCategories = 32
)

// Semantic lets a route recognize categories of its own from example
// utterances: a request whose text is similar enough (by embedding
// cosine similarity) to a category's examples is routed by that
// category. Until the examples are embedded, or when embedding the
// request fails or is slow, the classifier decides as usual.
type Semantic struct {
	// Embeddings names the deployment that embeds the examples and the
	// requests; it must serve embeddings. Required.
	Embeddings string
	// Threshold is the cosine similarity needed to match, in (0, 1]; zero
	// means DefaultSemanticThreshold.
	Threshold float64
	// Timeout bounds the wait for a request's embedding; past it the
	// classifier decides (the embedding still fills the cache). Zero means
	// DefaultSemanticTimeout.
	Timeout time.Duration
	// Categories are the semantic categories by name. At least one.
	Categories map[string]*SemanticCategory
}

// SemanticCategory is one category a route recognizes by examples. It
// sets the built-in Category, restricts the acceptable set to
// Deployments, or both.
type SemanticCategory struct {
	// Examples are utterances typical of the category. At least one.
	Examples []string
	// Deployments, when set, is the acceptable set for a matched request:
	// a subset of the acceptable set Category (or the route) would have.
	Deployments []string
	// Category, when set, is the built-in category a matched request is
	// given, as the x-switchyard-category header would.
	Category llm.Category
}

// ThresholdOrDefault is Threshold, or the default when it is zero.
func (s *Semantic) ThresholdOrDefault() float64 {
	if s.Threshold == 0 {
		return DefaultSemanticThreshold
	}
	return s.Threshold
}

// TimeoutOrDefault is Timeout, or the default when it is zero.
func (s *Semantic) TimeoutOrDefault() time.Duration {
	if s.Timeout == 0 {
		return DefaultSemanticTimeout
	}
	return s.Timeout
}

func (d *decoder) semantic(e entry) *Semantic {
	s := &Semantic{}
	d.object(e.node, e.path, []field{
		{"embeddings", func(e entry) { d.str(e, &s.Embeddings) }},
		{"threshold", func(e entry) {
			d.number(e, &s.Threshold, "a cosine similarity in (0, 1], e.g. 0.75")
			if s.Threshold == 0 && !d.covered(e.path) && !isNull(e.node) {
				d.fail(e.path, e.node, "must be > 0, got 0", "a cosine similarity in (0, 1], e.g. 0.75; omit it for 0.75")
			}
		}},
		{"timeout", func(e entry) { d.duration(e, &s.Timeout, true) }},
		{"categories", func(e entry) { s.Categories = d.semanticCategories(e) }},
	})
	return s
}

func (d *decoder) semanticCategories(e entry) map[string]*SemanticCategory {
	entries, _ := d.mapping(e.node, e.path)
	out := make(map[string]*SemanticCategory, len(entries))
	for _, ce := range entries {
		sc := &SemanticCategory{}
		out[ce.key] = sc
		d.object(ce.node, ce.path, []field{
			{"examples", func(e entry) { sc.Examples = d.strList(e, `["I was charged twice", "how do I get a refund"]`) }},
			{"deployments", func(e entry) {
				sc.Deployments = d.strList(e, "[gpt-4o-mini]")
				if sc.Deployments == nil && !isNull(e.node) && !d.covered(e.path) {
					sc.Deployments = []string{} // written empty: an error, not "unset"
				}
			}},
			{"category", func(e entry) {
				var s string
				d.str(e, &s)
				sc.Category = llm.Category(s)
			}},
		})
	}
	return out
}

// semanticExample is the hint for examples.
const semanticExample = `e.g. semantic: {embeddings: text-embedding-3-small, categories: {billing: {examples: ["I was charged twice"], deployments: [gpt-4o-mini]}}}`

func (v *validator) semantic(path string, r *Route) {
	s := r.Semantic
	v.embeddingsDeployment(path+".embeddings", s.Embeddings)
	if t := s.Threshold; t < 0 || t > 1 || math.IsNaN(t) {
		v.add(path+".threshold", "must be in (0, 1], got "+ftoa(t), "a cosine similarity, e.g. 0.75; omit it for 0.75")
	}
	if t := s.Timeout; t < 0 || t > MaxSemanticTimeout {
		v.add(path+".timeout", fmt.Sprintf("must be between 1ms and %s, got %s", MaxSemanticTimeout, t),
			`the wait for a request's embedding, e.g. "150ms"; omit it for 150ms`)
	}
	switch n := len(s.Categories); {
	case n == 0:
		v.add(path+".categories", "must define at least one category", semanticExample)
	case n > MaxSemanticCategories:
		v.add(path+".categories", fmt.Sprintf("has %d categories, more than %d", n, MaxSemanticCategories), "merge similar categories")
	}
	for _, name := range sortedKeys(s.Categories) {
		v.semanticCategory(path+".categories."+name, name, s.Categories[name], r)
	}
}

// embeddingsDeployment checks that name is a deployment that can embed.
func (v *validator) embeddingsDeployment(path, name string) {
	d := v.c.Deployments[name]
	switch {
	case name == "":
		v.add(path, "is required", "the name of a deployment with the embeddings capability, e.g. text-embedding-3-small")
	case d == nil:
		v.add(path, fmt.Sprintf("deployment %q is not configured", name), choices(name, "embeddings deployments", v.embeddingsDeployments()))
	case len(d.Capabilities) > 0 && !slices.Contains(d.Capabilities, llm.CapEmbeddings):
		v.add(path, fmt.Sprintf("deployment %q does not serve embeddings (its capabilities lack embeddings)", name),
			choices(name, "embeddings deployments", v.embeddingsDeployments()))
	default:
		if p := v.c.Providers[d.Provider]; p != nil && p.Kind == KindAnthropic {
			v.add(path, fmt.Sprintf("deployment %q is on provider %q of kind anthropic, which serves no embeddings", name, d.Provider),
				choices(name, "embeddings deployments", v.embeddingsDeployments()))
		}
	}
}

// embeddingsDeployments lists the deployments that declare embeddings.
func (v *validator) embeddingsDeployments() []string {
	var out []string
	for _, n := range v.deploymentNames() {
		if d := v.c.Deployments[n]; d != nil && slices.Contains(d.Capabilities, llm.CapEmbeddings) {
			out = append(out, n)
		}
	}
	return out
}

func (v *validator) semanticCategory(path, name string, sc *SemanticCategory, r *Route) {
	switch {
	case !nameRE.MatchString(name):
		v.add(path, fmt.Sprintf("invalid name %q", name), nameHint)
	case llm.Category(name).Valid():
		v.add(path, fmt.Sprintf("name %q is a built-in category", name),
			"give the semantic category a name of its own, and write category: "+name+" in it to use that category's policy")
	}
	if sc == nil {
		v.add(path, "is empty", "give the category examples, and deployments or a category")
		return
	}
	v.semanticExamples(path+".examples", sc.Examples)
	if sc.Deployments == nil && sc.Category == "" {
		v.add(path, "has no effect", "give deployments (its acceptable set), category (a built-in category to route it as), or both")
	}
	acceptable, noun := r.Deployments, "the route's deployments"
	if sc.Category != "" {
		if !sc.Category.Valid() {
			v.add(path+".category", fmt.Sprintf("unknown category %q", sc.Category), choices(string(sc.Category), "categories", categoryNames()))
		} else if rc := r.Categories[sc.Category]; rc != nil && rc.Deployments != nil {
			acceptable, noun = rc.Deployments, "categories."+string(sc.Category)+"'s deployments"
		}
	}
	if sc.Deployments != nil {
		if len(sc.Deployments) == 0 {
			v.add(path+".deployments", "must list at least one deployment", choices("", "acceptable", acceptable))
		}
		v.members(path+".deployments", sc.Deployments, acceptable, noun)
	}
}

func (v *validator) semanticExamples(path string, examples []string) {
	switch {
	case len(examples) == 0:
		v.add(path, "must list at least one example", `utterances typical of the category, e.g. ["I was charged twice", "how do I get a refund"]`)
	case len(examples) > MaxSemanticExamples:
		v.add(path, fmt.Sprintf("has %d examples, more than %d", len(examples), MaxSemanticExamples), "keep the most typical ones")
	}
	for i, ex := range examples {
		p := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case ex == "":
			v.add(p, "is empty", "write an utterance, or remove the entry")
		case slices.Contains(examples[:i], ex):
			v.add(p, fmt.Sprintf("repeats example %d", slices.Index(examples, ex)), "remove one")
		}
	}
}
