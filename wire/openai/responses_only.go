package openai

import "strings"

// ResponsesOnly reports whether OpenAI serves the model id only on the
// Responses API (POST /v1/responses), answering a Chat Completions
// request for it with ResponsesOnlyMessage: the pro models (o1-pro,
// o3-pro, gpt-5-pro, gpt-5.5-pro…), the codex models (gpt-5-codex,
// gpt-5.3-codex, codex-mini-latest…), computer-use-preview and the
// deep-research models (o3-deep-research…), the Daybreak cyber models
// (gpt-5.6-cyber, gpt-6-cyber, gpt-daybreak-red-latest…: they take
// access_programs, a Responses parameter), the Rosalind models
// (gpt-6-rosalind, gpt-rosalind-research) and gpt-6.2-astra-law — the
// OpenAPI spec's ResponsesOnlyModel list and openai-go's ResponsesModel
// ids that are not ChatModel ids, as of v3.105. Dated snapshots and a
// vendor prefix ("openai/o3-pro-2025-06-10") count as their model. The
// simulator refuses such a model on Chat Completions by this rule, and
// the openai adapter calls the Responses API for it unless its
// deployment says otherwise (config api).
func ResponsesOnly(model string) bool { return responsesOnly(modelID(model)) }

// responsesOnly is ResponsesOnly of a model id (modelID).
func responsesOnly(m string) bool {
	if strings.HasPrefix(m, "computer-use-preview") || strings.HasPrefix(m, "codex-") {
		return true
	}
	if !strings.HasPrefix(m, "gpt-") && !oSeries(m) {
		return false
	}
	_, rest, _ := strings.Cut(m, "-")
	for rest != "" { // the words after the first, without allocating
		var word string
		word, rest, _ = strings.Cut(rest, "-")
		switch word {
		case "pro", "codex", "research", "cyber", "daybreak", "rosalind", "law":
			return true
		}
	}
	return false
}

// ResponsesOnlyMessage is OpenAI's error message (status 404,
// invalid_request_error, param model) for a Chat Completions request of a
// model it serves only on the Responses API.
const ResponsesOnlyMessage = "This model is only supported in v1/responses and not in v1/chat/completions."
