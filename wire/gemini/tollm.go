package gemini

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"switchyard/llm"
)

// ToLLM translates a generateContent response into a canonical response.
// model names the upstream model when the response carries no
// modelVersion.
//
// Text parts are joined (thought parts are left out); a logprobsResult
// becomes the choice's logprobs (LogprobsToLLM); functionCall parts
// become tool calls with the part's id or a generated unique "call_…" id;
// a response without a responseId gets a generated "gen-…" id; a prompt
// blocked before any candidate gives one empty choice with finish reason
// content_filter, not an error. A response with neither candidates nor a
// block reason, or with a candidate that ended without a usable answer
// (NoAnswer), is an *llm.Error of kind upstream.
func ToLLM(resp *GenerateContentResponse, model string) (*llm.Response, error) {
	if resp == nil {
		return nil, llm.Errorf(llm.KindUpstream, "gemini: empty response")
	}
	out := &llm.Response{ID: resp.ResponseID, Model: resp.ModelVersion, Created: time.Now().Unix()}
	if out.ID == "" {
		out.ID = NewResponseID()
	}
	if out.Model == "" {
		out.Model = model
	}
	if resp.UsageMetadata != nil {
		u := UsageToLLM(resp.UsageMetadata)
		out.Usage = &u
	}
	if len(resp.Candidates) == 0 {
		if resp.PromptFeedback == nil || resp.PromptFeedback.BlockReason == "" {
			return nil, llm.Errorf(llm.KindUpstream, "gemini: response has no candidates")
		}
		out.Choices = []llm.Choice{{
			Message:      llm.TextMessage(llm.RoleAssistant, ""),
			FinishReason: llm.FinishContentFilter,
		}}
		return out, nil
	}
	for _, c := range resp.Candidates {
		if NoAnswer(c.FinishReason) {
			return nil, NoAnswerError(c.FinishReason)
		}
		text, toolCalls, thought := splitParts(c.Content)
		msg := llm.Message{Role: llm.RoleAssistant}
		msg.SetToolCalls(toolCalls)
		if thought != "" {
			msg.SetThinking([]llm.Thinking{{Text: thought}})
		}
		if text != "" || len(toolCalls) == 0 {
			msg.Content = []llm.Part{{Type: llm.PartText, Text: text}}
			msg.StringContent = true
		}
		out.Choices = append(out.Choices, llm.Choice{
			Index:        c.Index,
			Message:      msg,
			FinishReason: FinishReasonToLLM(c.FinishReason, len(toolCalls) > 0),
			Logprobs:     LogprobsToLLM(c.LogprobsResult),
		})
	}
	return out, nil
}

// splitParts returns the answer text (thoughts excluded), the function
// calls and the thought summaries' text of content.
func splitParts(c *Content) (string, []llm.ToolCall, string) {
	if c == nil {
		return "", nil, ""
	}
	var b, thought strings.Builder
	var tcs []llm.ToolCall
	for _, p := range c.Parts {
		switch {
		case p.Thought:
			thought.WriteString(p.Text)
		case p.FunctionCall != nil:
			tc := toolCall(p.FunctionCall)
			tc.Signature = p.ThoughtSignature
			tcs = append(tcs, tc)
		default:
			b.WriteString(p.Text)
		}
	}
	return b.String(), tcs, thought.String()
}

// toolCall translates one function call; a call without an id gets a fresh
// unique one.
func toolCall(fc *FunctionCall) llm.ToolCall {
	id := fc.ID
	if id == "" {
		id = newCallID()
	}
	args := "{}"
	var b bytes.Buffer
	if string(fc.Args) != "null" && json.Compact(&b, fc.Args) == nil && b.Len() > 0 {
		args = b.String()
	}
	return llm.ToolCall{ID: id, Type: "function", Name: fc.Name, Arguments: args}
}

// FinishReasonToLLM maps a Gemini finish reason. STOP with function calls
// is tool_calls; the safety family and the filters (LANGUAGE, an
// unsupported language; ESCALATION, an escalation rule) are
// content_filter; an empty reason (a candidate still under way) is "".
// The reasons NoAnswer reports are errors, not finish reasons (ToLLM and
// the StreamTranslator return them as NoAnswerError); here they are stop.
func FinishReasonToLLM(reason string, hasToolCalls bool) llm.FinishReason {
	switch reason {
	case "":
		return ""
	case FinishMaxTokens:
		return llm.FinishLength
	case FinishSafety, FinishRecitation, FinishBlocklist, FinishProhibited, FinishSPII,
		FinishImageSafety, "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION", FinishLanguage, FinishEscalation:
		return llm.FinishContentFilter
	}
	if hasToolCalls {
		return llm.FinishToolCalls
	}
	return llm.FinishStop
}

// FinishReasonFromLLM is the inverse of FinishReasonToLLM, for encoders:
// tool_calls and stop are STOP (Gemini has no tool-call reason).
func FinishReasonFromLLM(r llm.FinishReason) string {
	switch r {
	case llm.FinishLength:
		return FinishMaxTokens
	case llm.FinishContentFilter:
		return FinishSafety
	case "":
		return ""
	}
	return FinishStop
}

// UsageToLLM maps usage metadata onto canonical usage: the tool-use prompt
// counts as prompt, thoughts count as completion and as reasoning, and a
// missing total is the sum.
func UsageToLLM(m *UsageMetadata) llm.Usage {
	u := llm.Usage{
		PromptTokens:       m.PromptTokenCount + m.ToolUsePromptTokenCount,
		CompletionTokens:   m.CandidatesTokenCount + m.ThoughtsTokenCount,
		CachedPromptTokens: m.CachedContentTokenCount,
		ReasoningTokens:    m.ThoughtsTokenCount,
		TotalTokens:        m.TotalTokenCount,
	}
	if u.TotalTokens == 0 {
		u.TotalTokens = u.PromptTokens + u.CompletionTokens
	}
	return u
}

// UsageFromLLM is the inverse of UsageToLLM, for encoders.
func UsageFromLLM(u llm.Usage) *UsageMetadata {
	m := &UsageMetadata{
		PromptTokenCount:        u.PromptTokens,
		CandidatesTokenCount:    u.CompletionTokens - u.ReasoningTokens,
		ThoughtsTokenCount:      u.ReasoningTokens,
		CachedContentTokenCount: u.CachedPromptTokens,
		TotalTokenCount:         u.TotalTokens,
	}
	if m.TotalTokenCount == 0 {
		m.TotalTokenCount = u.PromptTokens + u.CompletionTokens
	}
	if u.PromptTokens > 0 {
		m.PromptTokensDetails = []ModalityTokenCount{{Modality: "TEXT", TokenCount: u.PromptTokens}}
	}
	return m
}
