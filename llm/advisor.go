package llm

import "cmp"

// Claude's advisor tool (advisor_20260301) has the answering model consult
// a second, usually stronger one mid-answer, on Anthropic's side. Each
// consultation is reported apart from the answer's own usage — an
// "advisor_message" entry of usage.iterations, naming its model — and
// billed at that model's rates, not the deployment's.

// ModelUsage is the usage of a sub-inference another model served within
// an answer: an advisor consultation.
type ModelUsage struct {
	Model string
	// PromptTokens counts every input token: uncached, read from the
	// cache (CachedPromptTokens) and written to it (CacheWriteTokens).
	PromptTokens, CompletionTokens       int
	CachedPromptTokens, CacheWriteTokens int
}

// Advisor is an answer's advisor consultations, in order.
type Advisor struct{ Calls []ModelUsage }

// join returns the consultations of a and then b, in a new Advisor when
// both have some (neither is modified); nil when neither has.
func (a *Advisor) join(b *Advisor) *Advisor {
	switch {
	case a == nil || len(a.Calls) == 0:
		return b
	case b == nil || len(b.Calls) == 0:
		return a
	}
	return &Advisor{Calls: append(append(make([]ModelUsage, 0, len(a.Calls)+len(b.Calls)), a.Calls...), b.Calls...)}
}

// ModelPrice is a model's standard price in USD per 1M tokens.
type ModelPrice struct{ Input, CachedInput, CacheWrite, Output float64 }

// ModelPrices looks up models' standard prices (the catalog's). An
// interface, not a func, so that deployments compare with
// reflect.DeepEqual.
type ModelPrices interface {
	ModelPrice(model string) (ModelPrice, bool)
}

// advisorCost is what the consultations of a cost: each at its model's
// price (AdvisorPrice), or at d's own standard price when that model's is
// not known; the data-residency premium of the answer (geo) applies to
// them too.
func (d *Deployment) advisorCost(a *Advisor, geo float64) float64 {
	if a == nil {
		return 0
	}
	var usd float64
	for _, s := range a.Calls {
		p, ok := ModelPrice{}, false
		if d.AdvisorPrices != nil {
			p, ok = d.AdvisorPrices.ModelPrice(s.Model)
		}
		if !ok {
			p = ModelPrice{Input: d.InputPricePerM, CachedInput: orPrice(d.CachedInputPricePerM, d.InputPricePerM),
				CacheWrite: orPrice(d.CacheWritePricePerM, d.InputPricePerM), Output: d.OutputPricePerM}
		}
		uncached, cached, written := promptParts(s.PromptTokens, s.CachedPromptTokens, s.CacheWriteTokens)
		usd += float64(uncached)*p.Input + float64(cached)*p.CachedInput + float64(written)*p.CacheWrite +
			float64(max(s.CompletionTokens, 0))*p.Output
	}
	return geo * usd / 1e6
}

// plus returns the sum of u and v, in a new ModelUsage when both are set
// (neither is modified); nil when neither is. Model is u's (or v's).
func (u *ModelUsage) plus(v *ModelUsage) *ModelUsage {
	switch {
	case u == nil:
		return v
	case v == nil:
		return u
	}
	return &ModelUsage{Model: cmp.Or(u.Model, v.Model), PromptTokens: u.PromptTokens + v.PromptTokens,
		CompletionTokens: u.CompletionTokens + v.CompletionTokens, CachedPromptTokens: u.CachedPromptTokens + v.CachedPromptTokens,
		CacheWriteTokens: u.CacheWriteTokens + v.CacheWriteTokens}
}
