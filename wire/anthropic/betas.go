package anthropic

import (
	"slices"
	"strings"
)

// The anthropic-beta header of an Anthropic client. Claude Code and the
// SDKs' Beta API name the betas a request relies on; a few change only how
// Claude thinks or how much it may read and write, and a Claude deployment
// must get them for the request to mean what the client meant (the
// interleaved-thinking beta, for one, lets budget_tokens exceed
// max_tokens); the server tools' betas (code execution, web fetch, tool
// search) go with those tools to Claude. The others ask for features the
// router refuses or serves itself (files, batches, MCP, skills…), or are
// unknown: a
// Claude deployment is not sent them, so that an upstream never refuses a
// routed request for a beta the router does not understand.

// InterleavedThinkingBeta lets Claude think between tool calls, and
// budget_tokens exceed max_tokens (the budget then spans the turn).
const InterleavedThinkingBeta = "interleaved-thinking-2025-05-14"

// ForwardedBetas are the betas a Claude deployment is sent when the client
// sends them.
var ForwardedBetas = []string{
	InterleavedThinkingBeta,
	"fine-grained-tool-streaming-2025-05-14",
	"context-1m-2025-08-07",
	"token-efficient-tools-2025-02-19",
	"output-128k-2025-02-19",
	"output-300k-2026-03-24",
	"extended-cache-ttl-2025-04-11",
	PromptCachingScopeBeta, // cache_control.scope (cache_scope.go)
	"dev-full-thinking-2025-05-14",
	"model-context-window-exceeded-2025-08-26",
	"effort-2025-11-24",
	FastModeBeta, // fast mode on the research-preview models (fast.go)
	// The server tools' betas: the requests that name them go to Claude
	// deployments alone (llm.Request.AnthropicServerTools).
	"code-execution-2025-05-22",
	"code-execution-2025-08-25",
	"web-fetch-2025-09-10",
	"advanced-tool-use-2025-11-20",
	// Refusal fallback: a turn sent back with its fallback blocks, a
	// fallback_credit_token (fallbacks.go).
	"server-side-fallback-2026-06-01", FallbackBeta,
	"fallback-credit-2026-06-01", FallbackCreditBeta,
	AdvisorBeta,
	// Mid-conversation tool changes (tool_changes.go) and billing a
	// user profile (billing.go): only Claude API deployments get them.
	ToolChangesBeta, InlineToolsBeta, BillingBeta,
	// Compacting the conversation (a compact_20260112 edit) and sending
	// its compaction blocks back (context_management.go).
	CompactEditBeta,
	// A system message's own output_config (per_turn.go): kept for the
	// models that take it, else left out with the field.
	PerTurnControlBeta, MidConversationOutputConfigBeta,
}

// maxBetas bounds the betas read from one request; a longer list is cut.
const maxBetas = 32

// KeptBetas returns the ForwardedBetas named in values, the anthropic-beta
// header's values (each a comma-separated list), in the order first named,
// once each; nil when there are none.
func KeptBetas(values []string) []string {
	var out []string
	seen := 0
	for _, v := range values {
		for b := range strings.SplitSeq(v, ",") {
			if seen++; seen > maxBetas {
				return out
			}
			b = strings.TrimSpace(b)
			if slices.Contains(ForwardedBetas, b) && !slices.Contains(out, b) {
				out = append(out, b)
			}
		}
	}
	return out
}

// interleaved reports whether betas hold InterleavedThinkingBeta.
func interleaved(betas []string) bool {
	return slices.Contains(betas, InterleavedThinkingBeta)
}
