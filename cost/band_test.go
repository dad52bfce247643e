package cost

import (
	"math"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// The catalog reads the source's long-prompt prices: Gemini 2.5 Pro's
// above 200K tokens, Claude Sonnet 4's (with its cache prices), Gemini
// 1.5 Pro's above 128K, and the current-prices file's (Claude Haiku 5.5
// above 100K, GPT-5.4 above 272K); none for a model neither lists one for.
func TestCatalogLongPromptBand(t *testing.T) {
	for _, tc := range []struct {
		vendor, model string
		want          *config.PriceBand
	}{
		{"gemini", "gemini-2.5-pro", &config.PriceBand{AboveTokens: 200_000, Input: 2.5, Output: 15, CachedInput: 0.25,
			Set: config.PriceInput | config.PriceOutput | config.PriceCachedInput}},
		{"anthropic", "claude-haiku-5-5", &config.PriceBand{AboveTokens: 100_000, Input: 0.5, Output: 2.5, CachedInput: 0.05, CacheWrite: 0.625,
			Set: config.PriceInput | config.PriceOutput | config.PriceCachedInput | config.PriceCacheWrite}},
		{"openai", "gpt-5.4", &config.PriceBand{AboveTokens: 272_000, Input: 5, Output: 22.5, CachedInput: 0.5,
			Set: config.PriceInput | config.PriceOutput | config.PriceCachedInput}},
		{"anthropic", "claude-4-sonnet-20250514", &config.PriceBand{AboveTokens: 200_000, Input: 6, Output: 22.5, CachedInput: 0.6, CacheWrite: 7.5,
			Set: config.PriceInput | config.PriceOutput | config.PriceCachedInput | config.PriceCacheWrite}},
		{"gemini", "gemini-1.5-pro", &config.PriceBand{AboveTokens: 128_000, Input: 7, Output: 21, Set: config.PriceInput | config.PriceOutput}},
		{"openai", "gpt-4o", nil},
		{"gemini", "gemini-2.0-flash", nil},
	} {
		e, ok := Lookup(tc.vendor, tc.model)
		if !ok {
			t.Errorf("%s/%s: not found", tc.vendor, tc.model)
			continue
		}
		if got := e.Price.LongPrompt; (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want {
			t.Errorf("%s/%s: band %+v, want %+v", tc.vendor, tc.model, got, tc.want)
		}
	}
	const std = "gemini\tm\tchat\t1\t-\t-\t2\t-\t-\t-\t-\t-\t-\t-"
	if e, ok := parseEntry(std + "\t1000\t2\t0.2\t-\t4\t-\t-"); !ok || e.Price.LongPrompt == nil ||
		*e.Price.LongPrompt != (config.PriceBand{AboveTokens: 1000, Input: 2, CachedInput: 0.2, Output: 4, Set: config.PriceInput | config.PriceCachedInput | config.PriceOutput}) {
		t.Errorf("band line: %+v %v", e, ok)
	}
	for _, band := range []string{"\t0\t2\t-\t-\t4", "\tx\t2\t-\t-\t4", "\t1000\t-\t-\t-\t4", "\t1000\t2\t-\t-\t-", "\t1000\t2\t-1\t-\t4", "\t1000\t2\t-\t-"} {
		if _, ok := parseEntry(std + band + "\t-\t-"); ok {
			t.Errorf("band %q parsed", band)
		}
	}
}

// Gemini 2.5 Pro from the catalog, 250,000 prompt tokens (50,000 of them
// cached): every token at the band above 200K. Input $2.50, output $15,
// cached reads $0.25 (Google's pricing page: the current-prices file).
// 200,000 × $2.50 + 50,000 × $0.25 + 8,000 × $15 = $0.6325.
// At 200,000 prompt tokens the standard prices hold.
func TestCostGemini25ProLongPrompt(t *testing.T) {
	var d llm.Deployment
	p := Resolve(&config.Provider{Kind: config.KindGemini}, &config.Deployment{Name: "g", Model: "gemini-2.5-pro"})
	p.Apply(&d)
	if p.LongPromptSource != SourceCatalog || d.LongPrompt == nil || d.LongPrompt.CachedInput != 0.25 || d.LongPrompt.CacheWrite1h != 5 {
		t.Fatalf("band %+v (source %q)", d.LongPrompt, p.LongPromptSource)
	}
	u := llm.Usage{PromptTokens: 250_000, CachedPromptTokens: 50_000, CompletionTokens: 8_000}
	if got := d.Cost(u); got != 0.6325 {
		t.Errorf("250K prompt tokens: $%v, want $0.6325", got)
	}
	u.PromptTokens = 200_000 // 150,000 × $1.25 + 50,000 × $0.125 + 8,000 × $10
	if got := d.Cost(u); got != 0.27375 {
		t.Errorf("200K prompt tokens: $%v, want $0.27375", got)
	}
}

// haikuConfig is a Claude Haiku 5.5-style deployment priced by the
// configuration (over the catalog's own Haiku 5.5 prices): standard
// $0.10 / $0.50, a band above 100,000 prompt tokens of $0.50 / $2.50.
func haikuConfig() *config.Deployment {
	return &config.Deployment{Name: "haiku", Provider: "anthropic", Model: "claude-haiku-5-5",
		Price: config.Price{Input: 0.10, Output: 0.50, CachedInput: 0.01, CacheWrite: 0.125,
			Set:        config.PriceInput | config.PriceOutput | config.PriceCachedInput | config.PriceCacheWrite,
			LongPrompt: &config.PriceBand{AboveTokens: 100_000, Input: 0.50, Output: 2.50, Set: config.PriceInput | config.PriceOutput}}}
}

// A configured band with only input and output derives the rest: cached
// $0.01 × 0.5 / 0.1 = $0.05, 5-minute writes $0.125 × 5 = $0.625,
// one-hour writes twice the band's input, $1.00. 100,000 prompt tokens
// (cache reads included) pay the standard prices, 100,001 the band's.
func TestCostConfiguredBand(t *testing.T) {
	cfg := &config.Config{Providers: map[string]*config.Provider{"anthropic": {Name: "anthropic", Kind: config.KindAnthropic}}}
	d := tiered(cfg, haikuConfig())
	want := llm.PriceBand{AboveTokens: 100_000, Input: 0.5, Output: 2.5, CachedInput: 0.05, CacheWrite: 0.625, CacheWrite1h: 1, Reasoning: 2.5}
	if d.LongPrompt == nil || *d.LongPrompt != want {
		t.Fatalf("band %+v, want %+v", d.LongPrompt, want)
	}
	u := llm.Usage{PromptTokens: 100_000, CachedPromptTokens: 40_000, CacheWriteTokens: 10_000, CacheWrite1hTokens: 4_000, CompletionTokens: 1_000}
	// 50,000 × 0.10 + 40,000 × 0.01 + 6,000 × 0.125 + 4,000 × 0.20 + 1,000 × 0.50
	if got := d.Cost(u); got != 0.00745 {
		t.Errorf("100,000: $%v, want $0.00745", got)
	}
	u.PromptTokens++ // 50,001 × 0.50 + 40,000 × 0.05 + 6,000 × 0.625 + 4,000 × 1 + 1,000 × 2.50
	if got := d.Cost(u); got != 0.0372505 {
		t.Errorf("100,001: $%v, want $0.0372505", got)
	}
}

// A configured band replaces the catalog's whole: its threshold, and its
// cached price derived from the configured input, not the catalog's band.
func TestConfiguredBandReplacesCatalogs(t *testing.T) {
	cd := &config.Deployment{Name: "g", Model: "gemini-2.5-pro", Price: config.Price{
		LongPrompt: &config.PriceBand{AboveTokens: 100_000, Input: 3, Output: 20, Set: config.PriceInput | config.PriceOutput}}}
	p := Resolve(&config.Provider{Kind: config.KindGemini}, cd)
	var d llm.Deployment
	p.Apply(&d)
	if p.Source != SourceMixed || p.LongPromptSource != SourceConfig {
		t.Errorf("source %q, band's %q", p.Source, p.LongPromptSource)
	}
	if b := d.LongPrompt; b == nil || b.AboveTokens != 100_000 || b.Input != 3 || b.CachedInput != 0.3 {
		t.Errorf("band %+v, want above 100,000 at $3 in, cached $0.125 × 3 / 1.25 = $0.30", b)
	}
}

// long_prompt: none switches the catalog's band off: GPT-5.5's prompt
// above 272K tokens pays the standard prices, the band's source is the
// configuration.
func TestConfiguredNoBand(t *testing.T) {
	cd := &config.Deployment{Name: "g", Model: "gpt-5.5"}
	p := Resolve(&config.Provider{Kind: config.KindOpenAI}, cd)
	if p.LongPrompt == nil || p.LongPromptSource != SourceCatalog {
		t.Fatalf("the catalog's band: %+v from %q", p.LongPrompt, p.LongPromptSource)
	}
	cd.Price.LongPrompt = &config.PriceBand{None: true}
	p = Resolve(&config.Provider{Kind: config.KindOpenAI}, cd)
	var d llm.Deployment
	p.Apply(&d)
	if p.LongPrompt != nil || p.LongPromptSource != SourceConfig || d.LongPrompt != nil || !p.Known || p.Source != SourceMixed {
		t.Errorf("band %+v from %q, deployment's %+v, known %v, source %q", p.LongPrompt, p.LongPromptSource, d.LongPrompt, p.Known, p.Source)
	}
	if got := d.Cost(llm.Usage{PromptTokens: 300_000}); !nearUSD(got, 1.5) {
		t.Errorf("300,000 prompt tokens: $%v, want the standard $1.50", got)
	}
}

// Service tiers over a band: a tier priced by the multiplier scales the
// band's prices; a configured priority price is charged as it is; a
// batch line takes the band, then the batch discount.
func TestBandServiceTiersAndBatch(t *testing.T) {
	cfg := &config.Config{Providers: map[string]*config.Provider{"openai": {Name: "openai", Kind: config.KindOpenAI}}}
	cd := haikuConfig()
	cd.Provider = "openai"
	d := tiered(cfg, cd)
	u := llm.Usage{PromptTokens: 200_000, CompletionTokens: 1_000, ServiceTier: llm.TierPriority}
	// The multiplier (2.5): 200,000 × $1.25 + 1,000 × $6.25.
	if got := d.Cost(u); !nearUSD(got, 0.25625) {
		t.Errorf("priority by the multiplier: $%v, want $0.25625", got)
	}
	cd.Price.Priority = config.TierPrice{Input: 0.2, Output: 1}
	d = tiered(cfg, cd)
	if got := d.Cost(u); got != 0.041 { // 200,000 × $0.20 + 1,000 × $1: as configured
		t.Errorf("configured priority: $%v, want $0.041", got)
	}
	u.ServiceTier = llm.TierFlex // the discount (0.5): 200,000 × $0.25 + 1,000 × $1.25
	if got := d.Cost(u); !nearUSD(got, 0.05125) {
		t.Errorf("flex: $%v, want $0.05125", got)
	}
	b := BatchPriced(cfg.Providers["openai"], cd, d, 0.5)
	u.ServiceTier = ""
	if got := b.Cost(u); !nearUSD(got, 0.05125) || b.LongPrompt == d.LongPrompt {
		t.Errorf("batch line: $%v, want $0.05125 (band %+v)", got, b.LongPrompt)
	}
	if got := d.Cost(u); !nearUSD(got, 0.1025) {
		t.Errorf("BatchPriced changed the deployment's band: $%v", got)
	}
}

func nearUSD(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
