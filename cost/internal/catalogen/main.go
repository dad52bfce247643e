// Command catalogen writes Switchyard's built-in price catalog
// (cost/catalog.tsv) from a price file in LiteLLM's format
// (model_prices_and_context_window.json: one object per model name with
// litellm_provider, mode and USD-per-token prices).
//
// It keeps the chat, embedding, moderation and completion models (the
// completions-only ones: gpt-3.5-turbo-instruct, davinci-002) of the vendors the
// router can call: OpenAI, Azure OpenAI, Anthropic and Gemini, and the
// OpenAI-compatible vendors a provider of kind openai reaches by its
// base_url (see cost.Vendors). Names lose their vendor prefix
// ("gemini/gemini-2.0-flash" is "gemini-2.0-flash"); when two entries of a
// vendor then share a name, the one written with the prefix (LiteLLM's
// canonical form) wins. Prices are written per 1M tokens, "-" where the
// file lists none.
//
// With -media-out it also writes the media price table (cost/media.tsv):
// OpenAI's image, speech and transcription models (see media.go).
//
//	go run ./cost/internal/catalogen -in FILE.json -date YYYY-MM-DD -out cost/catalog.tsv -media-out cost/media.tsv
package main

import (
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// vendors maps LiteLLM's provider names to the catalog's vendor names.
var vendors = map[string]string{
	"openai": "openai", "azure": "azure", "anthropic": "anthropic", "gemini": "gemini",
	"deepseek": "deepseek", "groq": "groq", "mistral": "mistral", "xai": "xai",
	"together_ai": "together", "fireworks_ai": "fireworks", "perplexity": "perplexity", "cerebras": "cerebras",
	// The completions-only models: OpenAI's (gpt-3.5-turbo-instruct,
	// davinci-002), Azure's ("azure/gpt-35-turbo-instruct").
	"text-completion-openai": "openai", "azure_text": "azure",
}

// namePrefix is the prefix of a LiteLLM provider's model names when it is
// not the provider's own name.
var namePrefix = map[string]string{"azure_text": "azure"}

// unprefixed lists the vendors whose LiteLLM names are also written
// without a prefix ("gpt-4o", "claude-3-5-haiku-20241022"); the others'
// un-prefixed names are aliases or pseudo-models and are left out.
var unprefixed = map[string]bool{"openai": true, "anthropic": true, "text-completion-openai": true}

// entry is the part of a LiteLLM price object the catalog reads.
type entry struct {
	Provider        string   `json:"litellm_provider"`
	Mode            string   `json:"mode"`
	Input           *float64 `json:"input_cost_per_token"`
	Output          *float64 `json:"output_cost_per_token"`
	CacheRead       *float64 `json:"cache_read_input_token_cost"`
	CacheHit        *float64 `json:"input_cost_per_token_cache_hit"`
	CacheWrite      *float64 `json:"cache_creation_input_token_cost"`
	OutputReasoning *float64 `json:"output_cost_per_reasoning_token"`
	// InputBatches and OutputBatches are the prices through the vendor's
	// batch API (OpenAI's Batch API, Anthropic's Message Batches).
	InputBatches  *float64 `json:"input_cost_per_token_batches"`
	OutputBatches *float64 `json:"output_cost_per_token_batches"`
	// InputAudio and OutputAudio are the prices of a chat's audio tokens
	// (audio input parts, spoken answers).
	InputAudio  *float64 `json:"input_cost_per_audio_token"`
	OutputAudio *float64 `json:"output_cost_per_audio_token"`
	// CachedAudio is the price of cached audio input tokens (the Realtime
	// API's models). The source names it cache_read_input_audio_token_cost
	// for some and cache_creation_input_audio_token_cost for others, at
	// the price OpenAI lists as cached audio input (gpt-realtime $0.40 per
	// 1M): both are read as it.
	CachedAudio         *float64 `json:"cache_read_input_audio_token_cost"`
	CachedAudioCreation *float64 `json:"cache_creation_input_audio_token_cost"`
	// The long-prompt prices: a request whose prompt exceeds 200K (or
	// 128K) tokens pays them on every token (Gemini's and Claude's long
	// context pricing).
	InputAbove200k      *float64 `json:"input_cost_per_token_above_200k_tokens"`
	OutputAbove200k     *float64 `json:"output_cost_per_token_above_200k_tokens"`
	CacheReadAbove200k  *float64 `json:"cache_read_input_token_cost_above_200k_tokens"`
	CacheWriteAbove200k *float64 `json:"cache_creation_input_token_cost_above_200k_tokens"`
	InputAbove128k      *float64 `json:"input_cost_per_token_above_128k_tokens"`
	OutputAbove128k     *float64 `json:"output_cost_per_token_above_128k_tokens"`
	// MaxInput is the model's input window in tokens; read leniently
	// (a few entries write it as a string), so a malformed one leaves
	// the window out rather than the entry.
	MaxInput json.RawMessage `json:"max_input_tokens"`
}

// row is one catalog line.
type row struct {
	vendor, model, mode string
	prices              [5]*float64 // input, cached_input, cache_write, output, reasoning
	context             int         // max_input_tokens; 0 when not listed
	batch               [2]*float64 // batch input, batch output
	audio               [2]*float64 // audio input, audio output
	cachedAudio         *float64    // cached audio input
	long                band        // the long-prompt band; above 0 when none
	from, until         string      // the days its prices are in force; "" for open
	prefixed            bool
}

// rowKey indexes the rows: the vendor, the lower-cased model, and the
// first day of the row's prices ("" for a row in force from the start).
type rowKey struct{ vendor, model, from string }

// band is a long-prompt price band: a request of more than above prompt
// tokens pays prices on every token.
type band struct {
	above  int
	prices [4]*float64 // input, cached_input, cache_write, output
}

// longBand is e's long-prompt band: above 128K tokens when the source
// lists input and output prices for it, else above 200K (with the cache
// prices it lists there); none when it lists neither pair, or lists both
// prices as 0 (the free experimental models, whose band is no price).
func longBand(e *entry) band {
	listed := func(in, out *float64) bool { return in != nil && out != nil && (*in != 0 || *out != 0) }
	switch {
	case listed(e.InputAbove128k, e.OutputAbove128k):
		return band{above: 128_000, prices: [4]*float64{e.InputAbove128k, nil, nil, e.OutputAbove128k}}
	case listed(e.InputAbove200k, e.OutputAbove200k):
		return band{above: 200_000, prices: [4]*float64{e.InputAbove200k, e.CacheReadAbove200k, e.CacheWriteAbove200k, e.OutputAbove200k}}
	}
	return band{}
}

func main() {
	in := flag.String("in", "", "the LiteLLM-format price file (JSON)")
	out := flag.String("out", "catalog.tsv", "the catalog to write")
	mediaOut := flag.String("media-out", "", "the media price table to write; empty writes none")
	date := flag.String("date", "", "the date the price file was taken, YYYY-MM-DD")
	source := flag.String("source", "model_prices.json from the project's shared datasets (../shared/datasets/routing/; AgentOps-AI/tokencost, MIT), in LiteLLM's format", "where the price file comes from")
	cur := flag.String("current", "", "the current-prices file laid over the price file (cost/catalog_current.tsv); empty for none")
	curDate := flag.String("current-date", "", "the date the current-prices file was checked, YYYY-MM-DD: the catalog's date (with -current)")
	flag.Parse()
	if *in == "" || len(*date) != len("2006-01-02") || *cur != "" && len(*curDate) != len("2006-01-02") {
		fmt.Fprintln(os.Stderr, "usage: catalogen -in FILE.json -date YYYY-MM-DD [-out catalog.tsv]")
		os.Exit(2)
	}
	if err := run(files{in: *in, current: *cur, out: *out, mediaOut: *mediaOut}, dates{*date, *curDate}, *source, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "catalogen:", err)
		os.Exit(1)
	}
}

// files are catalogen's input and output files.
type files struct{ in, current, out, mediaOut string }

// dates are the day the price file was taken and the day the
// current-prices file was checked.
type dates struct{ taken, checked string }

func run(fs files, d dates, source string, log io.Writer) error {
	date := d.taken
	in, out, mediaOut := fs.in, fs.out, fs.mediaOut
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	rows := map[rowKey]row{}
	for key, msg := range raw {
		var e entry
		if json.Unmarshal(msg, &e) != nil { // e.g. sample_spec's prose
			continue
		}
		r, ok := toRow(key, &e)
		if !ok {
			continue
		}
		k := rowKey{r.vendor, strings.ToLower(r.model), ""}
		if old, dup := rows[k]; dup {
			keep := old
			if r.prefixed && !old.prefixed || r.prefixed == old.prefixed && r.model < old.model {
				keep = r
			}
			if !samePrices(old.prices, r.prices) {
				fmt.Fprintf(log, "catalogen: %s %s: two prices; keeping the %s entry's\n", r.vendor, r.model, prefixWord(keep.prefixed))
			}
			r = keep
		}
		rows[k] = r
	}
	if mediaOut != "" {
		if err := os.WriteFile(mediaOut, renderMedia(mediaLines(raw), date, source), 0o644); err != nil {
			return err
		}
	}
	if fs.current != "" {
		cs, err := readCurrent(fs.current)
		if err != nil {
			return err
		}
		overlay(rows, cs)
		date = d.checked
		source = "the vendors' pricing and model pages for current models (cost/catalog_current.tsv, a source on every line), over " + source
	}
	return os.WriteFile(out, render(rows, date, source), 0o644)
}

// toRow converts one LiteLLM entry, reporting false for what the catalog
// leaves out: other vendors and modes, aliases, and entries without both
// an input and an output price.
func toRow(key string, e *entry) (row, bool) {
	vendor, ok := vendors[e.Provider]
	if !ok || (e.Mode != "chat" && e.Mode != "embedding" && e.Mode != "moderation" && e.Mode != "completion") || e.Input == nil || e.Output == nil {
		return row{}, false
	}
	prefix := e.Provider
	if p, ok := namePrefix[prefix]; ok {
		prefix = p
	}
	model, prefixed := strings.CutPrefix(key, prefix+"/")
	if !prefixed && !unprefixed[e.Provider] {
		return row{}, false
	}
	if vendor == "azure" && strings.Contains(model, "/") { // regional and global deployment types
		return row{}, false
	}
	cached := e.CacheRead
	if cached == nil {
		cached = e.CacheHit
	}
	return row{vendor: vendor, model: model, mode: e.Mode, prefixed: prefixed, context: tokens(e.MaxInput),
		prices: [5]*float64{e.Input, cached, e.CacheWrite, e.Output, e.OutputReasoning}, batch: batchPrices(e),
		audio: [2]*float64{e.InputAudio, e.OutputAudio}, cachedAudio: cachedAudio(vendor, model, e), long: longBand(e)}, true
}

// listedCachedAudio are the cached audio input prices, USD per token,
// that OpenAI's pricing page lists for Realtime API models the source
// gives none for (its Realtime audio table: gpt-4o-realtime-preview
// $2.50 per 1M, its 2024-10-01 snapshot $20, gpt-4o-mini-realtime-preview
// $0.30), for OpenAI's and Azure's deployments of them.
var listedCachedAudio = map[string]float64{
	"gpt-4o-realtime-preview":                 2.5e-6,
	"gpt-4o-realtime-preview-2024-10-01":      20e-6,
	"gpt-4o-realtime-preview-2024-12-17":      2.5e-6,
	"gpt-4o-realtime-preview-2025-06-03":      2.5e-6,
	"gpt-4o-mini-realtime-preview":            0.3e-6,
	"gpt-4o-mini-realtime-preview-2024-12-17": 0.3e-6,
}

// cachedAudio is e's cached audio input price: the source's, else the
// listed one for an OpenAI or Azure realtime model; nil when neither.
func cachedAudio(vendor, model string, e *entry) *float64 {
	switch {
	case e.CachedAudio != nil:
		return e.CachedAudio
	case e.CachedAudioCreation != nil:
		return e.CachedAudioCreation
	}
	if p, ok := listedCachedAudio[model]; ok && (vendor == "openai" || vendor == "azure") {
		return &p
	}
	return nil
}

// batchPrices are e's batch input and output prices when it lists both,
// else none.
func batchPrices(e *entry) [2]*float64 {
	if e.InputBatches == nil || e.OutputBatches == nil {
		return [2]*float64{}
	}
	return [2]*float64{e.InputBatches, e.OutputBatches}
}

// tokens reads a token count written as a number or a numeric string; 0
// when it is neither, or not a positive whole number.
func tokens(raw json.RawMessage) int {
	s := strings.Trim(string(raw), `"`)
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n < 1 || n > 1<<40 || n != math.Trunc(n) {
		return 0
	}
	return int(n)
}

func prefixWord(prefixed bool) string {
	if prefixed {
		return "prefixed"
	}
	return "unprefixed"
}

func samePrices(a, b [5]*float64) bool {
	for i := range a {
		if (a[i] == nil) != (b[i] == nil) || a[i] != nil && *a[i] != *b[i] {
			return false
		}
	}
	return true
}

func render(rows map[rowKey]row, date, source string) []byte {
	keys := slices.SortedFunc(maps.Keys(rows), func(a, b rowKey) int {
		return cmp.Or(strings.Compare(a.vendor, b.vendor), strings.Compare(a.model, b.model), strings.Compare(a.from, b.from))
	})
	var b strings.Builder
	b.WriteString("# Switchyard's built-in price catalog, in USD per 1M tokens, each model's input window in tokens, its batch API's input and output prices, its chat audio tokens' input and output prices, its cached audio input tokens' price, and its long-prompt band: the prompt tokens above which a request pays the band on every token, and the band's input, cached input, cache write and output prices, and the first and last days its prices are in force (\"-\": not listed; open).\n")
	b.WriteString("# Generated by cost/internal/catalogen; do not edit (see docs/cost.md to regenerate).\n")
	fmt.Fprintf(&b, "# source: %s\n", source)
	fmt.Fprintf(&b, "# taken: %s\n", date)
	b.WriteString("# vendor\tmodel\tmode\tinput\tcached_input\tcache_write\toutput\treasoning\tcontext\tbatch_input\tbatch_output\taudio_input\taudio_output\tcached_audio_input\tlong_above\tlong_input\tlong_cached_input\tlong_cache_write\tlong_output\tfrom\tuntil\n")
	for _, k := range keys {
		r := rows[k]
		b.WriteString(r.vendor + "\t" + r.model + "\t" + r.mode)
		for _, p := range r.prices {
			b.WriteString("\t" + perM(p))
		}
		if r.context > 0 {
			b.WriteString("\t" + strconv.Itoa(r.context))
		} else {
			b.WriteString("\t-")
		}
		b.WriteString("\t" + perM(r.batch[0]) + "\t" + perM(r.batch[1]))
		b.WriteString("\t" + perM(r.audio[0]) + "\t" + perM(r.audio[1]) + "\t" + perM(r.cachedAudio))
		writeBand(&b, r.long)
		b.WriteString("\t" + cmp.Or(r.from, "-") + "\t" + cmp.Or(r.until, "-") + "\n")
	}
	return []byte(b.String())
}

// perM writes a per-token price per 1M tokens, without float noise
// (2.5e-06 is "2.5", not "2.4999999999999996").
func perM(p *float64) string {
	if p == nil {
		return "-"
	}
	return strconv.FormatFloat(math.Round(*p*1e6*1e9)/1e9, 'f', -1, 64)
}

// writeBand writes a row's long-prompt columns: the threshold and the
// band's prices, every one "-" when there is no band.
func writeBand(b *strings.Builder, l band) {
	if l.above == 0 {
		b.WriteString(strings.Repeat("\t-", 1+len(l.prices)))
		return
	}
	b.WriteString("\t" + strconv.Itoa(l.above))
	for _, p := range l.prices {
		b.WriteString("\t" + perM(p))
	}
}
