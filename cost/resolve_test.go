package cost

import (
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

func TestVendorOf(t *testing.T) {
	for _, tc := range []struct {
		p    *config.Provider
		want string
	}{
		{nil, "openai"},
		{&config.Provider{Kind: config.KindOpenAI}, "openai"},
		{&config.Provider{Kind: config.KindOpenAI, BaseURL: "https://api.openai.com/v1"}, "openai"},
		{&config.Provider{Kind: config.KindOpenAI, BaseURL: "https://api.groq.com/openai/v1"}, "groq"},
		{&config.Provider{Kind: config.KindOpenAI, BaseURL: "https://API.DeepSeek.com"}, "deepseek"},
		{&config.Provider{Kind: config.KindOpenAI, BaseURL: "https://generativelanguage.googleapis.com/v1beta/openai"}, "gemini"},
		{&config.Provider{Kind: config.KindOpenAI, Endpoints: []config.Endpoint{{BaseURL: "https://api.x.ai/v1"}}}, "xai"},
		{&config.Provider{Kind: config.KindOpenAI, BaseURL: "http://127.0.0.1:11434/v1"}, "openai"},
		{&config.Provider{Kind: config.KindAzure, BaseURL: "https://acme.openai.azure.com"}, "azure"},
		{&config.Provider{Kind: config.KindAnthropic}, "anthropic"},
		{&config.Provider{Kind: config.KindGemini}, "gemini"},
	} {
		if got := VendorOf(tc.p); got != tc.want {
			t.Errorf("VendorOf(%+v) = %q, want %q", tc.p, got, tc.want)
		}
	}
}

func TestResolve(t *testing.T) {
	openai := &config.Provider{Kind: config.KindOpenAI}
	local := &config.Provider{Kind: config.KindOpenAI, BaseURL: "http://127.0.0.1:8000/v1"}
	for _, tc := range []struct {
		name   string
		p      *config.Provider
		d      config.Deployment
		want   config.Price // Set ignored
		known  bool
		source string
	}{
		{"catalog only", openai, config.Deployment{Name: "mini", Model: "gpt-4o-mini"},
			config.Price{Input: 0.15, Output: 0.6, CachedInput: 0.075}, true, SourceCatalog},
		{"model defaults to the name", openai, config.Deployment{Name: "gpt-4o"},
			config.Price{Input: 2.5, Output: 10, CachedInput: 1.25}, true, SourceCatalog},
		{"config overrides field by field", openai, config.Deployment{Name: "mini", Model: "gpt-4o-mini", Price: config.Price{Input: 0.1}},
			config.Price{Input: 0.1, Output: 0.6, CachedInput: 0.075}, true, SourceMixed},
		{"an explicit 0 is a price", openai, config.Deployment{Name: "mini", Model: "gpt-4o-mini",
			Price: config.Price{CachedInput: 0, Set: config.PriceCachedInput}},
			config.Price{Input: 0.15, Output: 0.6}, true, SourceMixed},
		{"config alone", local, config.Deployment{Name: "llama", Model: "llama3", Price: config.Price{Input: 0.2, Output: 0.4, Reasoning: 0.8}},
			config.Price{Input: 0.2, Output: 0.4, Reasoning: 0.8}, true, SourceConfig},
		{"free local model", local, config.Deployment{Name: "llama", Model: "llama3", Price: config.Price{Set: config.PriceInput | config.PriceOutput}},
			config.Price{}, true, SourceConfig},
		{"unknown", local, config.Deployment{Name: "llama", Model: "llama3"},
			config.Price{}, false, SourceUnknown},
		{"half a price is unknown", local, config.Deployment{Name: "llama", Model: "llama3", Price: config.Price{Input: 0.2}},
			config.Price{Input: 0.2}, false, SourceUnknown},
		{"embeddings need only input", local, config.Deployment{Name: "emb", Model: "bge", Capabilities: []llm.Capability{llm.CapEmbeddings},
			Price: config.Price{Input: 0.01}}, config.Price{Input: 0.01}, true, SourceConfig},
		{"catalog embeddings", openai, config.Deployment{Name: "emb", Model: "text-embedding-3-small"},
			config.Price{Input: 0.02}, true, SourceCatalog},
		{"catalog moderation is free, and known", openai, config.Deployment{Name: "mod", Model: "omni-moderation-latest", Capabilities: []llm.Capability{llm.CapModeration}},
			config.Price{}, true, SourceCatalog},
		{"a moderation model off the catalog needs only input", &config.Provider{Kind: config.KindOpenAI, BaseURL: "https://api.mistral.ai/v1"},
			config.Deployment{Name: "mod", Model: "mistral-moderation-latest", Capabilities: []llm.Capability{llm.CapModeration}, Price: config.Price{Input: 0.1}},
			config.Price{Input: 0.1}, true, SourceConfig},
		{"a moderation model off the catalog, unpriced, is unknown", &config.Provider{Kind: config.KindOpenAI, BaseURL: "https://api.mistral.ai/v1"},
			config.Deployment{Name: "mod", Model: "mistral-moderation-latest", Capabilities: []llm.Capability{llm.CapModeration}},
			config.Price{}, false, SourceUnknown},
		{"anthropic cache writes", &config.Provider{Kind: config.KindAnthropic}, config.Deployment{Name: "haiku", Model: "claude-3-5-haiku-20241022"},
			config.Price{Input: 0.8, Output: 4, CachedInput: 0.08, CacheWrite: 1}, true, SourceCatalog},
		{"an Azure deployment's name, priced by its base_model", &config.Provider{Kind: config.KindAzure},
			config.Deployment{Name: "prod", Model: "mini-eastus-prod", BaseModel: "gpt-4o-mini"},
			config.Price{Input: 0.165, Output: 0.66, CachedInput: 0.075}, true, SourceCatalog},
		{"an Azure deployment's name alone is unknown", &config.Provider{Kind: config.KindAzure},
			config.Deployment{Name: "prod", Model: "mini-eastus-prod"}, config.Price{}, false, SourceUnknown},
		{"configured one-hour cache writes", &config.Provider{Kind: config.KindAnthropic}, config.Deployment{Name: "haiku", Model: "claude-3-5-haiku-20241022",
			Price: config.Price{CacheWrite1h: 1.5}}, config.Price{Input: 0.8, Output: 4, CachedInput: 0.08, CacheWrite: 1, CacheWrite1h: 1.5}, true, SourceMixed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Resolve(tc.p, &tc.d)
			got := p.Price
			got.Set = 0
			if got != tc.want || p.Known != tc.known || p.Source != tc.source {
				t.Errorf("Resolve = %+v known=%v source=%q; want %+v known=%v source=%q", p.Price, p.Known, p.Source, tc.want, tc.known, tc.source)
			}
			var d llm.Deployment
			d.InputPricePerM = 99 // Apply clears what an unknown price leaves
			p.Apply(&d)
			if d.PriceUnknown == tc.known || d.InputPricePerM != tc.want.Input && tc.known || !tc.known && d.InputPricePerM != 0 {
				t.Errorf("Apply: %+v", d)
			}
			if want := oneHourRate(tc.want); tc.known && d.CacheWrite1hPricePerM != want {
				t.Errorf("Apply: one-hour cache writes at %v, want %v", d.CacheWrite1hPricePerM, want)
			}
		})
	}
}

// oneHourRate is the one-hour cache write price Apply must give p: the
// configured one, else twice the input price.
func oneHourRate(p config.Price) float64 {
	if p.CacheWrite1h != 0 {
		return p.CacheWrite1h
	}
	return OneHourWriteFactor * p.Input
}

func TestWarningsNameEachUnknownDeployment(t *testing.T) {
	cfg := &config.Config{
		Providers: map[string]*config.Provider{
			"openai": {Name: "openai", Kind: config.KindOpenAI},
			"local":  {Name: "local", Kind: config.KindOpenAI, BaseURL: "http://127.0.0.1:8000/v1"},
		},
		Deployments: map[string]*config.Deployment{
			"mini":    {Name: "mini", Provider: "openai", Model: "gpt-4o-mini"},
			"llama":   {Name: "llama", Provider: "local", Model: "llama3"},
			"half":    {Name: "half", Provider: "local", Model: "qwen", Price: config.Price{Input: 0.1}},
			"free":    {Name: "free", Provider: "local", Model: "phi", Price: config.Price{Set: config.PriceInput | config.PriceOutput}},
			"unknown": {Name: "unknown", Provider: "openai", Model: "gpt-9"},
			"aliased": {Name: "aliased", Provider: "openai", Model: "prod-mini", BaseModel: "gpt-4o-mini"},
		},
	}
	ws := Warnings(cfg)
	if len(ws) != 3 {
		t.Fatalf("warnings %q, want half, llama and unknown", ws)
	}
	for i, want := range []string{"deployments.half: cost unknown", "deployments.llama: cost unknown", "deployments.unknown: cost unknown"} {
		if !strings.HasPrefix(ws[i], want) {
			t.Errorf("warning %d = %q, want it to start %q", i, ws[i], want)
		}
	}
	if !strings.Contains(ws[1], "or base_model") {
		t.Errorf("the warning does not offer base_model: %q", ws[1])
	}
	if !strings.Contains(ws[0], "set price.output") || !strings.Contains(ws[1], "set price.input and price.output") ||
		!strings.Contains(ws[1], `"llama3"`) || !strings.Contains(ws[1], "2026-12-06") || !strings.Contains(ws[1], "not $0") {
		t.Errorf("warnings do not say what to set: %q", ws)
	}
	if strings.Contains(ws[1], "budget") {
		t.Errorf("no budget, yet the warning names one: %q", ws[1])
	}
	cfg.Budgets = []config.Budget{
		{Name: "acme-usd", LimitUSD: 5, UnknownCost: config.UnknownCostExclude},
		{Name: "acme-open", LimitUSD: 5, UnknownCost: config.UnknownCostAllow},
		{Name: "acme-tokens", LimitTokens: 5},
	}
	if ws := Warnings(cfg); !strings.HasSuffix(ws[1], "; requests under the USD budgets acme-usd are not routed to it (unknown_cost: exclude)") {
		t.Errorf("warning under a USD budget: %q", ws[1])
	}
	d, p := Deployment(cfg, "llama")
	if !d.PriceUnknown || p.Known || d.Name != "llama" {
		t.Errorf("Deployment(llama) = %+v, %+v", d, p)
	}
	d, _ = Deployment(cfg, "mini")
	if d.PriceUnknown || d.InputPricePerM != 0.15 || d.CachedInputPricePerM != 0.075 {
		t.Errorf("Deployment(mini) = %+v", d)
	}
}

func TestServesChat(t *testing.T) {
	openai := &config.Provider{Kind: config.KindOpenAI}
	for _, tc := range []struct {
		d    config.Deployment
		want bool
	}{
		{config.Deployment{Name: "mini", Model: "gpt-4o-mini"}, true},
		{config.Deployment{Name: "local", Model: "llama3"}, true}, // unknown to the catalog
		{config.Deployment{Name: "emb", Model: "text-embedding-3-small"}, false},
		{config.Deployment{Name: "modr", Model: "omni-moderation-latest"}, false},
		{config.Deployment{Name: "alias", Model: "prod-embedder", BaseModel: "text-embedding-3-large"}, false},
		{config.Deployment{Name: "said", Model: "text-embedding-3-small", Capabilities: []llm.Capability{llm.CapTools}}, true},
		{config.Deployment{Name: "bge", Model: "bge", Capabilities: []llm.Capability{llm.CapEmbeddings}}, false},
		{config.Deployment{Name: "m", Model: "gpt-4o-mini", Capabilities: []llm.Capability{llm.CapModeration}}, false},
		// The media models, known to the media price table, serve no chat.
		{config.Deployment{Name: "d3", Model: "dall-e-3"}, false},
		{config.Deployment{Name: "gi", Model: "gpt-image-1"}, false},
		{config.Deployment{Name: "tts", Model: "tts-1"}, false},
		{config.Deployment{Name: "w", Model: "whisper-1"}, false},
		{config.Deployment{Name: "az", Model: "prod-dalle", BaseModel: "dall-e-3"}, false},
		{config.Deployment{Name: "img", Model: "flux", Capabilities: []llm.Capability{llm.CapImages}}, false},
	} {
		if got := Resolve(openai, &tc.d).ServesChat; got != tc.want {
			t.Errorf("%s (%s, %v): ServesChat = %v, want %v", tc.d.Name, tc.d.ModelID(), tc.d.Capabilities, got, tc.want)
		}
	}
}

// A deployment priced by a catalog price in force for a time only (a
// promotion) is warned about, naming its last day; one whose configured
// price covers input and output is not.
func TestWarningsNamePromotionalPrices(t *testing.T) {
	defer func(f func() string) { today = f }(today)
	today = func() string { return "2026-12-06" }
	cfg := &config.Config{
		Providers: map[string]*config.Provider{"gemini": {Name: "gemini", Kind: config.KindGemini}},
		Deployments: map[string]*config.Deployment{
			"flash":  {Name: "flash", Provider: "gemini", Model: "gemini-3.8-flash"},
			"priced": {Name: "priced", Provider: "gemini", Model: "gemini-3.8-flash", Price: config.Price{Input: 1.5, Output: 7.5, CachedInput: 0.15}},
			"argon":  {Name: "argon", Provider: "gemini", Model: "gemini-4-argon"},
		},
	}
	ws := Warnings(cfg)
	if len(ws) != 1 || !strings.HasPrefix(ws[0], "deployments.flash: ") || !strings.Contains(ws[0], "until 2026-12-31") {
		t.Fatalf("warnings %q, want one for flash naming 2026-12-31", ws)
	}
	today = func() string { return "2027-01-01" }
	if ws := Warnings(cfg); len(ws) != 0 {
		t.Errorf("after the promotion: warnings %q, want none (the list price is open-ended)", ws)
	}
}
