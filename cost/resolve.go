package cost

import (
	"fmt"
	"net/url"
	"strings"

	"switchyard/config"
	"switchyard/llm"
	wireopenai "switchyard/wire/openai"
)

// Where a deployment's price comes from (Pricing.Source).
const (
	SourceConfig  = "config"         // every price field from the configuration
	SourceCatalog = "catalog"        // every price field from the built-in catalog
	SourceMixed   = "config+catalog" // the configuration's fields over the catalog's
	SourceUnknown = "unknown"        // neither knows the price
)

// Pricing is a deployment's price once the configuration and the catalog
// are merged.
type Pricing struct {
	// Price holds the merged fields in USD per 1M tokens; Price.Set marks
	// the fields either source gave.
	Price config.Price
	// Known reports a usable price: input and output (input alone for an
	// embeddings or moderation deployment, which produces no output
	// tokens). Otherwise the cost is unknown.
	Known bool
	// Source is one of the Source* constants.
	Source string
	// Catalog names the catalog entry used ("openai/gpt-4o"); empty when
	// none matched.
	Catalog string
	// ServesChat reports whether the deployment answers chat requests:
	// as its declared capabilities say (llm.ServesChat), and, when it
	// declares none, unless the catalog knows its model as an embeddings
	// or a moderation model.
	ServesChat bool
	// Media is the price of a media deployment (one that declares
	// images, speech or transcription, or declares nothing and runs a
	// media model or configures a media price): the configuration's media
	// prices (config.MediaPrice) over the built-in table's (LookupMedia).
	// Known reports whether it can price the deployment's answers (not
	// gpt-4o-mini-tts unless per_character is configured: it is priced by
	// audio tokens its answer does not report). Nil for others and for a
	// media model neither source prices.
	Media *MediaPrice
	// ContextWindow is the catalog's input window for the model, in
	// tokens; 0 when it lists none. Apply gives it to a deployment that
	// configures no context_window.
	ContextWindow int
	// AudioInput and AudioOutput are the prices of the model's chat
	// audio tokens, USD per 1M: the configuration's
	// (price.chat_audio_input, chat_audio_output) over the catalog's; 0
	// when neither gives one (its audio tokens are then priced as text).
	AudioInput, AudioOutput float64
	// CachedAudioInput is the price of the model's cached audio input
	// tokens (the Realtime API's), USD per 1M: the catalog's; 0 when it
	// lists none (they are then priced as cached input).
	CachedAudioInput float64
	// LongPrompt is the model's long-prompt band as given (Set naming the
	// prices given; Band fills in the others): the configuration's
	// price.long_prompt, whole, else the catalog's; nil when neither has
	// one. LongPromptSource says which: SourceConfig or SourceCatalog.
	LongPrompt       *config.PriceBand
	LongPromptSource string
	// LongWriteFactor is the price of the model's long-lived cache write
	// (Usage.CacheWrite1hTokens: Claude's one-hour write, the 12-hour
	// write of an OpenAI model with explicit prompt caching) over the
	// input price, unless the configuration sets price.cache_write_1h:
	// OneHourWriteFactor, or TwelveHourWriteFactor for OpenAI's
	// (longWriteFactor).
	LongWriteFactor float64
	// CatalogUntil is the last day (YYYY-MM-DD) the catalog's price of
	// the model is in force when it is a price for a time only (a
	// promotion), and the catalog gives some of this pricing; "" otherwise.
	CatalogUntil string
	// Completion reports a deployment that declares no capabilities and
	// runs a model the catalog lists as completions-only
	// (gpt-3.5-turbo-instruct): it is taken to declare completions.
	Completion bool
}

// vendorHosts maps the API hosts of OpenAI-compatible vendors (a provider
// of kind openai with that base_url) to their catalog vendor.
var vendorHosts = map[string]string{
	"api.openai.com":                    "openai",
	"api.deepseek.com":                  "deepseek",
	"api.groq.com":                      "groq",
	"api.mistral.ai":                    "mistral",
	"api.x.ai":                          "xai",
	"api.together.xyz":                  "together",
	"api.together.ai":                   "together",
	"api.fireworks.ai":                  "fireworks",
	"api.perplexity.ai":                 "perplexity",
	"api.cerebras.ai":                   "cerebras",
	"generativelanguage.googleapis.com": "gemini",
}

// VendorOf returns the catalog vendor of a provider: its kind for azure,
// anthropic and gemini; for kind openai, the vendor its base_url's host
// belongs to (api.groq.com is groq), else openai — a proxy or a local
// server speaking OpenAI's format is priced as OpenAI's models when it
// serves them by their names, and is unknown otherwise. A nil provider
// is openai's.
func VendorOf(p *config.Provider) string {
	if p == nil {
		return "openai"
	}
	switch p.Kind {
	case config.KindAzure, config.KindAnthropic, config.KindGemini:
		return p.Kind
	}
	base := p.BaseURL
	if base == "" && len(p.Endpoints) > 0 {
		base = p.Endpoints[0].BaseURL
	}
	if u, err := url.Parse(base); err == nil {
		if v := vendorHosts[strings.ToLower(u.Hostname())]; v != "" {
			return v
		}
	}
	return "openai"
}

// Resolve merges d's configured price with the catalog's entry for its
// model on p: each field the configuration sets wins, each it leaves out
// comes from the catalog. p is d's provider (nil is taken as OpenAI).
func Resolve(p *config.Provider, d *config.Deployment) Pricing {
	var out Pricing
	model := d.ModelID()
	e, found := Lookup(VendorOf(p), model)
	fromConfig, fromCatalog := false, false
	for _, f := range priceColumns {
		switch {
		case d.Price.Has(f):
			out.Price.SetField(f, d.Price.Get(f))
			fromConfig = true
		case found && e.Price.Has(f):
			out.Price.SetField(f, e.Price.Get(f))
			fromCatalog = true
		}
	}
	if d.Price.Has(config.PriceCacheWrite1h) { // the catalog has no such column
		out.Price.SetField(config.PriceCacheWrite1h, d.Price.CacheWrite1h)
		fromConfig = true
	}
	out.LongPrompt, out.LongPromptSource = resolveBand(&d.Price, &e, found)
	out.LongWriteFactor = longWriteFactor(VendorOf(p), model)
	fromConfig = fromConfig || out.LongPromptSource == SourceConfig
	fromCatalog = fromCatalog || out.LongPromptSource == SourceCatalog
	if found {
		out.Catalog = e.Vendor + "/" + e.Model
		out.ContextWindow = e.ContextWindow
		out.AudioInput, out.AudioOutput = e.AudioInput, e.AudioOutput
		out.CachedAudioInput = e.CachedAudioInput
	}
	if d.Price.Has(config.PriceChatAudioInput) { // over the catalog's, like every price
		out.AudioInput, fromConfig = d.Price.ChatAudioInput, true
	}
	if d.Price.Has(config.PriceChatAudioOutput) {
		out.AudioOutput, fromConfig = d.Price.ChatAudioOutput, true
	}
	media, mediaConfig, mediaCatalog := resolveMedia(d, d.Capabilities)
	out.Completion = len(d.Capabilities) == 0 && found && e.Completion
	out.ServesChat = llm.ServesChat(d.Capabilities) && !(len(d.Capabilities) == 0 && (found && (e.Embedding || e.Moderation || e.Completion) || media != nil))
	if media != nil || mediaKind(d.Capabilities) != "" {
		// Priced per image, character or second (or the transcription
		// models' tokens), not by the token columns.
		out.Media = media
		out.Known = media != nil && media.Unit() != "unknown"
		out.Source = sourceOf(out.Known, mediaConfig, mediaCatalog)
		return out
	}
	if fromCatalog {
		out.CatalogUntil = e.Until
	}
	need := config.PriceInput | config.PriceOutput
	if !out.ServesChat || found && (e.Embedding || e.Moderation) && !out.Price.Has(config.PriceOutput) {
		need = config.PriceInput
	}
	out.Known = out.Price.Set&need == need
	out.Source = sourceOf(out.Known, fromConfig, fromCatalog)
	return out
}

// sourceOf is the Source of a price known or not, whose fields came from
// the configuration, the catalog or both.
func sourceOf(known, fromConfig, fromCatalog bool) string {
	switch {
	case !known:
		return SourceUnknown
	case fromConfig && fromCatalog:
		return SourceMixed
	case fromConfig:
		return SourceConfig
	}
	return SourceCatalog
}

// OneHourWriteFactor is the price of a one-hour cache write over the
// input price: Anthropic's 2x, the same for every model. The catalog has
// no column for it: unless the configuration sets price.cache_write_1h,
// it follows the input price.
const OneHourWriteFactor = 2

// TwelveHourWriteFactor is the price of a 12-hour cache write over the
// input price on OpenAI's models with explicit prompt caching (GPT-5.6
// and later, openai.ExplicitCacheModel): 2.5x, where the 30-minute write
// (the catalog's cache_write) is 1.25x; source: OpenAI's prompt caching
// pricing, as cost/catalog_current.tsv's lines of those models note.
// The catalog has no column for it either.
const TwelveHourWriteFactor = 2.5

// longWriteFactor is Pricing.LongWriteFactor for a model of vendor's.
func longWriteFactor(vendor, model string) float64 {
	if (vendor == "openai" || vendor == "azure") && wireopenai.ExplicitCacheModel(model) {
		return TwelveHourWriteFactor
	}
	return OneHourWriteFactor
}

// longWrite is p's LongWriteFactor, OneHourWriteFactor when unset.
func (p *Pricing) longWrite() float64 {
	if p.LongWriteFactor == 0 {
		return OneHourWriteFactor
	}
	return p.LongWriteFactor
}

// Apply prices dst by p: the merged fields when p is known (long-lived
// cache writes, unless configured, at LongWriteFactor times the input
// price; its long-prompt band as Band fills it in), else none, with
// dst.PriceUnknown set. A dst without a context window gets the
// catalog's.
func (p Pricing) Apply(dst *llm.Deployment) {
	if dst.ContextWindow == 0 {
		dst.ContextWindow = p.ContextWindow
	}
	dst.PriceUnknown = !p.Known
	if !p.Known {
		dst.InputPricePerM, dst.OutputPricePerM, dst.CachedInputPricePerM = 0, 0, 0
		dst.CacheWritePricePerM, dst.CacheWrite1hPricePerM, dst.ReasoningPricePerM = 0, 0, 0
		dst.AudioInputPricePerM, dst.AudioOutputPricePerM, dst.CachedAudioInputPricePerM = 0, 0, 0
		dst.LongPrompt = nil
		return
	}
	dst.AudioInputPricePerM, dst.AudioOutputPricePerM = p.AudioInput, p.AudioOutput
	dst.CachedAudioInputPricePerM = p.CachedAudioInput
	dst.InputPricePerM, dst.OutputPricePerM = p.Price.Input, p.Price.Output
	dst.CachedInputPricePerM, dst.CacheWritePricePerM, dst.ReasoningPricePerM = p.Price.CachedInput, p.Price.CacheWrite, p.Price.Reasoning
	dst.CacheWrite1hPricePerM = p.longWrite() * p.Price.Input
	if p.Price.Has(config.PriceCacheWrite1h) {
		dst.CacheWrite1hPricePerM = p.Price.CacheWrite1h
	}
	dst.LongPrompt = p.Band()
}

// ServesChat reports whether cfg's deployment called name answers chat
// requests (Pricing.ServesChat). cfg must hold it.
func ServesChat(cfg *config.Config, name string) bool {
	cd := cfg.Deployments[name]
	return Resolve(cfg.Providers[cd.Provider], cd).ServesChat
}

// Deployment returns the deployment called name in cfg as the domain
// type, priced by Resolve (its service tiers by ApplyTiers), and its
// Pricing. cfg must hold it.
func Deployment(cfg *config.Config, name string) (llm.Deployment, Pricing) {
	cd := cfg.Deployments[name]
	d := cd.LLM()
	p := Resolve(cfg.Providers[cd.Provider], cd)
	p.Apply(&d)
	ApplyTiers(cfg, cd, &d)
	return d, p
}

// Warnings returns one line for each deployment of cfg whose price is
// unknown, or priced by a catalog price in force for a time only, sorted
// by deployment name: `switchyard config check` prints
// them and serve logs them at start. An unknown price is not an error:
// the deployment serves, its cost is recorded as unknown (never $0), and
// routing treats it as docs/cost.md says.
func Warnings(cfg *config.Config) []string {
	var out []string
	var excluding []string
	for i := range cfg.Budgets {
		if cfg.Budgets[i].ExcludesUnknownCost() {
			excluding = append(excluding, cfg.Budgets[i].Name)
		}
	}
	for _, name := range cfg.DeploymentNames() {
		cd := cfg.Deployments[name]
		p := Resolve(cfg.Providers[cd.Provider], cd)
		if p.Known {
			if p.CatalogUntil != "" {
				out = append(out, fmt.Sprintf("deployments.%s: the catalog's price of %s (%s) is in force until %s only (a promotion); the price in force on the day the configuration is loaded is used: reload it after %s, or set price", name, cd.ModelID(), p.Catalog, p.CatalogUntil, p.CatalogUntil))
			}
			continue
		}
		model := cd.ModelID()
		if p.Media != nil || mediaKind(cd.Capabilities) != "" {
			out = append(out, fmt.Sprintf("deployments.%s: cost unknown: the media price table cannot price model %q (it prices OpenAI's dall-e-2, dall-e-3, gpt-image-1, tts-1, tts-1-hd, whisper-1 and gpt-4o transcription models); set %s, or base_model to the one it runs, or its cost is recorded as unknown, not $0", name, model, mediaPriceKeys(mediaKind(cd.Capabilities), p.Media)))
			continue
		}
		missing := "price.input and price.output"
		switch {
		case p.Price.Has(config.PriceInput):
			missing = "price.output"
		case p.Price.Has(config.PriceOutput):
			missing = "price.input"
		}
		set := missing
		if cd.BaseModel == "" {
			set += ", or base_model (the catalog's name of the model it runs)"
		}
		w := fmt.Sprintf("deployments.%s: cost unknown: the catalog (prices of %s) has no model %q for %s; set %s (USD per 1M tokens; 0 for a free model), or its cost is recorded as unknown, not $0",
			name, CatalogDate(), model, VendorOf(cfg.Providers[cd.Provider]), set)
		if len(excluding) > 0 {
			w += "; requests under the USD budgets " + strings.Join(excluding, ", ") + " are not routed to it (unknown_cost: exclude)"
		}
		out = append(out, w)
	}
	return out
}

// mediaPriceKeys names the price keys that would price a media
// deployment of capability kind (or of p's kind when it declares none).
func mediaPriceKeys(kind llm.Capability, p *MediaPrice) string {
	if kind == "" && p != nil {
		kind = p.Kind
	}
	switch kind {
	case llm.CapImages:
		return "price.per_image (USD per image, e.g. 0.04, or by size and quality)"
	case llm.CapSpeech:
		return "price.per_character (USD per character, e.g. 0.000015)"
	case llm.CapTranscription:
		return "price.per_second (USD per second of audio), or price.input, price.output and price.audio_input (USD per 1M tokens)"
	}
	return "its media price (price.per_image, price.per_character or price.per_second)"
}
