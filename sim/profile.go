// Package sim holds what the simulated providers share: model profiles
// (latency, speed, error rate, accuracy), on-demand fault injection, a
// deterministic answer generator, and the run-time Behavior of the
// answers: a knowledge base the models answer right or wrong at their
// accuracy, and drift (verbosity, refusals, accuracy drops). The wire-format servers live in
// sim/openai, sim/anthropic and sim/gemini; sim/server mounts them all.
//
// The simulated providers exist so the real adapters can be tested, demoed
// and benchmarked with no keys and no network: each speaks its provider's
// documented wire format and validates requests as strictly as the real API.
package sim

import (
	"context"
	"math/rand/v2"
	"time"

	"switchyard/llm"
)

// Profile describes one simulated model.
type Profile struct {
	// Model is the model id clients send.
	Model string
	// TTFT is the mean time to first token; TTFTJitter the half-width of
	// the uniform jitter around it. Zero means answer at once.
	TTFT       time.Duration
	TTFTJitter time.Duration
	// TokensPerSecond paces streamed pieces; zero means no pacing.
	TokensPerSecond float64
	// ErrorRate is the probability in [0,1] that a request fails with 500.
	ErrorRate float64
	// Quality in [0,1] is how good the model's answers are: its accuracy
	// on knowledge entries of a category Accuracy does not list (zero
	// means 1, always right). See Behavior.
	Quality float64
	// Accuracy is the probability in [0,1] of answering a knowledge entry
	// right, by entry category (AnyCategory for every category without
	// its own); nil means Quality for all. A Behavior's run-time
	// accuracies take precedence.
	Accuracy map[string]float64
	// Reasoning makes the model report hidden reasoning tokens.
	Reasoning bool
	// Efforts are the reasoning efforts an OpenAI reasoning profile
	// takes (reasoning_effort, reasoning.effort), weakest first, as a
	// host serving its own model declares them; any other is refused
	// with OpenAI's 400. Nil means those its model id has (wire/openai's
	// Efforts), any level for an id whose levels are not known.
	Efforts []llm.Effort
	// ExplicitCache makes the OpenAI simulator take explicit prompt
	// caching (prompt_cache_breakpoint, prompt_cache_options) from the
	// model, as a model id of GPT-5.6 or later does without it (an Azure
	// deployment's name says nothing of its model).
	ExplicitCache bool
	// Embedding marks an embeddings model with Dimensions-long vectors.
	Embedding  bool
	Dimensions int
	// Moderation marks a moderation model (POST /v1/moderations); one
	// whose id starts with omni-moderation also takes images.
	Moderation bool
	// Images, Speech and Transcription mark a media model: image
	// generation (dall-e-2, dall-e-3, gpt-image-1: the answer's shape
	// follows the id), text to speech, transcription and translation.
	Images, Speech, Transcription bool
	// Realtime marks a Realtime API model (GET /v1/realtime, a WebSocket
	// session: sim/openai's realtime.go).
	Realtime bool
	// Completion marks a completions-only model (gpt-3.5-turbo-instruct,
	// davinci-002): POST /v1/completions, and no chat.
	Completion bool
	// ContextWindow is the maximum prompt+output tokens; zero means 128k.
	ContextWindow int
	// MaxOutputTokens is the default and maximum output; zero means 4096.
	// Each simulator refuses a request for more in its provider's words.
	MaxOutputTokens int
	// NoSystemInstruction and NoFunctionCalling mark a model that takes
	// no system instruction, or no tools, as Gemma on the Gemini API: the
	// Gemini simulator refuses such a request as Gemini does (400
	// INVALID_ARGUMENT "Developer instruction is not enabled for
	// models/…", "Function calling is not enabled for models/…"), the
	// OpenAI simulator one with tools as Ollama does ("… does not support
	// tools").
	NoSystemInstruction, NoFunctionCalling bool
	// ThinkTags makes the OpenAI simulator answer as a host that does not
	// parse a reasoning model's thinking out of its content (vLLM without
	// a reasoning parser, llama.cpp, LM Studio serving DeepSeek-R1 or
	// QwQ): the chain of thought comes first in the content, between
	// <think> and </think>, streamed in pieces of a few bytes.
	// PromptOpensThink leaves the opening tag out, as a chat template that
	// writes it into the prompt does (QwQ's, DeepSeek-R1-0528's).
	ThinkTags, PromptOpensThink bool
	// Host is who serves the model on the OpenAI simulator's routes
	// (sim/openai.New): HostOpenAI (the zero value), OpenAI itself,
	// whose rules a reasoning model is held to by its id, an id OpenAI
	// does not serve refusing as o3 does; or HostCompat. The Azure
	// simulator ignores it (a deployment's name says nothing of its
	// model).
	Host Host
}

// Host is the kind of server a profile's model is served by.
type Host string

const (
	// HostOpenAI is OpenAI's API: a reasoning model refuses max_tokens,
	// sampling and the rest as OpenAI's do.
	HostOpenAI Host = ""
	// HostCompat is an OpenAI-compatible host serving its own model
	// (vLLM, SGLang, Ollama, DeepSeek's API): a reasoning model whose id
	// is not one of OpenAI's takes max_tokens and the sampling
	// parameters, as vLLM does. An OpenAI model id keeps OpenAI's rules.
	HostCompat Host = "compat"
)

// Window returns the context window, defaulted.
func (p *Profile) Window() int {
	if p.ContextWindow > 0 {
		return p.ContextWindow
	}
	return 128000
}

// MaxOutput returns the output limit, defaulted.
func (p *Profile) MaxOutput() int {
	if p.MaxOutputTokens > 0 {
		return p.MaxOutputTokens
	}
	return 4096
}

// FirstTokenDelay draws a time to first token.
func (p *Profile) FirstTokenDelay() time.Duration {
	d := p.TTFT
	if p.TTFTJitter > 0 {
		d += time.Duration((rand.Float64()*2 - 1) * float64(p.TTFTJitter))
	}
	if d < 0 {
		d = 0
	}
	return d
}

// PieceDelay is the pause between two streamed pieces of n tokens.
func (p *Profile) PieceDelay(n int) time.Duration {
	if p.TokensPerSecond <= 0 {
		return 0
	}
	return time.Duration(float64(n) / p.TokensPerSecond * float64(time.Second))
}

// Sleep waits d or until ctx is done; it reports whether d elapsed.
func Sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// FailsAtRandom reports whether this request should fail per ErrorRate.
func (p *Profile) FailsAtRandom() bool {
	return p.ErrorRate > 0 && rand.Float64() < p.ErrorRate
}

// Catalog finds profiles by model id.
type Catalog map[string]*Profile

// NewCatalog indexes profiles by Model.
func NewCatalog(ps ...Profile) Catalog {
	c := make(Catalog, len(ps))
	for i := range ps {
		p := ps[i]
		c[p.Model] = &p
	}
	return c
}
