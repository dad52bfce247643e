package config

// Price is what a deployment costs, in USD per 1M tokens. A field the
// file sets overrides the built-in catalog's price for the deployment's
// model (package cost); a field it leaves out takes the catalog's. With
// neither an input and an output price (an input price for an
// embeddings-only deployment), the deployment's cost is unknown, which
// `switchyard config check` and serve warn about (docs/cost.md).
type Price struct {
	Input, Output float64
	// CachedInput is the price of prompt tokens read from a cache; unset
	// means the catalog's, else Input.
	CachedInput float64
	// CacheWrite is the price of prompt tokens written to a cache
	// (Anthropic); unset means the catalog's, else Input.
	CacheWrite float64
	// CacheWrite1h is the price of prompt tokens written to a cache with
	// the one-hour lifetime (Anthropic); unset means twice Input,
	// Anthropic's rate (the catalog has no such column).
	CacheWrite1h float64
	// Reasoning is the price of reasoning tokens (part of the completion);
	// unset means the catalog's, else Output.
	Reasoning float64
	// ChatAudioInput and ChatAudioOutput are the prices of a chat's audio
	// tokens (price.chat_audio_input, chat_audio_output): the audio of
	// input_audio parts and of a spoken answer; unset (or 0) means the
	// catalog's, else the input and output prices. Not the media key
	// audio_input, a transcription model's (MediaPrice.AudioInput).
	ChatAudioInput, ChatAudioOutput float64
	// Priority is the price of tokens served on the priority tier
	// (price.priority_input, priority_output, priority_cached_input);
	// unset means the standard price times cost.priority_multiplier.
	Priority TierPrice
	// Set records the fields the file set, so that an explicit 0 (a free
	// local model) is a price and not a gap. A Price built in Go need not
	// fill it: a non-zero field counts as set (see Has).
	Set PriceFields
}

// PriceFields is a set of Price's fields.
type PriceFields uint8

// The fields of Price.
const (
	PriceInput PriceFields = 1 << iota
	PriceOutput
	PriceCachedInput
	PriceCacheWrite
	PriceReasoning
	PriceCacheWrite1h
	PriceChatAudioInput
	PriceChatAudioOutput
)

// Get returns the value of field f (one bit) in p.
func (p *Price) Get(f PriceFields) float64 {
	switch f {
	case PriceInput:
		return p.Input
	case PriceOutput:
		return p.Output
	case PriceCachedInput:
		return p.CachedInput
	case PriceCacheWrite:
		return p.CacheWrite
	case PriceReasoning:
		return p.Reasoning
	case PriceCacheWrite1h:
		return p.CacheWrite1h
	case PriceChatAudioInput:
		return p.ChatAudioInput
	case PriceChatAudioOutput:
		return p.ChatAudioOutput
	}
	return 0
}

// Has reports whether field f (one bit) is set: named in Set, or
// non-zero.
func (p *Price) Has(f PriceFields) bool { return p.Set&f != 0 || p.Get(f) != 0 }
