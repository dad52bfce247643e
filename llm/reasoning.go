package llm

import "strings"

// Effort is how hard a reasoning model should think, on OpenAI's scale
// (reasoning_effort): the levels every provider mapping starts from.
type Effort string

// The effort levels of OpenAI's reasoning_effort, weakest first.
const (
	EffortNone    Effort = "none"
	EffortMinimal Effort = "minimal"
	EffortLow     Effort = "low"
	EffortMedium  Effort = "medium"
	EffortHigh    Effort = "high"
	EffortXHigh   Effort = "xhigh"
	EffortMax     Effort = "max"
)

// ParseEffort returns the effort called s and whether s names one.
func ParseEffort(s string) (Effort, bool) {
	switch e := Effort(s); e {
	case EffortNone, EffortMinimal, EffortLow, EffortMedium, EffortHigh, EffortXHigh, EffortMax:
		return e, true
	}
	return "", false
}

// Reasoning is what a client asked of a reasoning model: how hard to
// think, given as an effort level, an explicit token budget, or leaving it
// to the model (Adaptive), and whether it wants the thinking content back.
// Exactly one of Effort, BudgetTokens, Adaptive and BetweenTools is set.
type Reasoning struct {
	// Effort is the level asked for (OpenAI's reasoning_effort, the
	// Responses API's reasoning.effort); "" when a budget or Adaptive is.
	Effort Effort
	// BudgetTokens is the thinking budget asked for (Anthropic's
	// thinking.budget_tokens); zero when Effort or Adaptive is set.
	BudgetTokens int
	// Adaptive leaves the amount of thinking to the model (Anthropic's
	// thinking type "adaptive").
	Adaptive bool
	// BetweenTools asks for no thinking up front, only between tool
	// calls (Anthropic's thinking type "between_tools"). Elsewhere it is
	// the weakest thinking a model does: effort low (Level, Budget).
	BetweenTools bool
	// Show reports that the client's API can show thinking content and
	// the client wants it (Anthropic's Messages API, display not
	// "omitted"): thinking blocks are then kept in the answer.
	Show bool
	// Display is Anthropic's thinking display ("summarized", "omitted")
	// as an Anthropic client sent it, for a Claude deployment; "" means
	// unset, the model's default.
	Display string
	// Summary is the reasoning summary asked of an OpenAI Responses API
	// deployment (reasoning.summary: "auto", "concise", "detailed"): a
	// Responses API client's, or "auto" for an Anthropic client that shows
	// thinking; "" means none.
	Summary string
}

// The thinking budgets an effort level maps to where an upstream wants
// tokens (Anthropic's budget_tokens, Gemini 2.5's thinkingBudget), and
// back (nearest level). Anthropic requires at least 1024.
var effortBudgets = [...]struct {
	e Effort
	n int
}{
	{EffortMinimal, 1024}, {EffortLow, 2048}, {EffortMedium, 8192},
	{EffortHigh, 16384}, {EffortXHigh, 32768}, {EffortMax, 65536},
}

// BudgetFor returns the thinking budget in tokens for effort e: minimal
// 1024, low 2048, medium 8192, high 16384, xhigh 32768, max 65536; 0 for
// none and for an unknown level.
func BudgetFor(e Effort) int {
	for _, b := range effortBudgets {
		if b.e == e {
			return b.n
		}
	}
	return 0
}

// EffortFor returns the level from low to max whose budget (BudgetFor)
// is nearest to budget tokens on a log scale: up to 4095 low, up to 11585
// medium, up to 23170 high, up to 46340 xhigh, else max. An adapter
// sends a model the nearest level it takes (OpenAI's: openai.SentEffort).
func EffortFor(budget int) Effort {
	switch {
	case budget < 4096: // sqrt(2048*8192)
		return EffortLow
	case budget < 11586: // sqrt(8192*16384)
		return EffortMedium
	case budget < 23171: // sqrt(16384*32768)
		return EffortHigh
	case budget < 46341: // sqrt(32768*65536)
		return EffortXHigh
	}
	return EffortMax
}

// Budget returns the thinking budget r asks for: BudgetTokens when set,
// else BudgetFor(Effort); adaptive gives medium's budget, between_tools
// low's.
func (r *Reasoning) Budget() int {
	switch {
	case r.BudgetTokens > 0:
		return r.BudgetTokens
	case r.Adaptive:
		return BudgetFor(EffortMedium)
	case r.BetweenTools:
		return BudgetFor(EffortLow)
	}
	return BudgetFor(r.Effort)
}

// Level returns the effort level r asks for: Effort when set, else the
// nearest level to its budget (EffortFor); adaptive gives medium, the
// OpenAI default, and between_tools low.
func (r *Reasoning) Level() Effort {
	switch {
	case r.Effort != "":
		return r.Effort
	case r.Adaptive:
		return EffortMedium
	case r.BetweenTools:
		return EffortLow
	}
	return EffortFor(r.BudgetTokens)
}

// ReasoningContent says whether an OpenAI-wire deployment is sent the
// reasoning text of the conversation's assistant turns back, as
// reasoning_content on each assistant message (DeepSeek's thinking mode
// refuses a tool loop without it).
type ReasoningContent string

// The reasoning_content settings.
const (
	// ReasoningContentAuto decides by the model id: DeepSeek's and Kimi's
	// models in thinking mode are sent it, MiniMax-M2 is sent it as tags
	// (ReasoningContentTags), every other model not.
	ReasoningContentAuto ReasoningContent = ""
	// ReasoningContentSend sends it on every assistant message (the
	// turn's thinking text, "" when it has none).
	ReasoningContentSend ReasoningContent = "send"
	// ReasoningContentOmit never sends it.
	ReasoningContentOmit ReasoningContent = "omit"
	// ReasoningContentTags sends it in the assistant message's content
	// instead, between <think> and </think> before the text, as a model
	// that writes its reasoning so wants its history (MiniMax-M2, whose
	// auto setting this is); no reasoning_content member.
	ReasoningContentTags ReasoningContent = "tags"
)

// PassBack says whether an OpenAI-wire deployment is sent a member only
// some hosts take: what a host of its own wrote beside the answer, in
// members OpenAI's API does not have (and refuses): Google's thought
// signatures on tool calls (extra_content), OpenRouter's
// reasoning_details; or OpenAI's stream_options, which Mistral's API
// refuses.
type PassBack string

// The pass-back settings.
const (
	// PassBackAuto decides by the host (the provider's base_url).
	PassBackAuto PassBack = ""
	// PassBackSend sends it, whatever the host.
	PassBackSend PassBack = "send"
	// PassBackOmit never sends it.
	PassBackOmit PassBack = "omit"
)

// Sends reports whether p sends: as set, else hostTakes.
func (p PassBack) Sends(hostTakes bool) bool {
	switch p {
	case PassBackSend:
		return true
	case PassBackOmit:
		return false
	}
	return hostTakes
}

// Thinking is one block of a model's extended thinking (Anthropic's
// thinking and redacted_thinking blocks): the text, or for a redacted
// block the encrypted Redacted data, with the signature that lets the
// model that wrote it trust it when a later turn sends it back. It means
// nothing to any other model: only Anthropic deployments are sent it. An
// OpenAI reasoning item travels as a redacted block of its own shape
// (OpenAIReasoning), sent to OpenAI Responses API deployments alone.
type Thinking struct {
	// Text is the thinking; empty for a redacted block (and for one
	// whose display was omitted).
	Text string
	// Signature vouches for Text; empty for a redacted block.
	Signature string
	// Redacted is a redacted_thinking block's data; "" for a thinking
	// block.
	Redacted string
}

// ThinkingDelta is a piece of a streamed thinking block, for a client
// that asked to see the thinking (Reasoning.Show). The pieces of one
// block share its Index (0 for the answer's first block, 1 for the next,
// …) and come in order: Text pieces, then the Signature; a redacted block
// comes whole, in Redacted.
type ThinkingDelta struct {
	Index     int
	Text      string
	Signature string
	Redacted  string
}

// openAIReasoningPrefix starts the Redacted data of a block that is an
// OpenAI reasoning item (see OpenAIReasoning). Claude's redacted data is
// base64 and never holds a colon, so the two cannot be mistaken.
const openAIReasoningPrefix = "openai-reasoning:"

// OpenAIReasoning returns the block that carries an OpenAI reasoning
// item (Responses API: its id and encrypted_content, asked for with
// include reasoning.encrypted_content) through the router: in Redacted,
// as "openai-reasoning:" + id + ":" + encrypted, so that whatever keeps
// thinking blocks for a client (the thinking memory, the Responses API's
// sealed reasoning items, an Anthropic client's redacted_thinking block)
// keeps it too. Only an OpenAI Responses API deployment is sent it back;
// every other adapter leaves such a block out (IsOpenAIReasoning), and an
// OpenAI Responses API deployment leaves out every other block.
func OpenAIReasoning(id, encrypted string) Thinking {
	return Thinking{Redacted: openAIReasoningPrefix + id + ":" + encrypted}
}

// OpenAIReasoning returns the id and encrypted_content of the OpenAI
// reasoning item t carries, and whether it carries one (OpenAIReasoning).
func (t *Thinking) OpenAIReasoning() (id, encrypted string, ok bool) {
	rest, ok := strings.CutPrefix(t.Redacted, openAIReasoningPrefix)
	if !ok {
		return "", "", false
	}
	id, encrypted, ok = strings.Cut(rest, ":")
	return id, encrypted, ok && encrypted != ""
}

// openRouterReasoningPrefix starts the Redacted data of a block that
// carries OpenRouter's reasoning_details (see OpenRouterReasoning).
const openRouterReasoningPrefix = "openrouter-reasoning:"

// OpenRouterReasoning returns the block that carries OpenRouter's
// reasoning_details of one answer (details: the JSON array, as OpenRouter
// wrote it or as its streamed pieces merge), in Redacted as
// "openrouter-reasoning:" + details, kept as an OpenAI reasoning item is
// (OpenAIReasoning). Only an OpenAI-wire deployment on OpenRouter is sent
// it back (as the assistant message's reasoning_details); every other
// adapter leaves it out (ForOtherHost).
func OpenRouterReasoning(details string) Thinking {
	return Thinking{Redacted: openRouterReasoningPrefix + details}
}

// OpenRouterDetails returns the reasoning_details array t carries, and
// whether it carries one (OpenRouterReasoning).
func (t *Thinking) OpenRouterDetails() (string, bool) {
	d, ok := strings.CutPrefix(t.Redacted, openRouterReasoningPrefix)
	return d, ok && d != ""
}

// geminiSignaturePrefix starts the Redacted data of a block that carries
// a Gemini tool call's thought signature (see GeminiSignature).
const geminiSignaturePrefix = "gemini-signature:"

// GeminiSignature returns the block that carries the thought signature
// sig a Gemini model (model: SignatureModelID) put on the tool call id,
// in Redacted as "gemini-signature:" + model, id and sig joined by
// newlines (none holds one), so that the Responses API's sealed
// reasoning items carry it to any replica holding the key. The decoder
// of the items puts it back on its call (ToolCall.Signature); no adapter
// sends the block itself (ForOtherHost).
func GeminiSignature(id, model, sig string) Thinking {
	return Thinking{Redacted: geminiSignaturePrefix + model + "\n" + id + "\n" + sig}
}

// GeminiSignature returns the call id, model and signature the block t
// carries, and whether it carries one (GeminiSignature).
func (t *Thinking) GeminiSignature() (id, model, sig string, ok bool) {
	rest, ok := strings.CutPrefix(t.Redacted, geminiSignaturePrefix)
	if !ok {
		return "", "", "", false
	}
	model, rest, _ = strings.Cut(rest, "\n")
	id, sig, _ = strings.Cut(rest, "\n")
	return id, model, sig, id != "" && sig != ""
}

// ForOtherHost reports whether t is a block of a host other than Claude
// dressed as redacted thinking (an OpenAI reasoning item, OpenRouter's
// reasoning_details, a Gemini call's signature), which Claude must not
// be sent.
func (t *Thinking) ForOtherHost() bool {
	return t.IsOpenAIReasoning() || strings.HasPrefix(t.Redacted, openRouterReasoningPrefix) ||
		strings.HasPrefix(t.Redacted, geminiSignaturePrefix)
}

// IsOpenAIReasoning reports whether t carries an OpenAI reasoning item,
// which means nothing to any other provider.
func (t *Thinking) IsOpenAIReasoning() bool {
	return strings.HasPrefix(t.Redacted, openAIReasoningPrefix)
}
