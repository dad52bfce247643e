package route

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/wire/openai"
)

// Explanation says why a plan is what it is. The ranking itself is the
// plan's tiers, whose candidates carry their scores and flags.
type Explanation struct {
	// Route is the route whose policy decided; Description its text.
	Route       string `json:"route"`
	Description string `json:"description,omitempty"`
	// Pinned is the deployment the caller pinned, if any.
	Pinned string `json:"pinned,omitempty"`
	// Alias is the model name the client asked for when it was an alias
	// of Route or Pinned (Policy.Resolve).
	Alias string `json:"alias,omitempty"`
	// Features are the classifier's output and the request's needs.
	Features Features `json:"features"`
	// Category is the category the policy used; CategorySource is
	// "classifier", "hint" (x-switchyard-category), "semantic" (a matched
	// semantic category that sets it) or "low_confidence" (below the
	// route's min_confidence, so the route-wide policy applied).
	Category       llm.Category `json:"category"`
	CategorySource string       `json:"category_source"`
	// Semantic is what matching the route's semantic categories gave; nil
	// when the route has none.
	Semantic *Semantic `json:"semantic,omitempty"`
	// Policy is "route", "categories.<category>" or "semantic.<name>":
	// which policy applied.
	Policy   string          `json:"policy"`
	Strategy config.Strategy `json:"strategy"`
	Scorer   string          `json:"scorer"`
	// Rules are the names of the rules that matched, in order.
	Rules []string `json:"rules,omitempty"`
	// Split is the deployment a weighted split put first, if any.
	Split string `json:"split,omitempty"`
	// NoFallback reports that the caller disabled fallback.
	NoFallback bool   `json:"no_fallback,omitempty"`
	Limits     Limits `json:"limits"`
	// Adaptive is what the adaptive scorer did; absent when it did not
	// run.
	Adaptive Adaptive `json:"adaptive,omitzero"`
	// Guard is the prompt-injection scan's verdict, set by the gateway
	// when the request was scanned; nil otherwise.
	Guard *llm.Guard `json:"guard,omitempty"`
	// PromptModel is the learned model whose predictions set the
	// candidates' quality; absent when none did.
	PromptModel PromptModel `json:"prompt_model,omitzero"`
	// Rejected lists every candidate that was not chosen, and why.
	Rejected []Rejection `json:"rejected,omitempty"`
}

// Limits are the ceilings a decision applied; zero means none.
type Limits struct {
	MaxInputPricePerM  float64 `json:"max_input_price_per_m,omitempty"`
	MaxOutputPricePerM float64 `json:"max_output_price_per_m,omitempty"`
	MaxCostPerRequest  float64 `json:"max_cost_per_request,omitempty"`
	CallerMaxCostUSD   float64 `json:"caller_max_cost_usd,omitempty"`
	TTFTBudgetMS       int64   `json:"ttft_budget_ms,omitempty"`
	TotalBudgetMS      int64   `json:"total_budget_ms,omitempty"`
	CallerBudgetMS     int64   `json:"caller_latency_budget_ms,omitempty"`
	// ExpectedOutputTokens is the output the estimates assume.
	ExpectedOutputTokens int `json:"expected_output_tokens"`
}

// Reason is why a candidate was rejected.
type Reason string

// The rejection reasons.
const (
	ReasonNotChat       Reason = "not_chat"       // an embeddings, moderation, media or completions-only deployment (which takes legacy completions)
	ReasonCapability    Reason = "capability"     // lacks what the request carries (tools, images, JSON, logprobs)
	ReasonContextWindow Reason = "context_window" // the prompt does not fit
	ReasonMaxOutput     Reason = "max_output"     // max_tokens above its output limit (max_output_tokens)
	ReasonStopSequences Reason = "stop_sequences" // more stop sequences than its wire format takes
	ReasonChoices       Reason = "choices"        // more choices (n) than its wire format returns
	ReasonTemperature   Reason = "temperature"    // a temperature above its wire format's range
	ReasonBlankStop     Reason = "blank_stop"     // a stop sequence of whitespace alone, which its wire format refuses
	ReasonAudio         Reason = "audio"          // a spoken answer from a wire format without audio output
	ReasonOtherParts    Reason = "content_parts"  // content parts (audio, files other than PDFs) its adapter does not take
	ReasonDocumentURL   Reason = "document_url"   // a document by URL, which only Anthropic's API and OpenAI's Responses API fetch
	ReasonFileID        Reason = "file_id"        // a file by its OpenAI file_id, which only OpenAI and Azure resolve
	ReasonServerTools   Reason = "server_tools"   // Anthropic's server tools (web search, tool search…), which only Claude serves
	ReasonHostedTools   Reason = "hosted_tools"   // OpenAI's hosted tools (web_search, file_search…), prompt, context_management, multi_agent, moderation, which only OpenAI deployments on the Responses API serve
	// ReasonWebSearchModel: Claude's web search tool, or OpenAI's web
	// search run as it, for a Claude deployment whose model has no web
	// search tool (Claude 3, the first Claude 3.5
	// Sonnet: anthropic.HasWebSearch).
	ReasonWebSearchModel Reason = "web_search_model"
	// ReasonToolsEffort: function tools at a reasoning effort its model
	// refuses them at on Chat Completions (openai.ToolsNeedResponses),
	// and it is called there (api chat_completions, an Azure deployment
	// route).
	ReasonToolsEffort Reason = "tools_effort"
	// ReasonUserProfileBilling: the request is billed to a user profile
	// (billing_policy), which only a Claude API deployment does.
	ReasonUserProfileBilling Reason = "user_profile_billing"
	ReasonForcedTool         Reason = "forced_tool"       // a forced tool choice, which its model refuses (Claude Opus 5.5, Sonnet 5.5, Fable 5.1 and later), when another candidate can force it
	ReasonInferenceGeo       Reason = "inference_geo"     // US-only inference (inference_geo us), which it does not keep to
	ReasonParam              Reason = "unsupported_param" // a parameter its model refuses (stop, logprobs on OpenAI's reasoning models)
	ReasonRequired           Reason = "required"          // lacks a capability the policy or a rule requires
	ReasonExcluded           Reason = "excluded"          // a rule, or the caller's key or tenant, excludes it
	ReasonPrice              Reason = "max_price"         // list price above max_price
	ReasonCost               Reason = "max_cost"          // estimated cost above a cap
	ReasonPriceUnknown       Reason = "price_unknown"     // no known price, and a price or cost ceiling applies
	ReasonLatency            Reason = "latency_budget"    // expected latency above a budget
	ReasonUnavailable        Reason = "unavailable"       // health says it is down
	ReasonNotAcceptable      Reason = "not_acceptable"    // outside the acceptable set
	// ReasonNoResponsesRoute: the request needs the Responses API (a
	// model served only there, OpenAI's hosted tools, ultrafast) and the
	// deployment's host answered that it has no /responses route
	// (dispatch.NoResponsesRoutes). Set by a dry run, where the request's
	// own attempt would be refused so.
	ReasonNoResponsesRoute Reason = "no_responses_route"
)

// The notes of a price_unknown rejection by a budget: the budget counts
// USD (its unknown_cost is exclude), or it is a spent soft budget whose
// price ceiling applies.
const (
	NoteBudgetUSD     = "limit_usd"
	NoteBudgetCeiling = "price_ceiling"
)

// toolsEffortRule says in words when OpenAI refuses function tools on
// Chat Completions (wire/openai/tools_effort.go).
const toolsEffortRule = "gpt-5.2 to gpt-5.5 at an effort other than none asked; gpt-5.6 and gpt-6 unless reasoning_effort is none, as their default is medium; gpt-6-astra, gpt-6.1-sol and gpt-6.2 at every effort, as they take no none"

// NoteCompletionsOnly is the note of a not_chat rejection of a
// completions-only deployment.
const NoteCompletionsOnly = "completions_only"

// Rejection is one candidate that was not chosen.
type Rejection struct {
	Deployment string `json:"deployment"`
	Reason     Reason `json:"reason"`
	// By names what rejected it: "request", "route", "categories.<c>",
	// "rule <name>", an x-switchyard-* header, "budget <name>" (a spent
	// soft budget's price ceiling), or "health".
	By string `json:"by,omitempty"`
	// Capability is the missing capability, for capability and required.
	Capability llm.Capability `json:"capability,omitempty"`
	// Got and Limit are the estimate and the ceiling, for the numeric
	// reasons (USD, USD per 1M tokens, tokens or milliseconds).
	Got   float64 `json:"got,omitempty"`
	Limit float64 `json:"limit,omitempty"`
	// Note is the health reason, or which price or budget was exceeded;
	// for unsupported_param, the model that refuses Param; for max_cost,
	// the service tier the estimate is priced at ("" for the standard
	// one: Plan.ServiceTierOf); for hosted_tools on a deployment that
	// serves some hosted tools (Azure's v1 API, Claude), the ones it does
	// not; for web_search_model, the model without the tool.
	Note string `json:"note,omitempty"`
	// Param is the request parameter, for unsupported_param.
	Param string `json:"param,omitempty"`
	// RetryIn is, for a rejection by health, how long until the
	// deployment takes traffic again (Status.RetryIn); zero when unknown.
	RetryIn time.Duration `json:"-"`
}

// Detail says in words why the candidate was rejected.
func (r *Rejection) Detail() string {
	switch r.Reason {
	case ReasonNotChat:
		return r.notChatDetail()
	case ReasonCapability:
		return r.capabilityDetail()
	case ReasonContextWindow:
		return fmt.Sprintf("has a context window of %.0f tokens, and the prompt is ~%.0f tokens", r.Limit, r.Got)
	case ReasonMaxOutput:
		if r.By == ByRefusal {
			return fmt.Sprintf("writes at most %.0f tokens, as its refusal of a larger max_tokens said at %s (learned for %s), and the request asks for up to %.0f (max_tokens)",
				r.Limit, r.Note, learnedFor, r.Got)
		}
		return fmt.Sprintf("writes at most %.0f tokens (max_output_tokens), and the request asks for up to %.0f (max_tokens)", r.Limit, r.Got)
	case ReasonStopSequences:
		return fmt.Sprintf("takes at most %.0f stop sequences, and the request has %.0f", r.Limit, r.Got)
	case ReasonChoices:
		if r.Limit == 1 {
			return fmt.Sprintf("returns one choice per request, and the request asks for %.0f (n)", r.Got)
		}
		return fmt.Sprintf("returns at most %.0f choices per request, and the request asks for %.0f (n)", r.Limit, r.Got)
	case ReasonBlankStop:
		return "takes no stop sequence of whitespace alone (Anthropic refuses it)"
	case ReasonTemperature:
		return fmt.Sprintf("takes a temperature of at most %g, and the request asks for %g", r.Limit, r.Got)
	case ReasonAudio:
		return "does not answer in audio (only OpenAI and Azure deployments do)"
	case ReasonOtherParts:
		return "takes text, images and PDF documents only (no audio, no file other than a PDF: Chat Completions reads PDFs alone; an OpenAI deployment called on the Responses API, api responses or auto, also takes the text, code, document and spreadsheet files OpenAI reads there)"
	case ReasonFileID:
		return "takes no file by file_id (only OpenAI and Azure deployments resolve one); send the file's bytes (file_data), or upload it to this router (POST /v1/files) and name that id"
	case ReasonDocumentURL:
		return "takes no document by URL (only Anthropic deployments, and OpenAI ones called on the Responses API, fetch one); send the PDF's bytes"
	case ReasonServerTools:
		return "does not serve Anthropic's server tools (web search, web fetch, code execution, tool search and the advisor run on Anthropic's servers; the browser and computer toolsets are Anthropic's to declare: only Anthropic deployments take them, their blocks and a container)"
	case ReasonHostedTools, ReasonWebSearchModel:
		return r.hostedDetail()
	case ReasonToolsEffort:
		return fmt.Sprintf("serves model %s, which OpenAI refuses function tools on Chat Completions at the request's reasoning effort (%s), "+
			"and it is called on Chat Completions (api chat_completions, or an Azure deployment route); the Responses API serves them: "+
			"a deployment with api responses, or auto (unset), takes the request as it is", r.Note, toolsEffortRule)
	case ReasonUserProfileBilling:
		return "cannot bill the user profile the request is billed to (billing_policy bill_to user_profile): only Claude API deployments bill a user profile, and the router never bills its own account instead"
	case ReasonInferenceGeo:
		return "does not keep inference in the US, which the request requires (inference_geo us): only Claude API deployments of Claude Opus 4.6, Sonnet 4.6 and later models, and deployments configured inference_geo: us, do"
	case ReasonForcedTool:
		return fmt.Sprintf("serves model %s, which refuses a forced tool choice (tool_choice required or a named function), and another candidate can force it", r.Note)
	case ReasonParam:
		return r.paramDetail()
	case ReasonRequired:
		return fmt.Sprintf("lacks capability %s required by %s", r.Capability, r.By)
	case ReasonExcluded:
		return "excluded by " + r.By
	case ReasonPrice, ReasonCost, ReasonPriceUnknown:
		return r.moneyDetail()
	case ReasonLatency:
		return fmt.Sprintf("expected %s %s exceeds %s %s", r.Note, ms(r.Got), r.limitName("latency_budget."+r.Note), ms(r.Limit))
	case ReasonUnavailable:
		if r.Note != "" {
			return "unavailable: " + r.Note
		}
		return "unavailable"
	case ReasonNotAcceptable:
		return "is not in " + r.By + "'s deployments"
	case ReasonNoResponsesRoute:
		return "its host has no /responses route (it answered 404 there), and the request needs the Responses API (a model served only there, OpenAI's hosted tools, or the ultrafast tier); configure api: chat_completions for it, or route such requests to a deployment on a host that has the route"
	}
	return string(r.Reason)
}

// notChatDetail is Detail for ReasonNotChat.
func (r *Rejection) notChatDetail() string {
	if r.Note == NoteCompletionsOnly {
		return "is a completions-only model and does not serve chat (it answers POST /v1/completions)"
	}
	return "is an embeddings, moderation, media or completions-only model and does not serve chat"
}

// hostedDetail is Detail for ReasonHostedTools and ReasonWebSearchModel.
func (r *Rejection) hostedDetail() string {
	if r.Reason == ReasonWebSearchModel {
		return fmt.Sprintf("serves model %s, which has no web search tool (Claude's web search tool, declared as web_search_20250305 or a later version, or OpenAI's web_search run as it; "+
			"Claude 3.5 Haiku, Claude 3.5 Sonnet of October 2024, Claude 3.7 Sonnet and every later Claude model have it; Claude 3 and the first Claude 3.5 Sonnet do not)", r.Note)
	}
	if r.Note != "" {
		return "does not serve the hosted tools " + r.Note + " the request asks for (Azure OpenAI deployments on the v1 Responses API serve " + openai.AzureHostedTools.String() +
			", Claude deployments web_search, as Claude's web search tool, Gemini deployments web_search, as Grounding with Google Search; a stored prompt and context_management are OpenAI's alone): only OpenAI deployments called on the Responses API serve every hosted tool"
	}
	return "does not serve OpenAI's hosted tools (web_search, file_search, code_interpreter, image_generation, mcp, tool_search, computer use: they run on OpenAI's side, as do a stored prompt and context_management, and the beta multi_agent and moderation; only OpenAI deployments called on the Responses API take them and their items: api responses, or api chosen by the model; Azure OpenAI deployments on the v1 API so called take some: " + openai.AzureHostedTools.String() + "; Claude deployments take web_search, as Claude's web search tool, Gemini deployments as Grounding with Google Search)"
}

// paramDetail is Detail for ReasonParam.
func (r *Rejection) paramDetail() string {
	if r.Param == ParamJSONWithTools {
		return fmt.Sprintf("serves model %s, which does not take '%s' beside tools it may call (Gemini before 3 refuses the pair)", r.Note, r.Param)
	}
	return fmt.Sprintf("serves model %s, which does not take '%s' (OpenAI refuses it)", r.Note, r.Param)
}

// capabilityDetail is Detail for ReasonCapability.
func (r *Rejection) capabilityDetail() string {
	switch r.Capability {
	case llm.CapTools:
		return "does not support tools"
	case llm.CapJSONSchema:
		return "does not support json_schema structured output"
	case llm.CapJSONMode:
		return "does not support JSON mode"
	case llm.CapVision:
		return "does not accept images or PDFs (no vision)"
	case llm.CapLogprobs:
		return "does not return logprobs"
	}
	return "does not support " + string(r.Capability)
}

// moneyDetail is Detail for the price and cost ceilings.
func (r *Rejection) moneyDetail() string {
	switch r.Reason {
	case ReasonPrice:
		if strings.HasPrefix(r.By, "budget ") {
			return fmt.Sprintf("%s price $%s/1M exceeds the %s price ceiling $%s/1M (the budget is spent)", r.Note, ftoa(r.Got), r.By, ftoa(r.Limit))
		}
		return fmt.Sprintf("%s price $%s/1M exceeds %s max_price.%s $%s/1M", r.Note, ftoa(r.Got), r.By, r.Note, ftoa(r.Limit))
	case ReasonCost:
		if r.Note != "" {
			return fmt.Sprintf("estimated cost $%s at the %s tier exceeds %s $%s", usd(r.Got), r.Note, r.limitName("max_cost_per_request"), usd(r.Limit))
		}
		return fmt.Sprintf("estimated cost $%s exceeds %s $%s", usd(r.Got), r.limitName("max_cost_per_request"), usd(r.Limit))
	case ReasonPriceUnknown:
		switch r.Note {
		case NoteBudgetUSD:
			return "has no known price, and " + r.By + " counts USD: its cost could not be charged (set its price, or the budget's unknown_cost: allow)"
		case NoteBudgetCeiling:
			return "has no known price, so it cannot be held to the " + r.By + " price ceiling (the budget is spent)"
		}
		return "has no known price, so it cannot be held to " + r.limitName(r.Note)
	}
	return string(r.Reason)
}

// limitName names the ceiling: the header, or "<by> <field>".
func (r *Rejection) limitName(field string) string {
	if strings.HasPrefix(r.By, "x-") {
		return r.By
	}
	return r.By + " " + field
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func usd(f float64) string { return strconv.FormatFloat(f, 'g', 4, 64) }

func ms(f float64) string { return (time.Duration(f) * time.Millisecond).String() }
