package admin

import (
	"switchyard/config"
	"switchyard/cost"
)

// priceView is a deployment's price in GET /admin/health: where it comes
// from and, when known, each rate in USD per 1M tokens (a rate neither
// the configuration nor the catalog gives is absent: the input price
// applies to cached reads and cache writes, twice the input price to
// one-hour cache writes, the output price to reasoning).
type priceView struct {
	// Known is false when neither the configuration nor the catalog
	// knows the price: the deployment's costs are recorded as unknown.
	Known bool `json:"known"`
	// Source is config, catalog, config+catalog or unknown.
	Source string `json:"source"`
	// Catalog is the catalog entry used ("openai/gpt-4o"), if any.
	Catalog string `json:"catalog,omitempty"`
	// CatalogDate is the date the built-in prices were taken, when the
	// price comes from them in part or whole (source catalog or
	// config+catalog).
	CatalogDate  string   `json:"catalog_date,omitempty"`
	Input        *float64 `json:"input_per_m,omitempty"`
	CachedInput  *float64 `json:"cached_input_per_m,omitempty"`
	CacheWrite   *float64 `json:"cache_write_per_m,omitempty"`
	CacheWrite1h *float64 `json:"cache_write_1h_per_m,omitempty"`
	Output       *float64 `json:"output_per_m,omitempty"`
	Reasoning    *float64 `json:"reasoning_per_m,omitempty"`
	// Media says how a media deployment is priced ("per image by size
	// and quality", "per input character", …); empty for the others.
	Media string `json:"media,omitempty"`
	// PerImage is a media deployment's configured USD per image by
	// "SIZE/QUALITY", "SIZE" or "any" (every size and quality); the
	// built-in per-pixel table's prices are not listed.
	PerImage map[string]float64 `json:"per_image,omitempty"`
	// PerCharacter and PerSecond are the speech and transcription prices
	// in USD per character and per second of audio.
	PerCharacter *float64 `json:"per_character,omitempty"`
	PerSecond    *float64 `json:"per_second,omitempty"`
	// AudioInput is a token-priced transcription model's USD per 1M
	// audio input tokens (with input_per_m and output_per_m).
	AudioInput *float64 `json:"audio_input_per_m,omitempty"`
	// ChatAudioInput and ChatAudioOutput are a chat model's USD per 1M
	// audio tokens (input_audio parts, spoken answers), configured or the
	// catalog's; absent when neither gives one (priced as text).
	ChatAudioInput  *float64 `json:"chat_audio_input_per_m,omitempty"`
	ChatAudioOutput *float64 `json:"chat_audio_output_per_m,omitempty"`
	// CachedAudioInput is a Realtime API model's USD per 1M cached audio
	// input tokens, the catalog's; absent when it lists none (priced as
	// cached input).
	CachedAudioInput *float64 `json:"cached_audio_input_per_m,omitempty"`
	// LongPrompt is the deployment's long-prompt band, if it has one: a
	// request of more prompt tokens than its above_tokens pays its rates
	// on every token.
	LongPrompt *bandView `json:"long_prompt,omitempty"`
}

// bandView is a deployment's long-prompt band in GET /admin/health:
// every rate in USD per 1M tokens, the ones neither the configuration
// nor the catalog gives derived from the band's input and output prices
// (docs/cost.md).
type bandView struct {
	AboveTokens int `json:"above_tokens"`
	// Source is config or catalog: a configured band replaces the
	// catalog's.
	Source       string  `json:"source"`
	Input        float64 `json:"input_per_m"`
	CachedInput  float64 `json:"cached_input_per_m"`
	CacheWrite   float64 `json:"cache_write_per_m"`
	CacheWrite1h float64 `json:"cache_write_1h_per_m"`
	Output       float64 `json:"output_per_m"`
	Reasoning    float64 `json:"reasoning_per_m"`
}

// newBandView is the view of p's long-prompt band; nil when it has none.
func newBandView(p *cost.Pricing) *bandView {
	b := p.Band()
	if b == nil {
		return nil
	}
	return &bandView{AboveTokens: b.AboveTokens, Source: p.LongPromptSource, Input: b.Input, CachedInput: b.CachedInput,
		CacheWrite: b.CacheWrite, CacheWrite1h: b.CacheWrite1h, Output: b.Output, Reasoning: b.Reasoning}
}

// price returns the view of deployment dep's price, or nil when the
// handler has no prices.
func (h *Handler) price(dep string) *priceView {
	prices := h.Prices
	if h.CurrentPrices != nil {
		prices = h.CurrentPrices()
	}
	p, ok := prices[dep]
	if !ok {
		return nil
	}
	v := &priceView{Known: p.Known, Source: p.Source, Catalog: p.Catalog}
	if p.Source == cost.SourceCatalog || p.Source == cost.SourceMixed {
		v.CatalogDate = cost.CatalogDate()
	}
	if p.Media != nil {
		v.Media = p.Media.Unit()
	}
	if !p.Known {
		return v
	}
	if p.Media != nil {
		mediaRates(v, p.Media)
		return v
	}
	rate := func(f config.PriceFields) *float64 {
		if !p.Price.Has(f) {
			return nil
		}
		x := p.Price.Get(f)
		return &x
	}
	v.Input, v.CachedInput, v.CacheWrite = rate(config.PriceInput), rate(config.PriceCachedInput), rate(config.PriceCacheWrite)
	v.CacheWrite1h = rate(config.PriceCacheWrite1h)
	v.Output, v.Reasoning = rate(config.PriceOutput), rate(config.PriceReasoning)
	if p.AudioInput > 0 {
		v.ChatAudioInput = &p.AudioInput
	}
	if p.AudioOutput > 0 {
		v.ChatAudioOutput = &p.AudioOutput
	}
	if p.CachedAudioInput > 0 {
		v.CachedAudioInput = &p.CachedAudioInput
	}
	v.LongPrompt = newBandView(&p)
	return v
}

// mediaRates fills v with m's rates in the unit m prices by.
func mediaRates(v *priceView, m *cost.MediaPrice) {
	ptr := func(f float64) *float64 { return &f }
	switch m.Unit() {
	case cost.UnitPerImage:
		for k, usd := range m.PerImage {
			if v.PerImage == nil {
				v.PerImage = map[string]float64{}
			}
			if k == "" {
				k = "any"
			}
			v.PerImage[k] = usd
		}
	case cost.UnitPerCharacter:
		v.PerCharacter = ptr(m.PerCharacter)
	case cost.UnitPerSecond:
		v.PerSecond = ptr(m.PerSecond)
	case cost.UnitPerToken:
		const perM = 1e6
		v.Input, v.Output, v.AudioInput = ptr(m.TextInputPerToken*perM), ptr(m.OutputPerToken*perM), ptr(m.AudioInputPerToken*perM)
	}
}
