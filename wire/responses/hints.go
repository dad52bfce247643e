package responses

import "switchyard/llm"

// This file holds the create request's options that steer OpenAI's own
// service rather than the answer: its prompt cache (prompt_cache_options,
// whose mode and ttl the request keeps for the upstream models that take
// them), the scheduling of background responses (background_options), its image
// context compression (image) and its domain access programs
// (access_programs). The router checks them as OpenAI does and leaves
// them out of what it sends, but for the values whose effect it cannot
// give, which it refuses naming the param. client_metadata, an object of
// strings the Codex CLI sends on every request to any provider (its
// installation, session, thread and turn ids), is taken on the same
// terms: its strings are the decoder's to check, and no upstream gets it.
// generate false is WebSocket mode's warm-up (Request.Warmup).

// checkHints checks cr's hints (a step of decodeCreate).
func checkHints(cr *createRequest, out *Request) error {
	o, err := checkCacheOptions(cr)
	if err != nil {
		return err
	}
	out.Chat.PromptCache = o
	out.Warmup = cr.Generate != nil && !*cr.Generate
	for _, check := range []func(*createRequest) error{checkBackgroundOptions, checkImageOptions, checkAccessPrograms} {
		if err := check(cr); err != nil {
			return err
		}
	}
	return nil
}

// cacheOptions is prompt_cache_options.
type cacheOptions struct {
	TTL                  *string `json:"ttl"`
	Mode                 *string `json:"mode"`
	ComparisonResponseID *string `json:"comparison_response_id"`
	Prewarm              *bool   `json:"prewarm"`
}

// checkCacheOptions checks prompt_cache_options, which only OpenAI's own
// prompt cache reads: a hint about caching (and, with
// comparison_response_id, a request for diagnostics OpenAI gives "when
// the feature is enabled"), not about the answer. Its mode and ttl are
// returned, for the models that take them. prewarm true asks for no
// answer at all: refused.
func checkCacheOptions(cr *createRequest) (llm.CacheOptions, error) {
	raw := cr.PromptCacheOptions
	if isNull(raw) {
		return llm.CacheOptions{}, nil
	}
	var o cacheOptions
	if err := decodeStrict(raw, "prompt_cache_options", &o); err != nil {
		return llm.CacheOptions{}, err
	}
	var out llm.CacheOptions
	if o.TTL != nil {
		if out.TTL = llm.CacheTTL(*o.TTL); out.TTL != llm.Cache30m && out.TTL != llm.Cache12h {
			return out, invalid("prompt_cache_options.ttl", "Invalid value: '%s'. Supported values are: '30m' and '12h'.", llm.Clip(*o.TTL))
		}
	}
	if o.Mode != nil {
		if out.Mode = llm.CacheMode(*o.Mode); out.Mode != llm.CacheImplicit && out.Mode != llm.CacheExplicit {
			return out, invalid("prompt_cache_options.mode", "Invalid value: '%s'. Supported values are: 'implicit' and 'explicit'.", llm.Clip(*o.Mode))
		}
	}
	if o.Prewarm != nil && *o.Prewarm {
		return out, unsupported("prompt_cache_options.prewarm", "prompt_cache_options.prewarm is not supported: the router has no prompt cache of its own to prepare. Send the request without it.")
	}
	return out, nil
}

// backgroundOptions is background_options.
type backgroundOptions struct {
	ContinuationID   *string `json:"continuation_id"`
	CompletionWindow *string `json:"completion_window"`
}

// checkBackgroundOptions checks background_options. The router runs a
// background response at once, which meets any window; the 2h and 8h
// windows need what OpenAI's do: background true, no stream, and
// standard processing. continuation_id only orders OpenAI's own queue.
func checkBackgroundOptions(cr *createRequest) error {
	if isNull(cr.BackgroundOptions) {
		return nil
	}
	var o backgroundOptions
	if err := decodeStrict(cr.BackgroundOptions, "background_options", &o); err != nil {
		return err
	}
	const param = "background_options.completion_window"
	if o.CompletionWindow == nil || *o.CompletionWindow == "soonest" {
		return nil
	}
	w := *o.CompletionWindow
	switch {
	case w != "2h" && w != "8h":
		return invalid(param, "Invalid value: '%s'. Supported values are: 'soonest', '2h' and '8h'.", llm.Clip(w))
	case cr.Background == nil || !*cr.Background:
		return invalid(param, "The '%s' completion window requires 'background' to be true.", llm.Clip(w))
	case cr.Stream != nil && *cr.Stream:
		return invalid(param, "The '%s' completion window cannot be used with 'stream' true.", llm.Clip(w))
	case cr.ServiceTier != nil && *cr.ServiceTier != string(llm.TierAuto) && *cr.ServiceTier != string(llm.TierDefault):
		return invalid(param, "The '%s' completion window requires Standard processing ('service_tier' 'auto' or 'default').", llm.Clip(w))
	}
	return nil
}

// checkImageOptions checks image: its context_compression tunes how
// OpenAI packs images into the model's context, which each upstream
// decides for itself.
func checkImageOptions(cr *createRequest) error {
	if isNull(cr.Image) {
		return nil
	}
	var o struct {
		ContextCompression *string `json:"context_compression"`
	}
	if err := decodeStrict(cr.Image, "image", &o); err != nil {
		return err
	}
	if c := o.ContextCompression; c != nil && *c != "auto" && *c != "enabled" && *c != "disabled" {
		return invalid("image.context_compression", "Invalid value: '%s'. Supported values are: 'auto', 'enabled' and 'disabled'.", llm.Clip(*c))
	}
	return nil
}

// checkAccessPrograms checks access_programs: its cyber program
// "standard" is what every request gets; the Daybreak programs need an
// authorization with OpenAI the router cannot carry, and are refused.
func checkAccessPrograms(cr *createRequest) error {
	if isNull(cr.AccessPrograms) {
		return nil
	}
	var o struct {
		Cyber *string `json:"cyber"`
	}
	if err := decodeStrict(cr.AccessPrograms, "access_programs", &o); err != nil {
		return err
	}
	switch c := o.Cyber; {
	case c == nil || *c == "standard":
		return nil
	case *c == "daybreak_blue" || *c == "daybreak_red":
		return unsupported("access_programs.cyber", "access_programs.cyber '%s' is not supported: the router cannot carry OpenAI's Daybreak authorization. Use 'standard' or leave access_programs out.", llm.Clip(*c))
	default:
		return invalid("access_programs.cyber", "Invalid value: '%s'. Supported values are: 'standard', 'daybreak_blue' and 'daybreak_red'.", llm.Clip(*c))
	}
}
