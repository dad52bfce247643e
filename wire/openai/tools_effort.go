package openai

import (
	"strings"

	"switchyard/llm"
)

// This file says when OpenAI refuses function tools on Chat Completions
// for the reasoning effort a request runs at: it answers 400
// (invalid_request_error, param reasoning_effort, ToolsEffortMessage) and
// serves the same request on the Responses API. What is known, and where
// it comes from (docs/providers.md, "Function tools and reasoning effort",
// has the list):
//   - GPT-5.4 and GPT-5.5 refuse function tools with an explicit
//     reasoning_effort other than none (openai/openai-openapi#541,
//     pipecat-ai/pipecat#4043, charmbracelet/crush#2913,
//     Science-Discovery/Aether#1026); their default is none, so a request
//     without reasoning_effort passes (livekit/agents#7169; Vercel's
//     OpenAI reasoning table gives gpt-5.4 and gpt-5.2 default none).
//     GPT-5.2 is said to refuse so too by livekit/agents#5088 alone; it
//     and the GPT-5.3 ids are taken as refusing (the Responses API serves
//     the request either way). One report (jeffdafoe/llm-memory-api#178)
//     says gpt-5.5 refused tools with no effort sent: not followed, as the
//     others and the model's none default say otherwise.
//   - GPT-5.6 (sol, terra, luna) and GPT-6 (gpt-6-sol, gpt-6-luna,
//     gpt-6.1-terra) default to medium, so they refuse function tools
//     even when no reasoning_effort is sent; only none passes
//     (BerriAI/litellm#34569: tools only 400, tools + low 400, tools +
//     none 200; danny-avila/LibreChat#14355; OpenAI's deployment
//     checklist: "GPT-6 Sol and GPT-6 Luna support function calling in
//     Chat Completions only with reasoning_effort: none").
//   - GPT-6 Astra and GPT-6.1 Sol "require Responses for tool calling"
//     (the deployment checklist): they take no effort none. GPT-6.2 Sol
//     refuses none too (its model page: "The API rejects requests that
//     set reasoning effort to none"), as GPT-6.2 Astra does; the other
//     GPT-6.2 models and any later GPT are not documented and are taken
//     to refuse none (the Responses API serves them either way).
//   - The error says "function tools"; whether OpenAI's custom tools
//     (type custom) count is not documented: they are taken to.
//   - Earlier models (GPT-4.x, GPT-5, GPT-5.1, the o-series) take tools at
//     every effort ("Tool calls are supported for all reasoning values in
//     gpt-5.1", the spec's ReasoningEffort); chat variants take no effort;
//     the Responses-only models (ResponsesOnly) never reach Chat
//     Completions.

// ToolsNeedResponses reports whether OpenAI refuses, on Chat Completions,
// a request for model with function (or custom) tools at effort — the
// reasoning effort asked, as the adapter sends it to a deployment that
// declares the levels declared (DeclaredEffort: nil declared, the model
// id's; none asked of GPT-6.1 Sol is sent low, minimal asked of GPT-5.4
// none unless minimal is declared), "" for none asked (the model's
// default then applies) — so that only the Responses API serves it. It
// is false without tools. Dated snapshots and a vendor prefix count as
// their model, as in ResponsesOnly. It allocates nothing.
func ToolsNeedResponses(model string, declared []llm.Effort, effort llm.Effort, tools bool) bool {
	if !tools {
		return false
	}
	// The model's rule first: most take tools at every effort, and then
	// the effort sent need not be worked out.
	m := modelID(model)
	switch toolsEffortOf(m) {
	case toolsExplicitEffort:
		effort = declaredEffort(m, declared, effort)
		return effort != "" && effort != llm.EffortNone
	case toolsDefaultEffort:
		return declaredEffort(m, declared, effort) != llm.EffortNone
	case toolsNever:
		return true
	}
	return false
}

// CallsResponses reports whether a request on an OpenAI-wire deployment
// whose api is auto (and whose upstream has a /responses route) is sent
// to the Responses API: its model is served only there (ResponsesOnly),
// the request asks what only that API serves (llm.Request.OnlyResponsesAPI),
// it carries a file other than a PDF by its bytes, which Chat
// Completions refuses and the Responses API reads (FilesNeedResponses),
// or its tools are refused on Chat Completions at the request's effort
// (ToolsNeedResponses; an Anthropic client's thinking counts at its
// level, llm.Reasoning.Level).
func CallsResponses(req *llm.Request) bool {
	return ResponsesOnly(req.ModelID()) || req.OnlyResponsesAPI() || FilesNeedResponses(req) ||
		ToolsNeedResponses(req.ModelID(), req.ReasoningEfforts, RequestEffort(req), len(req.Tools) > 0)
}

// RequestEffort is the reasoning effort req asks for as its adapter
// sends it (reasoning_effort: llm.Reasoning.Level, changed by
// DeclaredEffort to one req's model takes: one its deployment declares,
// else one its id has), "" for none asked.
func RequestEffort(req *llm.Request) llm.Effort {
	if req.Reasoning == nil {
		return ""
	}
	return DeclaredEffort(req.ModelID(), req.ReasoningEfforts, req.Reasoning.Level())
}

// DefaultsToEffortNone reports whether a GPT-5.1 or later model runs at
// reasoning effort none when a request asks none: GPT-5.1 to 5.5 do;
// GPT-5.6 and GPT-6 default to medium, and GPT-6 Astra, 6.1 Sol and 6.2
// take no none at all. It is true for every other id (they have no such
// default to refuse by).
func DefaultsToEffortNone(model string) bool {
	switch toolsEffortOf(modelID(model)) {
	case toolsDefaultEffort, toolsNever:
		return false
	}
	return true
}

// ToolsEffortMessage is OpenAI's error message (status 400,
// invalid_request_error, param reasoning_effort, code null) for function
// tools it refuses on Chat Completions at the request's effort. Reports
// before July 2026 quote an older ending ("... in /v1/chat/completions.
// Please use /v1/responses instead."); this is the newer one, reported
// for every model since.
func ToolsEffortMessage(model string) string {
	return "Function tools with reasoning_effort are not supported for " + model +
		" in /v1/chat/completions. To use function tools, use /v1/responses or set reasoning_effort to 'none'."
}

// toolsEffort is what a model's Chat Completions does with function
// tools, by its reasoning effort.
type toolsEffort uint8

const (
	// toolsAnyEffort takes them at every effort.
	toolsAnyEffort toolsEffort = iota
	// toolsExplicitEffort refuses them with an explicit effort other
	// than none (the default, none, passes).
	toolsExplicitEffort
	// toolsDefaultEffort refuses them unless the effort is none (the
	// default, medium, is refused).
	toolsDefaultEffort
	// toolsNever refuses them at every effort: the model takes no none.
	toolsNever
)

// toolsEffortOf classifies a model id (modelID) as the file comment says.
func toolsEffortOf(m string) toolsEffort {
	if !strings.HasPrefix(m, "gpt-") || responsesOnly(m) {
		return toolsAnyEffort
	}
	version, rest, _ := strings.Cut(m[len("gpt-"):], "-")
	major, minor, ok := gptVersion(version)
	switch {
	case !ok || major < 5 || strings.Contains(rest, "chat"):
		return toolsAnyEffort
	case major == 5 && minor < 2:
		return toolsAnyEffort
	case major == 5 && minor < 6:
		return toolsExplicitEffort
	case refusesEffortNone(major, minor, rest):
		return toolsNever
	}
	return toolsDefaultEffort
}

// refusesEffortNone reports whether a GPT-6 or later model (its version
// and the id's rest, "sol" for gpt-6.1-sol) takes no reasoning effort
// none: Astra, GPT-6.1 Sol, GPT-6.2 and any later version.
func refusesEffortNone(major, minor int, rest string) bool {
	tier, _, _ := strings.Cut(rest, "-")
	switch {
	case major < 6:
		return false
	case major > 6 || minor >= 2:
		return true
	}
	return tier == "astra" || minor == 1 && tier == "sol"
}

// ChatCarries reports whether Chat Completions can carry req, which
// CallsResponses may send to the Responses API, on a host that has no
// /responses route: all but a model served only on the Responses API
// and what only that API serves (OpenAI's hosted tools, the ultrafast
// tier). A file other than a PDF goes as Chat's file part (the host may
// read it), function tools at any effort as Chat's tools.
func ChatCarries(req *llm.Request) bool {
	return !ResponsesOnly(req.ModelID()) && !req.OnlyResponsesAPI()
}
