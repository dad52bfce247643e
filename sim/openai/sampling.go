package openai

import (
	"strconv"
	"strings"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/openai"
)

// samplingError is the 400 a reasoning model (sim.Profile.Reasoning) gives
// a request with a parameter it refuses, as OpenAI words it, or nil. Its
// model id says which (wire.SamplingOf; an id the codec does not know
// refuses as o3 does): a temperature or top_p other than 1 is an
// unsupported_value; parallel_tool_calls (the o-series), a penalty other
// than 0, logit_bias, logprobs, stop
// (o3, o4-mini, GPT-5…) and max_tokens are unsupported_parameter. GPT-5.1
// and later at reasoning_effort none take temperature, top_p, logprobs
// and stop. A Grok model refuses by xAI's rules instead (grokRefusal); a
// DeepSeek model's thinking mode takes them all (it ignores the sampling
// ones), as Qwen's models do. On an OpenAI-compatible host (p.Host
// sim.HostCompat; not on Azure's routes) a model whose id is not one of
// OpenAI's takes them all, as vLLM, SGLang and Ollama do.
func samplingError(req *llm.Request, p *sim.Profile, azure bool) *apiError {
	if !p.Reasoning || wire.GrokModel(p.Model) || deepSeekModel(p.Model) || qwenModel(p.Model) { // DeepSeek's thinking ignores sampling, takes max_tokens; Qwen's takes them
		return nil
	}
	if p.ThinkTags {
		return nil // an open-weight host (vLLM, SGLang, llama.cpp) takes max_tokens and sampling for any model
	}
	if m := strings.ToLower(p.Model); strings.HasPrefix(m[strings.LastIndexByte(m, '/')+1:], "gemini-") {
		return nil // Google's compatibility endpoint and OpenRouter take max_tokens and sampling for Gemini
	}
	model, r := p.Model, req.Reasoning
	if wire.SamplingOf(model) == wire.SamplingAny {
		if p.Host == sim.HostCompat && !azure {
			return nil // a compatible host's own reasoning model takes max_tokens and sampling (vLLM's rule)
		}
		model = "o3"
	}
	if _, ok := req.Extra[wire.ExtraMaxCompletionTokens]; req.MaxTokens != nil && !ok {
		return unsupported("max_tokens", " Use 'max_completion_tokens' instead.")
	}
	if req.ParallelToolCalls != nil && wire.RefusesParallelToolCalls(model) {
		return unsupported("parallel_tool_calls", "")
	}
	if wire.RefusesStop(model, p.Efforts, r) && len(req.Stop) > 0 {
		return unsupported("stop", "")
	}
	if !wire.DefaultSampling(model, p.Efforts, r) {
		return nil
	}
	for _, v := range []struct {
		name string
		val  *float64
	}{{"temperature", req.Temperature}, {"top_p", req.TopP}} {
		if v.val != nil && *v.val != 1 {
			return &apiError{
				Message: "Unsupported value: '" + v.name + "' does not support " + strconv.FormatFloat(*v.val, 'g', -1, 64) +
					" with this model. Only the default (1) value is supported.",
				Type: "invalid_request_error", Param: v.name, Code: "unsupported_value",
			}
		}
	}
	switch {
	case req.PresencePenalty != nil && *req.PresencePenalty != 0:
		return unsupported("presence_penalty", "")
	case req.FrequencyPenalty != nil && *req.FrequencyPenalty != 0:
		return unsupported("frequency_penalty", "")
	case req.Extra[wire.ExtraLogitBias] != nil:
		return unsupported(wire.ExtraLogitBias, "")
	case req.Logprobs:
		return unsupported("logprobs", "")
	}
	return nil
}

// unsupported is OpenAI's 400 for a parameter the model does not take.
func unsupported(param, more string) *apiError {
	return &apiError{
		Message: "Unsupported parameter: '" + param + "' is not supported with this model." + more,
		Type:    "invalid_request_error", Param: param, Code: "unsupported_parameter",
	}
}
