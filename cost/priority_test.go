package cost

import (
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// The embedded list parses strictly, every model on it is in the catalog
// at a standard price its priority price is above, and each line names
// its source.
func TestPriorityListIsWellFormed(t *testing.T) {
	list, err := parsePriority(priorityTSV)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) < 15 {
		t.Fatalf("%d models listed", len(list))
	}
	for k, e := range list {
		std, ok := Lookup(k[0], k[1])
		if !ok {
			t.Errorf("%s/%s: not in the catalog", k[0], k[1])
			continue
		}
		if e.Input <= std.Price.Input || e.Output <= std.Price.Output {
			t.Errorf("%s: priority %v/%v not above the standard %v/%v", k[1], e.Input, e.Output, std.Price.Input, std.Price.Output)
		}
		if e.CachedInput != 0 && (e.CachedInput >= e.Input || e.CachedInput <= std.Price.CachedInput) {
			t.Errorf("%s: priority cached %v against input %v and standard cached %v", k[1], e.CachedInput, e.Input, std.Price.CachedInput)
		}
	}
}

// A malformed list is an error naming its line.
func TestParsePriorityRejects(t *testing.T) {
	head := strings.Join(priorityColumns, "\t") + "\n"
	for name, text := range map[string]string{
		"header":       "vendor\tmodel\n",
		"columns":      head + "openai\tgpt-x\t1\t0.1\t2\n",
		"vendor":       head + "azure\tgpt-x\t1\t0.1\t2\tpage\n",
		"source":       head + "openai\tgpt-x\t1\t0.1\t2\t \n",
		"price":        head + "openai\tgpt-x\tone\t0.1\t2\tpage\n",
		"zero":         head + "openai\tgpt-x\t1\t0.1\t0\tpage\n",
		"no input":     head + "openai\tgpt-x\t-\t0.1\t2\tpage\n",
		"listed twice": head + "openai\tgpt-x\t1\t0.1\t2\tpage\nopenai\tGPT-X\t1\t0.1\t2\tpage\n",
	} {
		if _, err := parsePriority(text); err == nil || !strings.Contains(err.Error(), "priority.tsv:") {
			t.Errorf("%s: %v", name, err)
		}
	}
	list, err := parsePriority(head + "# a comment\n\nopenai\tgpt-x\t1\t-\t2\tpage\n")
	if err != nil || list[[2]string{"openai", "gpt-x"}].CachedInput != 0 {
		t.Errorf("an unlisted cached price: %v %+v", err, list)
	}
}

// OpenAI's listed priority price prices an OpenAI deployment of a listed
// model (a dated snapshot takes its undated name's unless it has its
// own line), by its ratios when the configuration sets the standard
// price; not an Azure one, nor an unlisted model: those take the
// multiplier.
func TestListedPriorityPrice(t *testing.T) {
	cfg := &config.Config{Providers: map[string]*config.Provider{
		"openai": {Name: "openai", Kind: config.KindOpenAI},
		"az":     {Name: "az", Kind: config.KindAzure, BaseURL: "https://x.openai.azure.com"},
	}}
	for _, c := range []struct {
		provider, model string
		in, cached, out float64
		source          string
	}{
		{"openai", "gpt-4.1", 3.5, 0.875, 14, TierSourceCatalog},
		{"openai", "gpt-4o-2024-11-20", 4.25, 2.125, 17, TierSourceCatalog},
		{"openai", "gpt-4o-2024-05-13", 8.75, 0, 26.25, TierSourceCatalog},
		{"openai", "gpt-5.5", 12.5, 1.25, 75, TierSourceCatalog},
		{"openai", "gpt-5-nano", 0.125, 0.0125, 1, TierSourceMultiplier},
		{"az", "gpt-4.1", 5, 1.25, 20, TierSourceMultiplier},
	} {
		d := tiered(cfg, &config.Deployment{Name: "m", Provider: c.provider, Model: c.model})
		p := d.PriorityPrice
		if p == nil || !nearUSD(p.Input, c.in) || !nearUSD(p.Output, c.out) || !nearUSD(p.CachedInput, c.cached) || p.Source != c.source {
			t.Errorf("%s %s: %+v, want %v/%v/%v from %s", c.provider, c.model, p, c.in, c.cached, c.out, c.source)
		}
	}
	// A configured standard price (a discount of half the input price)
	// takes the list's ratios: 1.75x input, cached and output.
	cd := &config.Deployment{Name: "m", Provider: "openai", Model: "gpt-4.1", Price: config.Price{Input: 1, Set: config.PriceInput}}
	if p := tiered(cfg, cd).PriorityPrice; p.Source != TierSourceCatalogRatio || !nearUSD(p.Input, 1.75) || !nearUSD(p.Output, 14) || !nearUSD(p.CachedInput, 0.875) {
		t.Errorf("a configured standard price: %+v", p)
	}
	// gpt-4o-2024-05-13 lists no cached price: its cached tokens cost the
	// standard cached price scaled as the input price is (1.75x).
	d := tiered(cfg, &config.Deployment{Name: "m", Provider: "openai", Model: "gpt-4o-2024-05-13"})
	u := llm.Usage{PromptTokens: 1_000_000, CompletionTokens: 1_000_000, ServiceTier: llm.TierPriority}
	if got := d.Cost(u); !nearUSD(got, 35) {
		t.Errorf("priority cost $%v, want $35", got)
	}
}
