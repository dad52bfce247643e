package cost

import (
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// GPT-5.6 Sol from the catalog: input $5, cached input $0.50, the
// 30-minute write $6.25 (1.25x), the 12-hour write 2.5x input = $12.50;
// over 272K tokens the band's input $10 makes it $25. Claude keeps its
// one-hour write at 2x, and a configured cache_write_1h wins. 10,000
// prompt tokens of which 2,000 cached and 4,000 written for 12 hours:
// 4,000 × $5 + 2,000 × $0.50 + 4,000 × $12.50 + 100 × $30 = $0.074.
func TestTwelveHourWritePrice(t *testing.T) {
	var d llm.Deployment
	p := Resolve(&config.Provider{Kind: config.KindOpenAI}, &config.Deployment{Name: "sol", Model: "gpt-5.6-sol"})
	p.Apply(&d)
	if d.CacheWritePricePerM != 6.25 || d.CacheWrite1hPricePerM != 12.5 || d.LongPrompt == nil || d.LongPrompt.CacheWrite1h != 25 {
		t.Fatalf("prices: write %v, 12h %v, band %+v", d.CacheWritePricePerM, d.CacheWrite1hPricePerM, d.LongPrompt)
	}
	u := llm.Usage{PromptTokens: 10_000, CachedPromptTokens: 2_000, CacheWriteTokens: 4_000, CacheWrite1hTokens: 4_000, CompletionTokens: 100}
	if got := d.Cost(u); got != 0.074 {
		t.Errorf("12-hour writes: $%v, want $0.074", got)
	}
	u.CacheWrite1hTokens = 0 // 30-minute writes: 4,000 × $6.25 instead
	if got := d.Cost(u); got != 0.049 {
		t.Errorf("30-minute writes: $%v, want $0.049", got)
	}

	var azure llm.Deployment
	Resolve(&config.Provider{Kind: config.KindAzure, BaseURL: "https://r.openai.azure.com"}, &config.Deployment{Name: "prod", BaseModel: "gpt-6-luna", Price: config.Price{Input: 0.1, Output: 0.5, Set: config.PriceInput | config.PriceOutput}}).Apply(&azure)
	if azure.CacheWrite1hPricePerM != 0.25 {
		t.Errorf("Azure gpt-6-luna 12-hour write $%v, want $0.25", azure.CacheWrite1hPricePerM)
	}
	for _, tc := range []struct {
		p    *config.Provider
		d    config.Deployment
		want float64
	}{
		{&config.Provider{Kind: config.KindAnthropic}, config.Deployment{Name: "s", Model: "claude-sonnet-4-6"}, 6},
		{&config.Provider{Kind: config.KindOpenAI}, config.Deployment{Name: "o", Model: "gpt-5.4"}, 5},
		{&config.Provider{Kind: config.KindOpenAI}, config.Deployment{Name: "sol", Model: "gpt-5.6-sol", Price: config.Price{CacheWrite1h: 11, Set: config.PriceCacheWrite1h}}, 11},
	} {
		var d llm.Deployment
		Resolve(tc.p, &tc.d).Apply(&d)
		if d.CacheWrite1hPricePerM != tc.want {
			t.Errorf("%s: long write $%v, want $%v", tc.d.Model, d.CacheWrite1hPricePerM, tc.want)
		}
	}
}
