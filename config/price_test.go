package config

import "testing"

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
