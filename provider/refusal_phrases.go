package provider

// The words (lower case) by which upstreams refuse a request for what the
// deployment is, not for what the request is: another model, or the same
// model elsewhere, may take it as it is. Classify matches them in the
// upstream's error code and message, case-insensitively.
//
// unsupportedPhrases (llm.CodeModelUnsupported): the model cannot take a
// parameter, a value, an output size or an input of the request.
//   - OpenAI: codes unsupported_parameter and unsupported_value
//     ("Unsupported parameter: 'temperature' is not supported with this
//     model."; "Unsupported value: 'reasoning_effort' does not support
//     'minimal' with this model"), "max_tokens is too large: N. This model
//     supports at most M completion tokens" (chat), "Invalid
//     'max_output_tokens': integer above maximum value. Expected a value
//     <= M" (Responses), "Invalid content type. image_url is only
//     supported by certain models." (Azure OpenAI words them alike).
//   - Anthropic: "max_tokens: 64000 > 32000, which is the maximum allowed
//     number of output tokens for claude-…"; "`temperature` and `top_p`
//     cannot both be specified for this model. Please use only one."
//     (Claude Haiku 4.5, Sonnet 4.5 and later, and Bedrock in the same
//     words; older Claude models take both).
//   - Gemini: "Developer instruction is not enabled for
//     models/gemma-3-27b-it" (system instructions; reported in
//     0xPlaygrounds/rig#788, lobehub/lobehub#7128), "Function calling is
//     not enabled for models/…", "JSON mode is not enabled for models/…";
//     Vertex's "maxOutputTokens value of N but the supported range is
//     from 1 (inclusive) to M (exclusive)"; a response schema its
//     constrained decoding cannot compile, "The specified schema produces
//     a constraint that has too many states for serving." (no reference
//     states the limit; users meet it with large or bounded schemas that
//     OpenAI and Claude take: many peers' code works around it).
//   - OpenAI-compatible hosts, from peers' threads: Ollama "registry.
//     ollama.ai/library/gemma3:4b does not support tools" (ollama/ollama
//     #14795, #11131); a vLLM server started without tool parsing
//     "\"auto\" tool choice requires --enable-auto-tool-choice and
//     --tool-call-parser to be set" (400 BadRequestError, to a request
//     with tools: langchain4j/langchain4j#3475); DeepSeek "Invalid max_tokens value, the valid range
//     of max_tokens is [1, 8192]" (we0-dev/we0#56) and, for an image to a
//     text-only model, "unknown variant `image_url`, expected `text`";
//     DashScope "Range of max_tokens should be [1, 65536]", relays over
//     vLLM "max_tokens (98304) exceeds model's maximum output tokens
//     (65536)" (NousResearch/hermes-agent#55570, #90563); Bedrock "The
//     maximum tokens you requested exceeds the model limit of 8192"
//     (hermes-agent#70219, #70222).
//
// notFoundPhrases (llm.CodeModelNotFound): the model does not exist at the
// provider, or this key, project or region has no access to it.
//   - OpenAI (and Groq, vLLM): code model_not_found, "The model `x` does
//     not exist or you do not have access to it." (404), "Project `p` does
//     not have access to model `x`" (403); vLLM "The model `x` does not
//     exist."
//   - Azure OpenAI: code DeploymentNotFound (404).
//   - Anthropic: 404 not_found_error "model: claude-…".
//   - Gemini: 404 "models/x is not found for API version v1beta, or is not
//     supported for generateContent", 400 FAILED_PRECONDITION "User
//     location is not supported for the API use."
//   - DeepSeek "Model Not Exist" (400); Ollama "model \"x\" not found, try
//     pulling it first" (404).
//
// serverUnsupportedPhrases (llm.CodeModelUnsupported too): llama.cpp's
// server refuses tools it was not started to take with a 500
// ({"error":{"code":500,"message":"tools param requires --jinja
// flag","type":"server_error"}}; builds before tool streaming: "Cannot use
// tools with stream"; "Unsupported param: tool_choice"), its own
// runtime errors, so Classify reads these words in a 5xx as well.
var (
	serverUnsupportedPhrases = []string{
		"tools param requires --jinja flag", "cannot use tools with stream", "unsupported param: tool_choice",
	}
	unsupportedPhrases = []string{
		"unsupported_parameter", "unsupported_value", "is not supported with this model",
		"is not enabled for models/", "only supported by certain models", "does not support tools",
		"requires --enable-auto-tool-choice",
		"unknown variant `image_url`",
		"maximum allowed number of output tokens", "this model supports at most", "integer above maximum value",
		"the supported range is from", "valid range of max_tokens", "range of max_tokens should be",
		"maximum output tokens", "exceeds the model limit", "too many states for serving",
		"cannot both be specified for this model",
	}
	notFoundPhrases = []string{
		"model_not_found", "deploymentnotfound", "` does not exist", "does not have access to model",
		"not_found_error: model:", "is not found for api version", "user location is not supported",
		"model not exist", "not found, try pulling it",
	}
)

// matchesAny reports whether s holds any of phrases (lower case), ASCII
// letters compared without case. It allocates nothing.
func matchesAny(s string, phrases []string) bool {
	for _, p := range phrases {
		if containsFold(s, p) {
			return true
		}
	}
	return false
}

// containsFold reports whether s holds lower, a lower-case ASCII phrase,
// in any case.
func containsFold(s, lower string) bool {
	n := len(lower)
	if n == 0 {
		return true
	}
	first := lower[0]
	for i := 0; i+n <= len(s); i++ {
		if toLowerASCII(s[i]) != first {
			continue
		}
		j := 1
		for j < n && toLowerASCII(s[i+j]) == lower[j] {
			j++
		}
		if j == n {
			return true
		}
	}
	return false
}

func toLowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
