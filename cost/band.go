package cost

import (
	"math"

	"switchyard/config"
	"switchyard/llm"
)

// resolveBand returns the long-prompt band of configured price c over
// catalog entry e (found or not) and where it comes from: the
// configuration's band whole when it sets one (none for `long_prompt:
// none`), else the catalog's; nil and "" when neither has one.
func resolveBand(c *config.Price, e *Entry, found bool) (*config.PriceBand, string) {
	switch {
	case c.LongPrompt != nil && c.LongPrompt.None:
		return nil, SourceConfig
	case c.LongPrompt != nil:
		return c.LongPrompt, SourceConfig
	case found && e.Price.LongPrompt != nil:
		return e.Price.LongPrompt, SourceCatalog
	}
	return nil, ""
}

// Band returns the deployment's long-prompt band with every price
// filled in, nil when it has none or its price is unknown. The band's
// input and output prices are as given; each other price it leaves out
// is derived from them as the standard one is from the standard input
// or output price:
//   - cached input, cache write: the standard one (the input price when
//     it has none) times band input / standard input;
//   - long-lived (one-hour, 12-hour) cache write: LongWriteFactor times
//     the band's input, as the standard one is;
//   - reasoning: the standard one (the output price when it has none)
//     times band output / standard output.
//
// When a standard price is 0 the band's own input or output price is
// taken. Derived prices are rounded to 1e-9 $ per 1M tokens.
func (p Pricing) Band() *llm.PriceBand {
	b := p.LongPrompt
	if b == nil || !p.Known {
		return nil
	}
	s := &p.Price
	eff := func(f config.PriceFields, fallback float64) float64 {
		if s.Has(f) {
			return s.Get(f)
		}
		return fallback
	}
	pick := func(f config.PriceFields, derived float64) float64 {
		if b.Has(f) {
			return b.Get(f)
		}
		return math.Round(derived*1e9) / 1e9
	}
	return &llm.PriceBand{AboveTokens: b.AboveTokens, Input: b.Input, Output: b.Output,
		CachedInput:  pick(config.PriceCachedInput, scaled(eff(config.PriceCachedInput, s.Input), s.Input, b.Input)),
		CacheWrite:   pick(config.PriceCacheWrite, scaled(eff(config.PriceCacheWrite, s.Input), s.Input, b.Input)),
		CacheWrite1h: pick(config.PriceCacheWrite1h, p.longWrite()*b.Input),
		Reasoning:    pick(config.PriceReasoning, scaled(eff(config.PriceReasoning, s.Output), s.Output, b.Output)),
	}
}

// scaled is price, a standard rate derived from the standard price base,
// scaled as band is to base; band itself when base is 0.
func scaled(price, base, band float64) float64 {
	if base == 0 {
		return band
	}
	return price * band / base
}

// batchBand is band b at the batch price: its input and output prices
// times in and out (the batch input and output prices' ratios to the
// standard ones), its other prices times discount, as BatchPriced prices
// the standard ones. A copy: b is shared.
func batchBand(b *llm.PriceBand, in, out, discount float64) *llm.PriceBand {
	if b == nil {
		return nil
	}
	c := *b
	c.Input, c.Output = b.Input*in, b.Output*out
	c.CachedInput, c.CacheWrite, c.CacheWrite1h, c.Reasoning = b.CachedInput*discount, b.CacheWrite*discount, b.CacheWrite1h*discount, b.Reasoning*discount
	return &c
}
