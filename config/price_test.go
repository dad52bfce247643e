package config

import (
	"testing"

	"switchyard/llm"
)

// Every price field decodes, and Set records the fields the file named,
// so an explicit 0 (a free model) is told apart from a field left out.
func TestPriceFields(t *testing.T) {
	c := mustParse(t, []byte(okProvider+`deployments:
  all: {provider: openai, price: {input: 1, output: 4, cached_input: 0.1, cache_write: 1.25, reasoning: 8, cache_write_1h: 2.5}}
  free: {provider: openai, price: {input: 0, output: 0}}
  none: {provider: openai}
`), nil)
	all := c.Deployments["all"].Price
	want := Price{Input: 1, Output: 4, CachedInput: 0.1, CacheWrite: 1.25, Reasoning: 8, CacheWrite1h: 2.5,
		Set: PriceInput | PriceOutput | PriceCachedInput | PriceCacheWrite | PriceReasoning | PriceCacheWrite1h}
	if all != want {
		t.Errorf("all: %+v, want %+v", all, want)
	}
	d := c.Deployments["all"].LLM()
	if d.CacheWritePricePerM != 1.25 || d.CacheWrite1hPricePerM != 2.5 || d.ReasoningPricePerM != 8 || d.CachedInputPricePerM != 0.1 || d.PriceUnknown {
		t.Errorf("LLM() = %+v", d)
	}
	free := c.Deployments["free"].Price
	if !free.Has(PriceInput) || !free.Has(PriceOutput) || free.Has(PriceCachedInput) {
		t.Errorf("free: %+v: an explicit 0 is a price, a missing field is not", free)
	}
	none := c.Deployments["none"].Price
	if none.Has(PriceInput) || none.Has(PriceOutput) {
		t.Errorf("none: %+v", none)
	}
	// A Price built in Go counts its non-zero fields as set.
	if p := (Price{Output: 2}); !p.Has(PriceOutput) || p.Has(PriceInput) || p.Get(PriceOutput) != 2 {
		t.Errorf("Go-built price: %+v", p)
	}
}

// price.long_prompt decodes into a band: its threshold, the prices it
// sets, and Set naming them; LLM carries it to the domain type.
func TestPriceLongPrompt(t *testing.T) {
	c := mustParse(t, []byte(okProvider+`deployments:
  haiku:
    provider: openai
    price:
      input: 0.1
      output: 0.5
      long_prompt: {above_tokens: 100_000, input: 0.5, output: 2.5, cached_input: 0.05, cache_write: 0.625, cache_write_1h: 1, reasoning: 3}
  plain: {provider: openai, price: {input: 1, output: 2}}
`), nil)
	b := c.Deployments["haiku"].Price.LongPrompt
	want := PriceBand{AboveTokens: 100_000, Input: 0.5, Output: 2.5, CachedInput: 0.05, CacheWrite: 0.625, CacheWrite1h: 1, Reasoning: 3,
		Set: PriceInput | PriceOutput | PriceCachedInput | PriceCacheWrite | PriceCacheWrite1h | PriceReasoning}
	if b == nil || *b != want {
		t.Fatalf("long_prompt = %+v, want %+v", b, want)
	}
	d := c.Deployments["haiku"].LLM()
	if lp := d.LongPrompt; lp == nil || *lp != (llm.PriceBand{AboveTokens: 100_000, Input: 0.5, Output: 2.5, CachedInput: 0.05,
		CacheWrite: 0.625, CacheWrite1h: 1, Reasoning: 3}) {
		t.Errorf("LLM().LongPrompt = %+v", lp)
	}
	if c.Deployments["plain"].Price.LongPrompt != nil || c.Deployments["plain"].LLM().LongPrompt != nil {
		t.Error("a deployment without long_prompt has a band")
	}
}

// long_prompt: none is a deployment without a band, which LLM carries
// as none.
func TestPriceLongPromptNone(t *testing.T) {
	c := mustParse(t, []byte(okProvider+"deployments:\n  pro: {provider: openai, model: gpt-5.5, price: {long_prompt: none}}\n"), nil)
	if b := c.Deployments["pro"].Price.LongPrompt; b == nil || !b.None || b.Set != 0 {
		t.Fatalf("long_prompt = %+v, want none", b)
	}
	if lp := c.Deployments["pro"].LLM().LongPrompt; lp != nil {
		t.Errorf("LLM().LongPrompt = %+v, want nil", lp)
	}
}

// A band needs a positive threshold and both an input and an output
// price, each a non-negative number; the error names the deployment.
func TestPriceLongPromptErrors(t *testing.T) {
	for _, tt := range []struct{ band, path, problem string }{
		{"{input: 0.5, output: 2.5}", "deployments.haiku.price.long_prompt.above_tokens", "is required"},
		{"{above_tokens: 0, input: 0.5, output: 2.5}", "deployments.haiku.price.long_prompt.above_tokens", "must be > 0, got 0"},
		{"{above_tokens: -5, input: 0.5, output: 2.5}", "deployments.haiku.price.long_prompt.above_tokens", "must be > 0, got -5"},
		{"{above_tokens: 100000, output: 2.5}", "deployments.haiku.price.long_prompt.input", "is required"},
		{"{above_tokens: 100000, input: 0.5}", "deployments.haiku.price.long_prompt.output", "is required"},
		{"{above_tokens: 100000, input: -0.5, output: 2.5}", "deployments.haiku.price.long_prompt.input", "must be >= 0"},
		{"{above_tokens: 100000, input: 0.5, output: 2.5, cached_input: -1}", "deployments.haiku.price.long_prompt.cached_input", "must be >= 0"},
		{"{above_tokens: 100000, input: 0.5, output: 2.5, cache_write_1h: -0.1}", "deployments.haiku.price.long_prompt.cache_write_1h", "must be >= 0"},
		{"off", "deployments.haiku.price.long_prompt", `must be a band or none, got string "off"`},
		{"[1]", "deployments.haiku.price.long_prompt", "must be a band or none"},
	} {
		_, err := Parse([]byte(okProvider+"deployments:\n  haiku: {provider: openai, price: {input: 0.1, output: 0.5, long_prompt: "+tt.band+"}}\n"), nil)
		if err == nil {
			t.Errorf("%s: no error", tt.band)
			continue
		}
		fe := findError(t, err, tt.path, tt.problem)
		if fe.Hint == "" {
			t.Errorf("%s: no hint", tt.band)
		}
	}
	_, err := Parse([]byte(okProvider+"deployments:\n  haiku: {provider: openai, price: {long_prompt: {above_tokens: 1, input: 1, output: 1, tier: 2}}}\n"), nil)
	findError(t, err, "deployments.haiku.price.long_prompt", `unknown field "tier"`)
}

// price.web_search decodes to the price of one web search: 0 is a price
// (free), not a gap; alone it sets no token price; below 0 is refused.
func TestPriceWebSearch(t *testing.T) {
	c := mustParse(t, []byte(okProvider+`deployments:
  free: {provider: openai, price: {web_search: 0}}
  set: {provider: openai, price: {input: 1, output: 2, web_search: 0.02}}
  none: {provider: openai}
`), nil)
	if ws := c.Deployments["free"].Price.WebSearch; ws == nil || *ws != 0 || c.Deployments["free"].Price.Has(PriceInput) {
		t.Errorf("free: %+v", c.Deployments["free"].Price)
	}
	if ws := c.Deployments["set"].Price.WebSearch; ws == nil || *ws != 0.02 {
		t.Errorf("set: %v", ws)
	}
	if c.Deployments["none"].Price.WebSearch != nil {
		t.Error("none: a web search price")
	}
	_, err := Parse([]byte(okProvider+"deployments:\n  d: {provider: openai, price: {web_search: -1}}\n"), nil)
	findError(t, err, "deployments.d.price.web_search", "must be >= 0")
}
