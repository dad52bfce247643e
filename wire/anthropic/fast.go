package anthropic

import (
	"strings"

	"switchyard/llm"
)

// Fast mode: speed "fast" on a Messages request runs the same model with
// up to 2.5x the output tokens per second, at a per-model multiple of
// its standard prices (input and output, over the full context window;
// the prompt-caching multipliers apply on top), and the answer's
// usage.speed says which speed served it. The research-preview models
// take it under FastModeBeta; the adapter sends the beta with every
// request it asks fast mode of. A model without fast mode refuses the
// field with a 400. Sources, read 2026-12-06:
//   - platform.claude.com/docs/en/build-with-claude/fast-mode: available
//     on Fable 5.2, Mythos 5.2 and Opus 5.5, research preview on Opus 5,
//     deprecated on Opus 4.8; the fast-mode-2026-02-01 beta; usage.speed;
//     the multiplier over the full context window, caching on top.
//   - code.claude.com/docs/en/fast-mode: fast mode on Opus 4.8 removed on
//     2026-11-30 (the API then rejects the request), on Opus 4.7 on
//     2026-07-24; not on Sonnet, Haiku or other models.
//   - Opus 5's multiplier, 2x ($10/$50 per MTok over $5/$25):
//     openrouter.ai/anthropic/claude-opus-5-fast-20260723 ("2x pricing
//     relative to regular Opus 5"), vercel.com/ai-gateway/models/
//     claude-opus-5-fast.
//   - Opus 5.5's, 2x ($8/$40, cache reads $0.40, over $4/$20/$0.20): the
//     fast rates bundled by github.com/kurofune/claudit v1.9.0 (a
//     third-party cost tool). No price was found for Fable 5.2 or Mythos
//     5.2: they are taken at 2x, an estimate.

// FastModeBeta is the anthropic-beta value of fast mode.
const FastModeBeta = "fast-mode-2026-02-01"

// The speed values of a request and of an answer's usage.speed.
const (
	SpeedStandard = "standard"
	SpeedFast     = "fast"
)

// fastModes are the multipliers of the models that take speed "fast" on
// the Claude API, by family and version (major*100+minor): an exact
// match, as a newer model need not have fast mode.
var fastModes = map[fastKey]float64{
	{"opus", 500}:   2, // research preview
	{"opus", 505}:   2, // third-party table
	{"fable", 502}:  2, // estimate: Opus 5's
	{"mythos", 502}: 2, // estimate: Opus 5's
}

type fastKey struct {
	family  string
	version int
}

// SpeedToLLM is the canonical speed of a request's speed: "" for none
// (null or absent), standard or fast. Another value is an *llm.Error of
// kind invalid_request naming speed, as the API words it.
func SpeedToLLM(speed string) (llm.Speed, error) {
	return enumToLLM("speed", speed, enumValue[llm.Speed]{SpeedStandard, llm.SpeedStandard}, enumValue[llm.Speed]{SpeedFast, llm.SpeedFast})
}

// FastFactor is what fast mode multiplies the token prices of a Claude
// API deployment of the model id by; 0 when the model has no fast mode
// (Traits.Fast). An id in Amazon Bedrock's or Google Cloud's style names
// a model on those platforms, whose fast mode this router does not send:
// 0.
func FastFactor(model string) float64 {
	if !onClaudeAPI(model) {
		return 0
	}
	return ModelTraits(model).Fast
}

// onClaudeAPI reports whether a model id is spelled as on the Claude API:
// not in Amazon Bedrock's style (a platform prefix ending in a dot, a
// version after ':') nor Google Cloud's (a version after '@').
func onClaudeAPI(model string) bool { return !strings.ContainsAny(model, ".@:") }
