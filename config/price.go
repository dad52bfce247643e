package config

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"

	"switchyard/llm"
)

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
	// Ultrafast is the price of tokens served on OpenAI's ultrafast tier
	// (price.ultrafast_input, ultrafast_output, ultrafast_cached_input);
	// unset means the standard price times cost.ultrafast_multiplier.
	Ultrafast TierPrice
	// LongPrompt is the price of a request whose prompt is long
	// (price.long_prompt: Anthropic's and Google's long-context pricing);
	// nil means the catalog's band for the model, else none. A configured
	// band replaces the catalog's whole.
	LongPrompt *PriceBand
	// WebSearch is the price of one web search the answer counts
	// (price.web_search, USD per search: Claude's and OpenAI's web search
	// per search, Gemini's Grounding with Google Search per grounded
	// prompt before Gemini 3 and per search query since); nil means the
	// provider's list price (llm.Deployment.WebSearchPrice), 0 free (a
	// Gemini project whose free allowance covers its searches, say).
	WebSearch *float64
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
	if v := p.field(f); v != nil {
		return *v
	}
	return 0
}

// SetField sets field f (one bit) of p to v and marks it set.
func (p *Price) SetField(f PriceFields, v float64) {
	if dst := p.field(f); dst != nil {
		*dst = v
		p.Set |= f
	}
}

// field is the address of field f (one bit) in p; nil for no field.
func (p *Price) field(f PriceFields) *float64 {
	switch f {
	case PriceInput:
		return &p.Input
	case PriceOutput:
		return &p.Output
	case PriceCachedInput:
		return &p.CachedInput
	case PriceCacheWrite:
		return &p.CacheWrite
	case PriceReasoning:
		return &p.Reasoning
	case PriceCacheWrite1h:
		return &p.CacheWrite1h
	case PriceChatAudioInput:
		return &p.ChatAudioInput
	case PriceChatAudioOutput:
		return &p.ChatAudioOutput
	}
	return nil
}

// Has reports whether field f (one bit) is set: named in Set, or
// non-zero.
func (p *Price) Has(f PriceFields) bool { return p.Set&f != 0 || p.Get(f) != 0 }

// PriceBand is a long-prompt price band (price.long_prompt), in USD per
// 1M tokens: a request whose prompt tokens (input, cache reads and cache
// writes) exceed AboveTokens pays the band's prices on every one of its
// tokens, output included. A price it leaves out is derived from its
// input or output price as the standard one is from the standard input
// or output price (package cost; docs/cost.md).
type PriceBand struct {
	// AboveTokens is the threshold, in prompt tokens; required, > 0.
	AboveTokens int
	// Input and Output are required; the others may be left out.
	Input, Output, CachedInput, CacheWrite, CacheWrite1h, Reasoning float64
	// Set records the price fields the file set (PriceInput, …,
	// PriceCacheWrite1h, PriceReasoning).
	Set PriceFields
	// None reports `long_prompt: none`: the deployment has no band, the
	// catalog's included (a negotiated flat price); the other fields are
	// unset.
	None bool
}

// Has reports whether price field f (one bit) is set: named in Set, or
// non-zero.
func (b *PriceBand) Has(f PriceFields) bool { return b.Set&f != 0 || b.Get(f) != 0 }

// Get returns the value of price field f (one bit) in b; 0 for a field
// a band has not (the chat audio prices).
func (b *PriceBand) Get(f PriceFields) float64 {
	if v := b.field(f); v != nil {
		return *v
	}
	return 0
}

// SetField sets price field f (one bit) of b to v and marks it set; a
// field a band has not is left alone.
func (b *PriceBand) SetField(f PriceFields, v float64) {
	if dst := b.field(f); dst != nil {
		*dst = v
		b.Set |= f
	}
}

// field is the address of price field f (one bit) in b; nil for a field
// a band has not.
func (b *PriceBand) field(f PriceFields) *float64 {
	switch f {
	case PriceInput:
		return &b.Input
	case PriceOutput:
		return &b.Output
	case PriceCachedInput:
		return &b.CachedInput
	case PriceCacheWrite:
		return &b.CacheWrite
	case PriceCacheWrite1h:
		return &b.CacheWrite1h
	case PriceReasoning:
		return &b.Reasoning
	}
	return nil
}

// LLM returns the band as the domain type, as configured (a price left
// out is 0: the band's input or output price; package cost derives it).
// Nil for nil.
func (b *PriceBand) LLM() *llm.PriceBand {
	if b == nil || b.None {
		return nil
	}
	return &llm.PriceBand{AboveTokens: b.AboveTokens, Input: b.Input, Output: b.Output, CachedInput: b.CachedInput,
		CacheWrite: b.CacheWrite, CacheWrite1h: b.CacheWrite1h, Reasoning: b.Reasoning}
}

// longPromptHint is the hint of a long_prompt error.
const longPromptHint = "a long-prompt band: {above_tokens: 200000, input: 2.5, output: 15} (USD per 1M tokens; cached_input, cache_write, cache_write_1h and reasoning optional)"

func (d *decoder) longPrompt(e entry, p *Price) {
	const hint = "USD per 1M tokens, e.g. 2.5"
	if _, band := e.node.(*ast.MappingNode); !band {
		s, ok := d.text(e, "a band or none")
		switch {
		case ok && s == "none":
			p.LongPrompt = &PriceBand{None: true}
		case ok:
			d.fail(e.path, e.node, "must be a band or none, got "+got(e, s), longPromptHint+"; or none, for no band (not even the catalog's)")
		}
		return
	}
	b := &PriceBand{AboveTokens: -1} // -1: above_tokens left out
	p.LongPrompt = b
	num := func(name string, dst *float64, f PriceFields) field {
		return field{name, func(e entry) { d.number(e, dst, hint); b.Set |= f }}
	}
	d.object(e.node, e.path, []field{
		{"above_tokens", func(e entry) { d.intField(e, &b.AboveTokens, "prompt tokens, e.g. 200000") }},
		num("input", &b.Input, PriceInput), num("output", &b.Output, PriceOutput),
		num("cached_input", &b.CachedInput, PriceCachedInput), num("cache_write", &b.CacheWrite, PriceCacheWrite),
		num("cache_write_1h", &b.CacheWrite1h, PriceCacheWrite1h), num("reasoning", &b.Reasoning, PriceReasoning),
	})
}

// longPrompt checks a deployment's price.long_prompt at path.
func (v *validator) longPrompt(path string, b *PriceBand) {
	if b == nil || b.None {
		return
	}
	switch {
	case b.AboveTokens == -1:
		v.add(path+".above_tokens", "is required", "the prompt tokens (input, cache reads and writes) above which the band applies, e.g. 200000")
	case b.AboveTokens <= 0:
		v.add(path+".above_tokens", fmt.Sprintf("must be > 0, got %d", b.AboveTokens), "the prompt tokens (input, cache reads and writes) above which the band applies, e.g. 200000")
	}
	for _, f := range []struct {
		name string
		bit  PriceFields
	}{{"input", PriceInput}, {"output", PriceOutput}, {"cached_input", PriceCachedInput},
		{"cache_write", PriceCacheWrite}, {"cache_write_1h", PriceCacheWrite1h}, {"reasoning", PriceReasoning}} {
		if (f.bit == PriceInput || f.bit == PriceOutput) && !b.Has(f.bit) {
			v.add(path+"."+f.name, "is required", longPromptHint)
			continue
		}
		v.price(path+"."+f.name, b.Get(f.bit))
	}
}
