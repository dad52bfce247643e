package cost

import (
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// tiered prices deployment cd of cfg as the gateway does.
func tiered(cfg *config.Config, cd *config.Deployment) llm.Deployment {
	cfg.Deployments = map[string]*config.Deployment{cd.Name: cd}
	d, _ := Deployment(cfg, cd.Name)
	return d
}

// Flex is priced at the batch price (the catalog's batch prices, else the
// standard ones times batches.discount); priority at the configured
// priority prices, else OpenAI's listed priority price, else the standard
// ones times cost.priority_multiplier (its default: 2.5), which the
// price's Source says.
func TestServiceTierPrices(t *testing.T) {
	cfg := &config.Config{Providers: map[string]*config.Provider{"openai": {Name: "openai", Kind: config.KindOpenAI}}}
	d := tiered(cfg, &config.Deployment{Name: "m", Provider: "openai", Model: "gpt-4o-mini"})
	if f := d.FlexPrice; f == nil || f.Input != 0.075 || f.Output != 0.3 || f.Source != "catalog" {
		t.Errorf("flex at the catalog's batch price: %+v", f)
	}
	if p := d.PriorityPrice; p == nil || p.Input != 0.25 || p.Output != 1 || p.CachedInput != 0.125 || p.Source != TierSourceCatalog {
		t.Errorf("priority at OpenAI's listed price: %+v", p)
	}
	u := llm.Usage{PromptTokens: 1_000_000, CompletionTokens: 1_000_000, ServiceTier: llm.TierFlex}
	if got := d.Cost(u); got != 0.375 {
		t.Errorf("flex cost %v, want the batch price 0.375", got)
	}
	u.ServiceTier = llm.TierPriority
	if got := d.Cost(u); got != 1.25 {
		t.Errorf("priority cost %v, want 1.25", got)
	}

	two := 1.75
	cfg.Cost.Priority = &two
	discount := 0.4
	cfg.Batches.Discount = &discount
	cd := &config.Deployment{Name: "m", Provider: "openai", Model: "my-model",
		Price: config.Price{Input: 10, Output: 20, Set: config.PriceInput | config.PriceOutput}}
	d = tiered(cfg, cd)
	if f := d.FlexPrice; f.Input != 4 || f.Output != 8 || f.Source != TierSourceDiscount {
		t.Errorf("flex at the discount: %+v", f)
	}
	if p := d.PriorityPrice; p.Input != 17.5 || p.Output != 35 || p.Source != TierSourceMultiplier {
		t.Errorf("priority at cost.priority_multiplier: %+v", p)
	}
	cd.Price.Priority = config.TierPrice{Input: 15, Output: 30}
	if p := tiered(cfg, cd).PriorityPrice; p.Input != 15 || p.Output != 30 || p.CachedInput != 0 || p.Source != TierSourceConfig {
		t.Errorf("configured priority price: %+v", p)
	}

	cd = &config.Deployment{Name: "m", Provider: "openai", Model: "nobody-knows-it"}
	if d := tiered(cfg, cd); d.FlexPrice != nil || d.PriorityPrice != nil || !d.PriceUnknown {
		t.Errorf("unknown price: %+v", d)
	}
}

// Claude's Priority Tier is capacity a contract paid for, drawn down at
// the standard prices' ratios: an answer it served costs the standard
// price, not the multiplier's estimate; a configured price still wins.
func TestAnthropicPriorityAtStandardPrice(t *testing.T) {
	cfg := &config.Config{Providers: map[string]*config.Provider{"an": {Name: "an", Kind: config.KindAnthropic}}}
	cd := &config.Deployment{Name: "c", Provider: "an", Model: "claude-sonnet-4-20250514"}
	d := tiered(cfg, cd)
	p := d.PriorityPrice
	if p == nil || p.Input != d.InputPricePerM || p.Output != d.OutputPricePerM || p.CachedInput != d.CachedInputPricePerM || p.Source != TierSourceCommitment {
		t.Fatalf("priority %+v, standard %v/%v/%v", p, d.InputPricePerM, d.OutputPricePerM, d.CachedInputPricePerM)
	}
	u := llm.Usage{PromptTokens: 1_000_000, CompletionTokens: 1_000_000}
	standard := d.Cost(u)
	u.ServiceTier = llm.TierPriority
	if got := d.Cost(u); got != standard || got == 0 {
		t.Errorf("priority cost %v, standard %v", got, standard)
	}
	cd.Price.Priority = config.TierPrice{Input: 4, Output: 20}
	if p := tiered(cfg, cd).PriorityPrice; p.Input != 4 || p.Source != TierSourceConfig {
		t.Errorf("configured priority price: %+v", p)
	}
}

// An answer a Claude API deployment says ran in the US costs 1.1x
// (Anthropic's data-residency pricing); an OpenAI deployment's usage
// never carries the premium, whatever it says.
func TestUSInferencePremium(t *testing.T) {
	cfg := &config.Config{Providers: map[string]*config.Provider{
		"an": {Name: "an", Kind: config.KindAnthropic}, "openai": {Name: "openai", Kind: config.KindOpenAI}}}
	d := tiered(cfg, &config.Deployment{Name: "c", Provider: "an", Model: "claude-opus-4-6"})
	u := llm.Usage{PromptTokens: 1_000_000, CompletionTokens: 1_000_000, InferenceGeo: "us"}
	if got := d.Cost(u); got != 33 { // (5 + 25) * 1.1
		t.Errorf("us cost %v, want 33", got)
	}
	u.InferenceGeo = "global"
	if got := d.Cost(u); got != 30 {
		t.Errorf("global cost %v, want 30", got)
	}
	o := tiered(cfg, &config.Deployment{Name: "o", Provider: "openai", Model: "gpt-4o-mini"})
	if o.USInferenceFactor != 0 {
		t.Errorf("openai factor %v", o.USInferenceFactor)
	}
}

// An answer a Claude API deployment of a model with fast mode says ran
// fast costs the model's multiplier (Opus 5.5: 2x); a model without fast
// mode, and any OpenAI deployment, gets no factor.
func TestFastModePremium(t *testing.T) {
	cfg := &config.Config{Providers: map[string]*config.Provider{
		"an": {Name: "an", Kind: config.KindAnthropic}, "openai": {Name: "openai", Kind: config.KindOpenAI}}}
	d := tiered(cfg, &config.Deployment{Name: "c", Provider: "an", Model: "claude-opus-5-5"})
	u := llm.Usage{PromptTokens: 1_000_000, CompletionTokens: 1_000_000, Speed: "fast"}
	if got := d.Cost(u); got != 48 { // (4 + 20) * 2
		t.Errorf("fast cost %v, want 48", got)
	}
	u.Speed = "standard"
	if got := d.Cost(u); got != 24 {
		t.Errorf("standard cost %v, want 24", got)
	}
	if s := tiered(cfg, &config.Deployment{Name: "s", Provider: "an", Model: "claude-sonnet-5-5"}); s.FastFactor != 0 {
		t.Errorf("sonnet factor %v", s.FastFactor)
	}
	if o := tiered(cfg, &config.Deployment{Name: "o", Provider: "openai", Model: "gpt-4o-mini"}); o.FastFactor != 0 {
		t.Errorf("openai factor %v", o.FastFactor)
	}
}

// OpenAI's ultrafast tier is priced at cost.ultrafast_multiplier (6x by
// default, OpenAI's rule) times the standard prices — cache writes too —
// or at the deployment's price.ultrafast_*; never at the priority price,
// which is less than half of it. Claude has no ultrafast tier.
func TestUltrafastPrice(t *testing.T) {
	cfg := &config.Config{Providers: map[string]*config.Provider{
		"openai": {Name: "openai", Kind: config.KindOpenAI}, "claude": {Name: "claude", Kind: config.KindAnthropic}}}
	cd := &config.Deployment{Name: "m", Provider: "openai", Model: "my-model",
		Price: config.Price{Input: 10, CachedInput: 1, CacheWrite: 12.5, Output: 50,
			Set: config.PriceInput | config.PriceCachedInput | config.PriceCacheWrite | config.PriceOutput}}
	d := tiered(cfg, cd)
	if p := d.UltrafastPrice; p == nil || p.Input != 60 || p.CachedInput != 6 || p.Output != 300 || p.Source != TierSourceMultiplier {
		t.Fatalf("ultrafast at 6x: %+v", p)
	}
	u := llm.Usage{PromptTokens: 2_000_000, CacheWriteTokens: 1_000_000, CompletionTokens: 1_000_000, ServiceTier: llm.TierUltrafast}
	if got, want := d.Cost(u), 60.0+75+300; got != want {
		t.Errorf("ultrafast cost %v, want %v (GPT-6 Astra's $60 input, $75 cache writes, $300 output)", got, want)
	}
	three := 3.0
	cfg.Cost.Ultrafast = &three
	if p := tiered(cfg, cd).UltrafastPrice; p.Input != 30 || p.Output != 150 {
		t.Errorf("ultrafast at cost.ultrafast_multiplier 3: %+v", p)
	}
	cd.Price.Ultrafast = config.TierPrice{Input: 40, Output: 200}
	if p := tiered(cfg, cd).UltrafastPrice; p.Input != 40 || p.Output != 200 || p.Source != TierSourceConfig || !p.Fixed {
		t.Errorf("configured ultrafast price: %+v", p)
	}
	claude := tiered(cfg, &config.Deployment{Name: "c", Provider: "claude", Model: "claude-opus-5-5"})
	if claude.UltrafastPrice != nil {
		t.Errorf("Claude has no ultrafast tier: %+v", claude.UltrafastPrice)
	}
}

// GPT-6.2 Sol's model page lists its ultrafast tier at 3x the standard
// rates through 2027-02-28 and 6x from 2027-03-01: its listed multiplier
// wins over cost.ultrafast_multiplier (an estimate for unlisted models),
// by the day; a configured price.ultrafast_* wins over both. Other
// models keep the default.
func TestUltrafastListedMultiplier(t *testing.T) {
	defer func(f func() string) { today = f }(today)
	cfg := &config.Config{Providers: map[string]*config.Provider{"openai": {Name: "openai", Kind: config.KindOpenAI}}}
	sol := &config.Deployment{Name: "sol", Provider: "openai", Model: "gpt-6.2-sol"}
	for day, want := range map[string]float64{"2026-12-06": 3, "2027-02-28": 3, "2027-03-01": 6, "2028-01-01": 6} {
		today = func() string { return day }
		p := tiered(cfg, sol).UltrafastPrice
		if p == nil || p.Input != 2*want || p.Output != 10*want || p.Source != TierSourceCatalogRatio {
			t.Errorf("%s: gpt-6.2-sol ultrafast %+v, want %vx its $2/$10 (source %q)", day, p, want, TierSourceCatalogRatio)
		}
	}
	today = func() string { return "2026-12-06" }
	snapshot := tiered(cfg, &config.Deployment{Name: "s", Provider: "openai", Model: "gpt-6.2-sol-2026-11-17"}).UltrafastPrice
	if snapshot == nil || snapshot.Input != 6 {
		t.Errorf("a dated snapshot takes its model's listing: %+v", snapshot)
	}
	five := 5.0
	cfg.Cost.Ultrafast = &five
	if p := tiered(cfg, sol).UltrafastPrice; p.Input != 6 {
		t.Errorf("the listing wins over cost.ultrafast_multiplier: %+v", p)
	}
	if p := tiered(cfg, &config.Deployment{Name: "a", Provider: "openai", Model: "gpt-6-astra"}).UltrafastPrice; p.Input != 50 {
		t.Errorf("an unlisted model at cost.ultrafast_multiplier: %+v", p)
	}
	sol.Price.Ultrafast = config.TierPrice{Input: 7, Output: 35}
	if p := tiered(cfg, sol).UltrafastPrice; p.Input != 7 || p.Source != TierSourceConfig {
		t.Errorf("a configured price wins: %+v", p)
	}
}

// Web searches are priced by the deployment: Gemini's Grounding with
// Google Search at Google's list price ($35 per 1,000 grounded prompts
// before Gemini 3, $14 per 1,000 queries since), Claude's at $10 per
// 1,000, and a configured price.web_search (0: free) over either.
func TestWebSearchPrice(t *testing.T) {
	cfg := &config.Config{Providers: map[string]*config.Provider{
		"gm": {Name: "gm", Kind: config.KindGemini}, "an": {Name: "an", Kind: config.KindAnthropic}}}
	free := 0.0
	u := llm.Usage{WebSearchRequests: 2}
	for _, tt := range []struct {
		cd   config.Deployment
		want float64
	}{
		{config.Deployment{Name: "g25", Provider: "gm", Model: "gemini-2.5-flash", Price: config.Price{Input: 0, Output: 0, Set: config.PriceInput | config.PriceOutput}}, 0.07},
		{config.Deployment{Name: "g3", Provider: "gm", Model: "gemini-3-flash-preview", Price: config.Price{Set: config.PriceInput | config.PriceOutput}}, 0.028},
		{config.Deployment{Name: "gfree", Provider: "gm", Model: "gemini-2.5-flash", Price: config.Price{Set: config.PriceInput | config.PriceOutput, WebSearch: &free}}, 0},
		{config.Deployment{Name: "c", Provider: "an", Model: "claude-haiku-4-5", Price: config.Price{Set: config.PriceInput | config.PriceOutput}}, 0.02},
	} {
		d := tiered(cfg, &tt.cd)
		if got := d.Cost(u); got != tt.want {
			t.Errorf("%s: two searches cost %v, want %v", tt.cd.Name, got, tt.want)
		}
	}
}
