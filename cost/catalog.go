package cost

import (
	_ "embed"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"switchyard/config"
)

//go:generate go run ./internal/catalogen -in ../../shared/datasets/routing/model_prices.json -date 2026-12-03 -current catalog_current.tsv -current-date 2026-12-06 -out catalog.tsv -media-out media.tsv

// catalogTSV is the built-in price catalog: one model a line (vendor,
// model, mode, then input, cached input, cache write, output and
// reasoning prices per 1M tokens, the input window, the batch input and
// output prices, the chat audio prices, and the long-prompt band: its
// threshold, input, cached input, cache write and output prices; "-"
// where unlisted), written by
// internal/catalogen from a LiteLLM-format price file.
//
//go:embed catalog.tsv
var catalogTSV string

// Entry is one model of the built-in price catalog.
type Entry struct {
	// Vendor is the catalog's vendor: one of Vendors.
	Vendor string
	// Model is the vendor's model name, without a vendor prefix.
	Model string
	// Embedding reports an embeddings model; Moderation a moderation model
	// (free at OpenAI: both prices 0); Completion a completions-only model
	// (gpt-3.5-turbo-instruct). None means a chat model.
	Embedding, Moderation, Completion bool
	// Price is in USD per 1M tokens; Price.Set holds the fields the
	// source lists (input and output always). Price.LongPrompt is the
	// model's long-prompt band (input_cost_per_token_above_200k_tokens,
	// …_above_128k_tokens and their output and cache prices), its Set
	// naming the prices listed; nil when the source lists none. Shared:
	// do not modify it.
	Price config.Price
	// ContextWindow is the model's input window in tokens (the source's
	// max_input_tokens); 0 when it does not list one.
	ContextWindow int
	// BatchInput and BatchOutput are the prices through the vendor's
	// batch API in USD per 1M tokens (input_cost_per_token_batches,
	// output_cost_per_token_batches); both 0 when the source lists none.
	BatchInput, BatchOutput float64
	// AudioInput and AudioOutput are the prices of a chat's audio tokens
	// in USD per 1M tokens (input_cost_per_audio_token,
	// output_cost_per_audio_token); 0 when the source lists none.
	AudioInput, AudioOutput float64
	// CachedAudioInput is the price of cached audio input tokens (the
	// Realtime API's models) in USD per 1M tokens; 0 when the catalog
	// lists none.
	CachedAudioInput float64
	// From and Until are the first and last days (UTC, YYYY-MM-DD) the
	// entry's prices are in force; "" for open. A model with a price for
	// a time only (a promotion) has an entry per period.
	From, Until string
}

// Vendors are the catalog's vendors: the provider kinds, and the
// OpenAI-compatible vendors a provider of kind openai reaches by its
// base_url (see VendorOf).
var Vendors = []string{
	"openai", "azure", "anthropic", "gemini",
	"cerebras", "deepseek", "fireworks", "groq", "mistral", "perplexity", "together", "xai",
}

// catalog is the parsed catalog, indexed by vendor and lower-cased model.
type catalog struct {
	entries      map[[2]string][]*Entry // a model's entries, one per period
	date, source string
}

var (
	catalogOnce sync.Once
	builtin     *catalog
)

// loadCatalog parses the embedded catalog once; it is a few hundred lines.
func loadCatalog() *catalog {
	catalogOnce.Do(func() { builtin = parseCatalog(catalogTSV) })
	return builtin
}

// parseCatalog reads the catalog's text. The embedded file is generated
// and checked by a test, so a malformed line is skipped, not fatal.
func parseCatalog(text string) *catalog {
	c := &catalog{entries: map[[2]string][]*Entry{}}
	for line := range strings.Lines(text) {
		line = strings.TrimRight(line, "\r\n")
		if v, ok := strings.CutPrefix(line, "# taken: "); ok {
			c.date = v
		}
		if v, ok := strings.CutPrefix(line, "# source: "); ok {
			c.source = v
		}
		if line == "" || line[0] == '#' {
			continue
		}
		if e, ok := parseEntry(line); ok {
			k := [2]string{e.Vendor, strings.ToLower(e.Model)}
			c.entries[k] = append(c.entries[k], e)
		}
	}
	return c
}

// priceColumns are the price columns' fields, in the file's order.
var priceColumns = [5]config.PriceFields{
	config.PriceInput, config.PriceCachedInput, config.PriceCacheWrite, config.PriceOutput, config.PriceReasoning,
}

func parseEntry(line string) (*Entry, bool) {
	f := strings.Split(line, "\t")
	if len(f) != 16+len(priceColumns) {
		return nil, false
	}
	e := &Entry{Vendor: f[0], Model: f[1], Embedding: f[2] == "embedding", Moderation: f[2] == "moderation", Completion: f[2] == "completion"}
	e.From, e.Until = openDay(f[14+len(priceColumns)]), openDay(f[15+len(priceColumns)])
	for i, field := range priceColumns {
		if f[3+i] == "-" {
			continue
		}
		v, err := strconv.ParseFloat(f[3+i], 64)
		if err != nil || v < 0 {
			return nil, false
		}
		e.Price.SetField(field, v)
	}
	if w := f[3+len(priceColumns)]; w != "-" {
		n, err := strconv.Atoi(w)
		if err != nil || n <= 0 {
			return nil, false
		}
		e.ContextWindow = n
	}
	if in, out := f[4+len(priceColumns)], f[5+len(priceColumns)]; in != "-" && out != "-" {
		bi, err1 := strconv.ParseFloat(in, 64)
		bo, err2 := strconv.ParseFloat(out, 64)
		if err1 != nil || err2 != nil || bi < 0 || bo < 0 {
			return nil, false
		}
		e.BatchInput, e.BatchOutput = bi, bo
	}
	for i, dst := range []*float64{&e.AudioInput, &e.AudioOutput, &e.CachedAudioInput} {
		if v := f[6+len(priceColumns)+i]; v != "-" {
			p, err := strconv.ParseFloat(v, 64)
			if err != nil || p < 0 {
				return nil, false
			}
			*dst = p
		}
	}
	if !parseBand(f[9+len(priceColumns):], &e.Price) {
		return nil, false
	}
	return e, e.Price.Set&(config.PriceInput|config.PriceOutput) == config.PriceInput|config.PriceOutput
}

// bandColumns are the long-prompt band's price columns' fields, in the
// file's order, after its threshold.
var bandColumns = [4]config.PriceFields{config.PriceInput, config.PriceCachedInput, config.PriceCacheWrite, config.PriceOutput}

// parseBand reads the long-prompt columns f (the threshold, then
// bandColumns) into p.LongPrompt: none when the threshold is "-". It
// reports false for a malformed band, or one without an input and an
// output price.
func parseBand(f []string, p *config.Price) bool {
	if f[0] == "-" {
		return true
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n <= 0 {
		return false
	}
	b := &config.PriceBand{AboveTokens: n}
	for i, field := range bandColumns {
		if f[1+i] == "-" {
			continue
		}
		v, err := strconv.ParseFloat(f[1+i], 64)
		if err != nil || v < 0 {
			return false
		}
		b.SetField(field, v)
	}
	p.LongPrompt = b
	return b.Set&(config.PriceInput|config.PriceOutput) == config.PriceInput|config.PriceOutput
}

// CatalogDate returns the date the catalog's prices were taken
// (YYYY-MM-DD). Prices change: the configuration's price overrides them.
func CatalogDate() string { return loadCatalog().date }

// CatalogSource says where the catalog's prices come from.
func CatalogSource() string { return loadCatalog().source }

// CatalogSize returns the number of models in the catalog.
func CatalogSize() int { return len(loadCatalog().entries) }

// Lookup returns the catalog's entry for model on vendor (one of
// Vendors), matching names case-insensitively in this order:
//   - the name as it is;
//   - without a "models/" prefix (Gemini), a Bedrock-style "anthropic."
//     prefix and "-v1:0" suffix, with Vertex's "@" before a date read as
//     "-", without a fine-tune's ":org:name:id" suffix
//     ("ft:gpt-4o-mini-2024-07-18:acme::x1" is priced as its base);
//   - a LiteLLM-style vendor prefix ("azure/gpt-4o", "gemini/…",
//     "deepseek/…") names the vendor whose price applies;
//   - Azure falls back to OpenAI's price for the same model name;
//   - only then, a dated or versioned snapshot without an entry of its
//     own ("gpt-4o-2024-08-06", "claude-3-5-sonnet@20240620",
//     "gemini-1.5-pro-002", "gpt-4-0613") takes its undated name's.
//
// It never matches across model families (no prefix or fuzzy matching):
// an unknown name is not found. It is safe for concurrent use.
func Lookup(vendor, model string) (Entry, bool) {
	c := loadCatalog()
	cands := candidates(vendor, strings.ToLower(strings.TrimSpace(model)))
	for _, undated := range []bool{false, true} {
		for _, k := range cands {
			name := k[1]
			if undated {
				var ok bool
				if name, ok = stripSnapshot(name); !ok {
					continue
				}
			}
			if e := inForce(c.entries[[2]string{k[0], name}], today()); e != nil {
				return *e, true
			}
		}
	}
	return Entry{}, false
}

// openDay reads a from or until column: "-" is open ("").
func openDay(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

// today is the current day in UTC, YYYY-MM-DD; a variable for tests.
var today = func() string { return time.Now().UTC().Format(time.DateOnly) }

// inForce returns the entry of es whose prices are in force on day; nil
// when none is.
func inForce(es []*Entry, day string) *Entry {
	for _, e := range es {
		if (e.From == "" || e.From <= day) && (e.Until == "" || day <= e.Until) {
			return e
		}
	}
	return nil
}

// candidates lists the (vendor, name) pairs to look model up under, in
// order of preference.
func candidates(vendor, model string) [][2]string {
	var names []string
	add := func(n string) {
		if n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	add(model)
	n := strings.TrimPrefix(model, "models/")
	if rest, ok := strings.CutPrefix(n, "anthropic."); ok {
		n = strings.TrimSuffix(rest, "-v1:0")
		n = strings.TrimSuffix(n, "-v2:0")
	}
	add(n)
	add(strings.Replace(n, "@", "-", 1)) // Vertex's spelling of a dated snapshot
	if strings.HasPrefix(n, "ft:") {
		if base, _, ok := strings.Cut(n[len("ft:"):], ":"); ok {
			add("ft:" + base)
		}
	}
	var out [][2]string
	for _, name := range names {
		for _, v := range vendorChain(vendor) {
			out = append(out, [2]string{v, name})
		}
		if p, rest, ok := strings.Cut(name, "/"); ok {
			if v := prefixVendor(p); v != "" {
				for _, v := range vendorChain(v) {
					out = append(out, [2]string{v, rest})
				}
			}
		}
	}
	return out
}

// vendorChain is the vendors whose prices apply to a vendor's models, in
// order: Azure OpenAI lists OpenAI's models at OpenAI's prices.
func vendorChain(vendor string) []string {
	if vendor == "azure" {
		return []string{"azure", "openai"}
	}
	return []string{vendor}
}

// prefixVendor maps a LiteLLM-style model prefix to a vendor, or "".
func prefixVendor(p string) string {
	switch p {
	case "together_ai":
		return "together"
	case "fireworks_ai":
		return "fireworks"
	}
	if slices.Contains(Vendors, p) {
		return p
	}
	return ""
}

// stripSnapshot removes a snapshot's date or version from name:
// "@YYYYMMDD", "-YYYY-MM-DD", "-YYYYMMDD", "-MMDD" (or Mistral's "-YYMM")
// and "-NNN" (Gemini's "-001"). It reports false when name has none.
func stripSnapshot(name string) (string, bool) {
	if i := strings.LastIndexByte(name, '@'); i > 0 && digits(name[i+1:]) == 8 {
		return name[:i], true
	}
	if n := len(name); n > 11 && name[n-11] == '-' && name[n-6] == '-' && name[n-3] == '-' &&
		digits(name[n-10:n-6]) == 4 && digits(name[n-5:n-3]) == 2 && digits(name[n-2:]) == 2 {
		return name[:n-11], true
	}
	i := strings.LastIndexByte(name, '-')
	if i <= 0 {
		return "", false
	}
	switch digits(name[i+1:]) {
	case 3, 4, 8:
		return name[:i], true
	}
	return "", false
}

// digits returns len(s) when s is all ASCII digits, else -1.
func digits(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return -1
		}
	}
	return len(s)
}
