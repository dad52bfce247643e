package cost

import (
	"maps"

	"switchyard/config"
	"switchyard/llm"
)

// resolveMedia merges d's configured media prices (config.MediaPrice,
// and for a transcription model priced by tokens the price block's
// input and output) over the built-in table's entry for its model. It
// returns nil, false, false when d is not a media deployment: it
// declares no media capability, its model is not in the table, and its
// price block has no media key. fromConfig and fromCatalog report which
// sources gave the price.
func resolveMedia(d *config.Deployment, caps []llm.Capability) (p *MediaPrice, fromConfig, fromCatalog bool) {
	kind := mediaKind(caps)
	cfg := &d.MediaPrice
	if kind == "" && len(caps) == 0 {
		kind = cfg.Kind()
	}
	table, inTable := LookupMedia(d.ModelID())
	if kind == "" && len(caps) == 0 && inTable {
		kind = table.Kind
	}
	if kind == "" {
		return nil, false, false
	}
	out := &MediaPrice{Kind: kind}
	if inTable && table.Kind == kind {
		*out = *table
		fromCatalog = true
	}
	switch kind {
	case llm.CapImages:
		if cfg.PerImage != nil {
			out.PerImage = maps.Clone(cfg.PerImage)
			_, flat := cfg.PerImage[""]
			fromConfig, fromCatalog = true, fromCatalog && !flat
		}
	case llm.CapSpeech:
		if cfg.PerCharacter != nil {
			out.PerCharacter, out.perCharSet, fromConfig, fromCatalog = *cfg.PerCharacter, true, true, false
		}
	case llm.CapTranscription:
		fromConfig = transcriptionFromConfig(out, d)
		whole := cfg.PerSecond != nil || d.Price.Has(config.PriceInput) && d.Price.Has(config.PriceOutput)
		fromCatalog = fromCatalog && !whole
	}
	if !fromConfig && !fromCatalog {
		return nil, false, false
	}
	return out, fromConfig, fromCatalog
}

// transcriptionFromConfig sets the transcription prices d configures on
// out: per_second, and the per-token prices (price.input for text input,
// price.output, price.audio_input, else price.input, for audio input;
// USD per 1M tokens). It reports whether d configures any.
func transcriptionFromConfig(out *MediaPrice, d *config.Deployment) bool {
	cfg, set := &d.MediaPrice, false
	if cfg.PerSecond != nil {
		out.PerSecond, out.perSecondSet, set = *cfg.PerSecond, true, true
		out.AudioInputPerToken, out.TextInputPerToken, out.OutputPerToken = 0, 0, 0
	}
	const perM = 1e6
	tok := &d.Price
	if tok.Has(config.PriceInput) {
		out.TextInputPerToken, set = tok.Input/perM, true
		if cfg.AudioInput == nil {
			out.AudioInputPerToken = tok.Input / perM
		}
	}
	if cfg.AudioInput != nil {
		out.AudioInputPerToken, set = *cfg.AudioInput/perM, true
	}
	if tok.Has(config.PriceOutput) {
		out.OutputPerToken, set = tok.Output/perM, true
	}
	if set && cfg.PerSecond == nil && (tok.Has(config.PriceInput) || cfg.AudioInput != nil || tok.Has(config.PriceOutput)) {
		out.PerSecond, out.perSecondSet = 0, false
		out.tokensSet = tok.Has(config.PriceOutput) || out.OutputPerToken > 0
	}
	return set
}
