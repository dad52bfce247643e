package llm

// PriceBand is a deployment's price for a request whose prompt is long,
// in USD per 1M tokens: Anthropic's and Google's "long context pricing",
// where a request whose prompt (input, cache reads and cache writes:
// Usage.PromptTokens) exceeds a threshold pays higher prices on every
// one of its tokens, output included. Each request is priced on its own.
type PriceBand struct {
	// AboveTokens is the threshold: a request of more prompt tokens than
	// it pays the band's prices; one of exactly AboveTokens does not.
	AboveTokens int
	// Input and Output are the band's input and output prices.
	Input, Output float64
	// CachedInput, CacheWrite and CacheWrite1h are the band's prices of
	// cache reads, 5-minute and one-hour cache writes; zero means Input
	// (CacheWrite for CacheWrite1h). Package cost derives the ones the
	// configuration and the catalog leave out (docs/cost.md).
	CachedInput, CacheWrite, CacheWrite1h float64
	// Reasoning is the band's price of reasoning tokens; zero means Output.
	Reasoning float64
}

// rates returns the band's per-token rates, its zero ones filled in as
// the standard prices' are.
func (b *PriceBand) rates() prices {
	write := orPrice(b.CacheWrite, b.Input)
	return prices{input: b.Input, cached: orPrice(b.CachedInput, b.Input), write: write,
		write1h: orPrice(b.CacheWrite1h, write), output: b.Output, reasoning: orPrice(b.Reasoning, b.Output)}
}

// bandAt returns the band's rates r on tier tp (nil: the standard tier),
// whose prices are ratios of the standard rates std: the tier's input
// ratio scales the prompt's rates (its cached price's own ratio the
// cached reads', when it lists one), its output ratio the completion's.
func (d *Deployment) bandAt(r *PriceBand, tp *TierPrice, std prices) prices {
	p := r.rates()
	if tp == nil {
		return p
	}
	in, out := ratio(tp.Input, d.InputPricePerM), ratio(tp.Output, d.OutputPricePerM)
	cached := in
	if tp.CachedInput > 0 {
		cached = ratio(tp.CachedInput, std.cached)
	}
	return prices{input: p.input * in, cached: p.cached * cached, write: p.write * in, write1h: p.write1h * in,
		output: p.output * out, reasoning: p.reasoning * out}
}

// EstimateUSD is the cost, before dispatch, of a request of promptTokens
// prompt tokens (none taken as cached) expected to produce
// completionTokens on tier t: at the long-prompt band's prices when the
// prompt exceeds its threshold, as Cost would charge it, unrounded. It
// is 0 when PriceUnknown.
func (d *Deployment) EstimateUSD(promptTokens, completionTokens int, t ServiceTier) float64 {
	p := d.pricesAt(t, promptTokens)
	return (float64(promptTokens)*p.input + float64(completionTokens)*p.output) / 1e6
}

// ListPrices returns the input and output prices, USD per 1M tokens, a
// request of promptTokens prompt tokens pays on the standard tier: the
// long-prompt band's when the prompt exceeds its threshold.
func (d *Deployment) ListPrices(promptTokens int) (input, output float64) {
	if b := d.LongPrompt; b != nil && promptTokens > b.AboveTokens {
		return b.Input, b.Output
	}
	return d.InputPricePerM, d.OutputPricePerM
}
