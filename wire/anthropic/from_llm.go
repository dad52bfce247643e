package anthropic

import (
	"slices"
	"unicode/utf8"

	"switchyard/llm"
)

// DefaultMaxTokens is the max_tokens FromLLM sends when the request sets
// none: Anthropic requires the field while OpenAI clients usually omit it.
// 4096 fits every current Claude model's output limit.
const DefaultMaxTokens = 4096

// FromLLM builds a Messages API request from a canonical request.
//
// The mapping:
//   - system and developer messages, wherever they appear, are lifted in
//     order into the top-level system blocks;
//   - tool messages become tool_result blocks in a user turn; consecutive
//     turns of the same role are merged into one (the API expects
//     alternation), and in a merged user turn tool_result blocks come
//     first, as the API requires; empty turns are dropped, and a final
//     assistant turn (a prefill) loses trailing whitespace, which the API
//     rejects; a conversation whose first turn is the assistant's gets a
//     user turn holding OpeningUserText before it, since the API requires
//     the first message to be the user's;
//   - max_tokens is req.MaxTokens or DefaultMaxTokens;
//   - tools map to input_schema ({"type":"object"} when no parameters);
//     tool_choice auto→auto, required→any, function→tool+name, none→none;
//     an allowed_tools choice (ToolChoice.Allowed) its mode, with the
//     allowed tools alone (llm.AllowedOnly);
//     parallel_tool_calls=false sets disable_parallel_tool_use;
//   - data: image URIs become base64 sources, http(s) URLs url sources
//     (the OpenAI detail level has no equivalent and is dropped);
//   - service_tier is RequestTierFromLLM of req.ServiceTier;
//   - speed is "fast", with the fast-mode beta (FastModeBeta) beside
//     req.AnthropicBetas, when req asks for fast output (WantsFast: its
//     speed, or an OpenAI client's service_tier "fast") and the model has
//     fast mode (FastFactor); otherwise no speed is sent, nor the beta;
//   - inference_geo is req.InferenceGeo, sent only to the models that
//     take it (TakesInferenceGeo; the older ones refuse it, and routing
//     sends a request requiring "us" to none of them);
//   - stop→stop_sequences, user→metadata.user_id (left out when longer
//     than MaxUserID, which the API refuses), TopK→top_k; the
//     thinking and top_k fields of req.Extra pass through (an OpenAI
//     client's way to set them), other extras are dropped;
//   - prompt-cache breakpoints (llm.CacheTTL) become cache_control on the
//     block, tool_use block or tool they mark (CacheFromLLM: OpenAI's
//     30m and 12h are one hour, as is a breakpoint naming no lifetime in
//     a request whose prompt_cache_options.ttl names one); one on a
//     tool message's last part marks its tool_result block; of more than
//     llm.MaxCacheBreakpoints (an OpenAI client's conversation carries
//     up to 80) the latest four are sent, the most the API takes; one on a
//     part that yields no block (an empty or whitespace-only text) is
//     dropped; a one-hour breakpoint that lands after a five-minute one
//     (tool results are moved first) is sent as five-minute, which the
//     API requires;
//   - req.Reasoning becomes thinking (it replaces one from req.Extra):
//     adaptive on models that take it (AdaptiveThinking; always on those
//     that take nothing else), else enabled with its budget — an
//     effort's from llm.BudgetFor (minimal 1024, low 2048, medium 8192,
//     high 16384, xhigh and max capped to MaxEffortBudget), at most half
//     of the client's max_tokens and at least 1024. max_tokens counts the
//     thinking, as OpenAI's max_completion_tokens counts reasoning: the
//     client's limit is kept, and without one it is DefaultMaxTokens plus
//     the budget. A limit of 1024 or less, and a forced tool_choice (any,
//     tool), which the API refuses with thinking, send no thinking;
//     effort "none" sends the lowest the model takes (chooseThinking).
//     With thinking, the sampling fields the API refuses are dropped, not
//     the thinking the client asked for: a temperature other than 1,
//     top_k, and a top_p below 0.95;
//   - what the model refuses (ModelTraits) is not sent: sampling fields
//     on Opus 4.7 and generation 5, a forced tool choice on Opus 5.5,
//     Sonnet 5.5 and Fable 5.1+ (relaxToolChoice), a prefill on Sonnet
//     4.6 and generation 5 (continuePrefill); ReasoningDrops names them;
//   - an assistant message's thinking (llm.Thinking) becomes thinking and
//     redacted_thinking blocks, in order and unchanged, before its text
//     and tool_use blocks, when the request thinks (on generation 5,
//     which thinks unasked, also without a thinking field); without
//     thinking it is dropped (the API ignores an earlier turn's thinking,
//     and refuses it in a final assistant turn);
//   - seed, presence_penalty, frequency_penalty, metadata (other than the
//     user) and participant names have no Anthropic equivalent and are
//     dropped: they are hints, not the shape of the answer.
//
// JSON mode: response_format json_schema is sent as native structured
// output (output_config.format, see applyFormat) to the models that take
// it — by the deployment's structured_output, else by the model id
// (NativeStructuredOutput) — when the schema can be sent as it is meant
// (NativeSchema: objects closed with additionalProperties false) and the
// conversation ends with no prefill. Otherwise, and always for
// json_object (which has no native form), it is emulated with a final
// system block that asks for only a JSON value (quoting the schema); the
// answer is then plain text holding the JSON, which is what an OpenAI
// client expects in message.content (the gateway drops a Markdown fence
// the model may still add: guard.StripJSONFence). A forced tool was not
// chosen: it turns the answer into a tool call, which streams as
// input_json_delta and breaks when the caller also passes tools. A
// function tool with strict true is sent strict where native structured
// output is (applyStrict).
//
// Temperature: Anthropic accepts [0,1] while OpenAI accepts [0,2]. A value
// above 1 is rejected, not clamped or rescaled, because both would silently
// change the sampling the caller asked for.
//
// Errors are *llm.Error of kind invalid_request with Param naming the
// field (in OpenAI's request shape): n > 1, temperature or top_p out of
// range, max_tokens < 1, parts other than text and images, malformed tool
// call arguments, unknown tool types, a tool_choice naming no offered tool,
// and a request with no user or assistant message.
func FromLLM(req *llm.Request) (*MessagesRequest, error) {
	req = llm.AllowedOnly(req) // Claude has no allowed_tools choice: the allowed tools alone
	if err := checkSampling(req); err != nil {
		return nil, err
	}
	out := baseRequest(req)
	system, turns, err := conversation(req)
	if err != nil {
		return nil, err
	}
	out.System, out.Messages = system, turns
	out.ContextManagement = contextManagementFor(req.ContextManagement, req.ModelID())
	out.Container = req.AnthropicContainer
	tools := req.Tools
	if req.AnthropicTools != nil { // with its tool changes, in the messages
		tools = req.AnthropicTools
	}
	if out.Tools, err = convertTools(tools); err != nil {
		return nil, err
	}
	if out.ToolChoice, err = convertToolChoice(req, out.Tools); err != nil {
		return nil, err
	}
	if req.InferenceGeo != "" && TakesInferenceGeo(req.ModelID()) {
		out.InferenceGeo = string(req.InferenceGeo)
	}
	setSpeed(out, req)
	applyFallbackCredit(out, req)
	setBilling(out, req)
	t := ModelTraits(req.ModelID())
	if t.NoForcedTool {
		relaxToolChoice(out)
	}
	if t.NoPrefill {
		continuePrefill(out)
	}
	applyStrict(out.Tools, req)
	if req.ResponseFormat != nil {
		applyFormat(out, req)
	}
	if err := applyExtra(out, req.Extra); err != nil {
		return nil, err
	}
	applyReasoning(out, req, &t)
	if len(out.ContextManagement) > 0 && clearThinkingRefused(out.ContextManagement, chooseThinking(req, &t), &t) {
		out.ContextManagement = withoutEdit(out.ContextManagement, EditClearThinking)
	}
	applyEffort(out, req)
	applyTaskBudget(out, req)
	applyCompaction(out, req)
	if out.Thinking == nil && !t.ThinksByDefault { // generation 5 thinks unasked: its blocks go back
		dropThinking(out.Messages)
	} else if t.Family != "" {
		dropForeignThinking(out.Messages) // another host's signatures, which Claude refuses
	}
	if req.CacheBreakpoints() > llm.MaxCacheBreakpoints { // counted without a walk of out's blocks, which allocates
		keepLatestBreakpoints(out, llm.MaxCacheBreakpoints)
	}
	applyCacheTTL(out, req.PromptCache.TTL)
	keepTTLOrder(out)
	return out, nil
}

// conversation is req's system prompt and turns as Claude takes them: a
// system prompt alone, which OpenAI answers, is the user turn Anthropic
// needs; turns of blank text alone, which Anthropic refuses, become one
// opening user turn.
func conversation(req *llm.Request) (Blocks, []Message, error) {
	system, turns, err := convertMessages(req.Messages, req.SystemInPlace, TurnControl(req))
	if err != nil {
		return nil, nil, err
	}
	if len(turns) == 0 && len(system) > 0 {
		turns, system = []Message{{Role: "user", Content: system}}, nil
	}
	if len(turns) == 0 && slices.ContainsFunc(req.Messages, isTurn) {
		turns = []Message{{Role: "user", Content: Blocks{{Type: BlockText, Text: OpeningUserText}}}}
	}
	if len(turns) == 0 {
		return nil, nil, invalid("messages", "the request needs at least one message with content")
	}
	return system, turns, nil
}

// baseRequest is the Messages request of req's scalar fields: model,
// stream, sampling, service tier, betas, max_tokens (DefaultMaxTokens
// when unset), stop sequences and the end user's id.
func baseRequest(req *llm.Request) *MessagesRequest {
	out := &MessagesRequest{Model: req.Model, Stream: req.Stream, Temperature: req.Temperature, TopP: req.TopP, TopK: req.TopK,
		ServiceTier: RequestTierFromLLM(req.ServiceTier), Betas: req.AnthropicBetas}
	if !TurnControl(req) {
		out.Betas = withoutTurnBetas(out.Betas) // the model, or the request, has no per-turn effort
	}
	mt := DefaultMaxTokens
	if req.MaxTokens != nil {
		mt = *req.MaxTokens
	}
	out.MaxTokens = &mt
	if len(req.Stop) > 0 {
		out.StopSequences = append([]string(nil), req.Stop...)
	}
	if req.User != "" && utf8.RuneCountInString(req.User) <= MaxUserID { // a longer one would be refused; it only helps detect abuse
		out.Metadata = &Metadata{UserID: req.User}
	}
	return out
}

func checkSampling(req *llm.Request) error {
	if req.N != nil && *req.N > 1 {
		return invalid("n", "n=%d is not supported by Anthropic models, which return one choice per request", *req.N)
	}
	if t := req.Temperature; t != nil && (*t < 0 || *t > 1) {
		return invalid("temperature", "temperature %g is out of range for Anthropic models, which accept 0 to 1 (OpenAI's 0 to 2 scale is not rescaled)", *t)
	}
	if p := req.TopP; p != nil && (*p < 0 || *p > 1) {
		return invalid("top_p", "top_p %g is out of range: it must be between 0 and 1", *p)
	}
	if m := req.MaxTokens; m != nil && *m < 1 {
		return invalid("max_tokens", "max_tokens must be at least 1, got %d", *m)
	}
	return nil
}

func invalid(param, format string, args ...any) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, format, args...)
	e.Param = param
	return e
}

// setSpeed asks fast mode of out's model when req asks for fast output
// (WantsFast) and the model has it (FastFactor): speed "fast", and the
// fast-mode beta beside the client's; otherwise no speed, and not the
// beta either. The client's betas are never written to in place.
func setSpeed(out *MessagesRequest, req *llm.Request) {
	if req.WantsFast() && FastFactor(req.ModelID()) > 0 {
		out.Speed = SpeedFast
		if !slices.Contains(out.Betas, FastModeBeta) {
			out.Betas = append(slices.Clip(out.Betas), FastModeBeta)
		}
	} else if slices.Contains(out.Betas, FastModeBeta) {
		out.Betas = slices.DeleteFunc(slices.Clone(out.Betas), func(b string) bool { return b == FastModeBeta })
	}
}

// isTurn reports whether m is a user or assistant message.
func isTurn(m llm.Message) bool { return m.Role == llm.RoleUser || m.Role == llm.RoleAssistant }
