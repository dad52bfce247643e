package llm

import "math"

// This file prices a deployment's usage.

// Cost returns the USD cost of u on this deployment, by the meaning of
// Usage's counts: PromptTokens includes the cached reads and the cache
// writes (5-minute and one-hour), each priced at its own rate, the rest
// at the input price, its audio tokens (AudioPromptTokens, uncached) at
// the audio input price, its cached audio tokens (CachedAudioPromptTokens,
// among the cached) at the cached audio price; CompletionTokens includes
// ReasoningTokens,
// priced at the reasoning rate (the output price when it has none), and
// AudioCompletionTokens, at the audio output price, the rest at the
// output price. A
// prompt over the long-prompt band's threshold (LongPrompt) prices every
// token of u at the band. The
// tier that served u (u.ServiceTier) picks the prices (TierAt), the
// standard ones (or the band's) when it names none. Web searches
// (WebSearchRequests: Claude's and OpenAI's searches, Gemini's grounded
// prompts or search queries) cost WebSearchPrice each (WebSearchUSD
// unless set), whatever the tier; web fetches cost only their tokens. Inference the upstream
// says ran in the US (u.InferenceGeo "us") multiplies the tokens' cost by
// GeoFactor (Anthropic's 1.1x on a Claude API deployment), and an answer
// served in fast mode (u.Speed "fast") by SpeedFactor. Claude's
// compaction of the conversation within the answer (u.Compaction) costs
// its tokens at these same prices. A cost the upstream stated
// (u.CostReported) is the cost, whatever d's price. It returns 0 when
// the cost is unknown (CostUnknown): check it before reading the result
// as a price.
func (d *Deployment) Cost(u Usage) float64 {
	if u.CostReported {
		return RoundUSD(max(u.ReportedCostUSD, 0))
	}
	if d.PriceUnknown {
		return 0
	}
	if c := u.Compaction; c != nil {
		// Claude's compaction of the conversation: its tokens at d's own
		// prices, on the tier, in the place and at the speed of the answer.
		u.Compaction = nil
		return RoundUSD(d.Cost(u) + d.Cost(Usage{PromptTokens: c.PromptTokens, CompletionTokens: c.CompletionTokens,
			TotalTokens: c.PromptTokens + c.CompletionTokens, CachedPromptTokens: c.CachedPromptTokens, CacheWriteTokens: c.CacheWriteTokens,
			ServiceTier: u.ServiceTier, InferenceGeo: u.InferenceGeo, Speed: u.Speed}))
	}
	p := d.pricesAt(u.ServiceTier, u.PromptTokens)
	uncached, cached, written := promptParts(u.PromptTokens, u.CachedPromptTokens, u.CacheWriteTokens)
	hour := min(max(u.CacheWrite1hTokens, 0), written)
	cachedAudio := min(max(u.CachedAudioPromptTokens, 0), cached)
	cached -= cachedAudio
	audioIn := min(max(u.AudioPromptTokens, 0), uncached)
	uncached -= audioIn
	reasoning := min(max(u.ReasoningTokens, 0), max(u.CompletionTokens, 0))
	visible := max(u.CompletionTokens-reasoning, 0)
	audioOut := min(max(u.AudioCompletionTokens, 0), visible)
	visible -= audioOut
	geo := d.GeoFactor(InferenceGeo(u.InferenceGeo))
	return RoundUSD(geo*d.SpeedFactor(u.Speed)*(float64(uncached)*p.input+
		float64(audioIn)*orPrice(d.AudioInputPricePerM, p.input)+
		float64(audioOut)*orPrice(d.AudioOutputPricePerM, p.output)+
		float64(cached)*p.cached+
		float64(cachedAudio)*orPrice(d.CachedAudioInputPricePerM, p.cached)+
		float64(written-hour)*p.write+
		float64(hour)*p.write1h+
		float64(visible)*p.output+
		float64(reasoning)*p.reasoning)/1e6 +
		float64(max(u.WebSearchRequests, 0))*d.webSearchUSD() + d.advisorCost(u.Advisor, geo) + hostedToolsCost(u))
}

// CostUnknown reports whether the cost of u on d is unknown: d's price
// is not known and the upstream stated no cost of its own.
func (d *Deployment) CostUnknown(u Usage) bool { return d.PriceUnknown && !u.CostReported }

// WebSearchUSD is the price of one web search of Anthropic's web search
// server tool, and of OpenAI's web search tool (web_search, and
// web_search_preview on reasoning models): $10 per 1,000 searches.
const WebSearchUSD = 0.01

// The list prices of Gemini's Grounding with Google Search on the Gemini
// API (ai.google.dev/gemini-api/docs/pricing), past a free allowance per
// project the router does not see: before Gemini 3, $35 per 1,000
// grounded prompts (a request that searched, however many queries it
// ran); Gemini 3, $14 per 1,000 search queries.
const (
	GeminiGroundedPromptUSD = 0.035
	GeminiSearchQueryUSD    = 0.014
)

// SearchUSD is the price of one of d's web searches: WebSearchPrice,
// else WebSearchUSD. Estimates made before a request runs count one
// for a request that asks for web search (Request.WantsWebSearch).
func (d *Deployment) SearchUSD() float64 { return d.webSearchUSD() }

// webSearchUSD is the price of one of d's web searches: WebSearchPrice,
// else WebSearchUSD.
func (d *Deployment) webSearchUSD() float64 {
	if d.WebSearchPrice != nil {
		return *d.WebSearchPrice
	}
	return WebSearchUSD
}

// The prices of OpenAI's hosted tools beyond web search, on top of the
// tokens (docs/cost.md "Hosted tools" gives the sources): a file search
// call is $2.50 per 1,000 calls; a code interpreter container session
// (1 GB, the default) $0.03.
const (
	FileSearchCallUSD   = 0.0025
	ContainerSessionUSD = 0.03
)

// hostedToolsCost is the cost of the OpenAI hosted tool calls u counts
// beyond web searches.
func hostedToolsCost(u Usage) float64 {
	return float64(max(u.FileSearchCalls, 0))*FileSearchCallUSD + float64(max(u.ContainerSessions, 0))*ContainerSessionUSD
}

// TierPrice is a deployment's price on a service tier other than the
// standard one, in USD per 1M tokens. Its cache writes and reasoning
// tokens are priced at the standard rates scaled as its input and output
// prices are.
type TierPrice struct {
	Input, Output float64
	// CachedInput is the price of cached prompt tokens; zero means the
	// standard cached price scaled as Input is.
	CachedInput float64
	// Source says where the prices come from, for the explanation and the
	// docs: "config", "catalog" (a listed batch or priority price),
	// "catalog ratio" (a listed priority price's ratios to the standard
	// one), "batch discount", "commitment" or "multiplier" (the standard
	// price times cost.priority_multiplier: an estimate, no listed price).
	Source string
	// Fixed reports prices charged as they are whatever the prompt's
	// length (a configured price.priority_*). Otherwise the tier's prices
	// are ratios of the standard ones, which a request over the long-prompt
	// band's threshold applies to the band's prices.
	Fixed bool
}

// TierAt returns the prices of tokens served on tier t: FlexPrice for
// TierFlex and TierBatch, PriorityPrice for TierPriority and TierFast
// (fast mode is priority processing; a GPT-6 model's answer names it),
// UltrafastPrice (else PriorityPrice) for TierUltrafast; nil for the
// standard prices (every other tier, or a price not set).
func (d *Deployment) TierAt(t ServiceTier) *TierPrice {
	switch t {
	case TierFlex, TierBatch:
		return d.FlexPrice
	case TierPriority, TierFast:
		return d.PriorityPrice
	case TierUltrafast:
		if d.UltrafastPrice != nil {
			return d.UltrafastPrice
		}
		return d.PriorityPrice
	}
	return nil
}

// prices are the per-token rates Cost applies, USD per 1M tokens.
type prices struct{ input, cached, write, write1h, output, reasoning float64 }

// pricesAt returns the rates of tokens served on tier t in a request of
// promptTokens prompt tokens.
func (d *Deployment) pricesAt(t ServiceTier, promptTokens int) prices {
	write := orPrice(d.CacheWritePricePerM, d.InputPricePerM)
	p := prices{
		input: d.InputPricePerM, cached: orPrice(d.CachedInputPricePerM, d.InputPricePerM),
		write: write, write1h: orPrice(d.CacheWrite1hPricePerM, write),
		output: d.OutputPricePerM, reasoning: orPrice(d.ReasoningPricePerM, d.OutputPricePerM),
	}
	tp := d.TierAt(t)
	if b := d.LongPrompt; b != nil && promptTokens > b.AboveTokens && (tp == nil || !tp.Fixed) {
		return d.bandAt(b, tp, p)
	}
	if tp == nil {
		return p
	}
	in, out := ratio(tp.Input, d.InputPricePerM), ratio(tp.Output, d.OutputPricePerM)
	cached := p.cached * in
	if tp.CachedInput > 0 {
		cached = tp.CachedInput
	}
	return prices{input: tp.Input, cached: cached, write: p.write * in, write1h: p.write1h * in,
		output: tp.Output, reasoning: p.reasoning * out}
}

// ratio is tier over standard, 1 when the standard price is 0.
func ratio(tier, standard float64) float64 {
	if standard == 0 {
		return 1
	}
	return tier / standard
}

// RoundUSD rounds a cost in dollars to 1e-12 $, far below any per-token
// price, so that float noise (0.0012012000000000001) does not reach the
// record, the admin API or a header: it reads 0.0012012.
func RoundUSD(v float64) float64 { return math.Round(v*1e12) / 1e12 }

// orPrice returns p, or fallback when p is zero.
func orPrice(p, fallback float64) float64 {
	if p == 0 {
		return fallback
	}
	return p
}

// promptParts splits a prompt of prompt tokens into its uncached part,
// its cache reads and its cache writes, each counted within the prompt:
// cache counts past it (an upstream's nonsense: 5,000,000 tokens read
// from the cache for a 5-token prompt) are cut to what the prompt holds,
// reads first, so no count bills more tokens than the prompt has.
func promptParts(prompt, cached, written int) (uncached, cachedIn, writtenIn int) {
	prompt = max(prompt, 0)
	cachedIn = min(max(cached, 0), prompt)
	writtenIn = min(max(written, 0), prompt-cachedIn)
	return prompt - cachedIn - writtenIn, cachedIn, writtenIn
}
