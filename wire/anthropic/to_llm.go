package anthropic

import (
	"slices"
	"strings"

	"switchyard/llm"
)

// ToLLM converts a complete response (a stop at a stop sequence keeps
// which in StopSequence). Text blocks are joined into the
// message content; tool_use blocks become tool calls whose arguments are the
// JSON text of their input; server tool blocks (ServerBlockTypes) are
// kept as sent, in place (llm.Block), as is a compaction block Claude
// wrote compacting the conversation (a compact_20260112 edit); thinking
// and redacted_thinking blocks are the message's Thinking, in order, for
// the caller to drop unless its client shows them (as StreamTranslator's
// Thinking); any other block type this package does not model is
// dropped. A pause_turn stop is a Paused stop, a compaction stop a
// Compacted one; context_management (the applied edits) is kept as sent.
// Created is left zero
// for the caller to stamp: the API sends no creation time.
func ToLLM(resp *MessagesResponse) *llm.Response {
	msg := llm.Message{Role: llm.RoleAssistant}
	var text strings.Builder
	hasText := false
	var calls []llm.ToolCall
	var server []llm.Block
	var thought []llm.Thinking
	for i := range resp.Content {
		b := &resp.Content[i]
		switch b.Type {
		case BlockText:
			text.WriteString(b.Text)
			hasText = true
		case BlockToolUse:
			args := string(b.Input)
			if args == "" {
				args = "{}"
			}
			calls = append(calls, llm.ToolCall{ID: b.ID, Type: "function", Name: b.Name, Arguments: args})
		case BlockThinking, BlockRedactedThinking:
			thought = append(thought, llm.Thinking{Text: b.Thinking, Signature: b.Signature, Redacted: b.Data})
		default:
			if slices.Contains(ServerBlockTypes, b.Type) || b.Type == BlockCompaction && b.Raw != nil {
				server = append(server, llm.Block{Raw: b.Raw, At: text.Len(), Calls: len(calls)})
			}
		}
	}
	msg.SetToolCalls(calls)
	msg.SetBlocks(server)
	msg.SetThinking(thought)
	if hasText || len(calls) == 0 {
		msg.Content = []llm.Part{{Type: llm.PartText, Text: text.String()}}
		msg.StringContent = true
	}
	reason, seq := "", ""
	if resp.StopReason != nil {
		reason = *resp.StopReason
	}
	if resp.StopSequence != nil && reason == StopStopSequence {
		seq = *resp.StopSequence
	}
	thinking := 0
	if d := resp.Usage.OutputTokensDetails; d != nil {
		thinking = d.ThinkingTokens
	}
	u := UsageToLLM(&resp.Usage, thinking)
	return &llm.Response{
		ID:    resp.ID,
		Model: resp.Model,
		Choices: []llm.Choice{{Index: 0, Message: msg, FinishReason: FinishReason(reason), StopSequence: seq,
			Refusal: resp.StopDetails.RefusalDetails(), Paused: reason == StopPauseTurn, Compacted: reason == StopCompaction}},
		Usage:       u,
		ServiceTier: u.ServiceTier,
		Container:   ContainerOf(resp.Container),
		// the outcome of a fallback_credit_token, as the API wrote it
		FallbackCredit:    creditOf(resp.Usage.FallbackCredit),
		ContextManagement: ContainerOf(resp.ContextManagement),
	}
}

// FinishReason maps a stop_reason to OpenAI's vocabulary: end_turn,
// stop_sequence and pause_turn → stop, max_tokens and
// model_context_window_exceeded → length, tool_use → tool_calls, refusal →
// content_filter. An unknown or empty reason is stop.
func FinishReason(stopReason string) llm.FinishReason {
	switch stopReason {
	case StopMaxTokens, StopContextWindow:
		return llm.FinishLength
	case StopToolUse:
		return llm.FinishToolCalls
	case StopRefusal:
		return llm.FinishContentFilter
	}
	return llm.FinishStop
}

// StopReason maps a finish reason back to a stop_reason, for encoders:
// length → max_tokens, tool_calls → tool_use, content_filter → refusal,
// anything else → end_turn.
func StopReason(f llm.FinishReason) string {
	switch f {
	case llm.FinishLength:
		return StopMaxTokens
	case llm.FinishToolCalls:
		return StopToolUse
	case llm.FinishContentFilter:
		return StopRefusal
	}
	return StopEndTurn
}

// UsageToLLM maps Anthropic's token counts onto llm.Usage: the prompt is
// input + cache writes + cache reads (Anthropic's input_tokens counts only
// the uncached rest), CachedPromptTokens are the cache reads,
// CacheWriteTokens the cache writes and CacheWrite1hTokens those of them
// cache_creation says were one-hour writes (capped at the writes);
// thinking tokens, when reported, are already part of output and only
// recorded as ReasoningTokens. service_tier is ServiceTier (TierToLLM),
// inference_geo InferenceGeo, speed Speed;
// server_tool_use's counts are WebSearchRequests and WebFetchRequests;
// usage.iterations' advisor_message entries are Advisor, its compaction
// entries Compaction.
func UsageToLLM(u *Usage, thinking int) *llm.Usage {
	prompt := u.InputTokens + u.CacheCreationInputTokens + u.CacheReadInputTokens
	out := &llm.Usage{
		PromptTokens:       prompt,
		CompletionTokens:   u.OutputTokens,
		TotalTokens:        prompt + u.OutputTokens,
		CachedPromptTokens: u.CacheReadInputTokens,
		CacheWriteTokens:   u.CacheCreationInputTokens,
		ReasoningTokens:    thinking,
		ServiceTier:        TierToLLM(u.ServiceTier),
		InferenceGeo:       u.InferenceGeo,
		Speed:              u.Speed,
	}
	if st := u.ServerToolUse; st != nil {
		out.WebSearchRequests, out.WebFetchRequests = st.WebSearchRequests, st.WebFetchRequests
	}
	if cc := u.CacheCreation; cc != nil {
		out.CacheWrite1hTokens = min(max(cc.Ephemeral1hInputTokens, 0), max(u.CacheCreationInputTokens, 0))
	}
	out.Advisor = advisorOf(u.Iterations)
	out.Compaction = compactionOf(u.Iterations)
	return out
}

// compactionOf returns the sum of the compaction iterations among
// iterations (Claude's compactions of the conversation, which the
// top-level counts leave out), nil when there are none.
func compactionOf(iterations []UsageIteration) *llm.ModelUsage {
	var c *llm.ModelUsage
	for _, it := range iterations {
		if it.Type != BlockCompaction {
			continue
		}
		if c == nil {
			c = &llm.ModelUsage{}
		}
		in, write, read := max(it.InputTokens, 0), max(it.CacheCreationInputTokens, 0), max(it.CacheReadInputTokens, 0)
		c.PromptTokens += in + write + read
		c.CompletionTokens += max(it.OutputTokens, 0)
		c.CachedPromptTokens += read
		c.CacheWriteTokens += write
	}
	return c
}

// IterationAdvisor is the usage.iterations entry of an advisor
// consultation (the advisor tool's sub-inference), billed at its
// model's rates and counted in none of the top-level fields.
const IterationAdvisor = "advisor_message"

// advisorOf returns the advisor consultations among iterations, nil when
// there are none.
func advisorOf(iterations []UsageIteration) *llm.Advisor {
	var a *llm.Advisor
	for _, it := range iterations {
		if it.Type != IterationAdvisor {
			continue
		}
		if a == nil {
			a = &llm.Advisor{}
		}
		a.Calls = append(a.Calls, llm.ModelUsage{Model: it.Model,
			PromptTokens:       max(it.InputTokens, 0) + max(it.CacheCreationInputTokens, 0) + max(it.CacheReadInputTokens, 0),
			CompletionTokens:   it.OutputTokens,
			CachedPromptTokens: it.CacheReadInputTokens, CacheWriteTokens: it.CacheCreationInputTokens})
	}
	return a
}

// RefusalDetails returns d as llm.RefusalDetails, nil when d is nil or
// not a refusal's.
func (d *StopDetails) RefusalDetails() *llm.RefusalDetails {
	if d == nil || d.Type != StopRefusal {
		return nil
	}
	out := &llm.RefusalDetails{}
	if d.Category != nil {
		out.Category = *d.Category
	}
	if d.Explanation != nil {
		out.Explanation = *d.Explanation
	}
	if d.FallbackCreditToken != nil {
		out.CreditToken = *d.FallbackCreditToken
		out.HasPrefillClaim = d.FallbackHasPrefillClaim != nil && *d.FallbackHasPrefillClaim
	}
	return out
}
