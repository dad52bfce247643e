package anthropic

import (
	"encoding/json"
	"strings"

	"switchyard/llm"
)

// This file is the usage a stream reports before its end
// (llm.Chunk.UsageSoFar), to bill a stream that breaks before
// message_stop.

// soFar is the usage reported so far, for a stream that breaks before
// message_stop: message_start's prompt side (its output_tokens counts
// none of the answer, so no output), the server tool results received and,
// once a compaction block started, an empty Compaction (Claude made one,
// whose counts only message_delta's iterations have), and an empty
// consultation of the advisor for each advisor_tool_result received (the
// same); or once message_delta came, its counts whole.
func (t *StreamTranslator) soFar() *llm.Usage {
	if t.final {
		return t.usageChunk().Usage
	}
	u := UsageToLLM(&t.usage, 0)
	u.CompletionTokens, u.TotalTokens = 0, u.PromptTokens
	u.WebSearchRequests, u.WebFetchRequests = t.searches, t.fetches
	if t.compacting {
		u.Compaction = &llm.ModelUsage{} // made, its counts unknown yet
	}
	if t.consulted > 0 && u.Advisor == nil {
		u.Advisor = &llm.Advisor{Calls: make([]llm.ModelUsage, t.consulted)} // made, their counts unknown yet
	}
	return u
}

// countServerCall counts the server tool result whole (a block as
// received, kind its type) that Anthropic bills: a web search's or web
// fetch's whose content is not an error (a failed search is not billed),
// an advisor consultation's whose content is its advice.
func (t *StreamTranslator) countServerCall(kind string, whole json.RawMessage) bool {
	if kind == BlockAdvisorToolResult {
		if AdviceOf(whole) == "" {
			return false
		}
		t.consulted++
		return true
	}
	if kind != "web_search_tool_result" && kind != "web_fetch_tool_result" {
		return false
	}
	var r struct {
		Content json.RawMessage `json:"content"`
	}
	if json.Unmarshal(whole, &r) != nil {
		return false
	}
	var failed struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(r.Content, &failed) == nil && strings.HasSuffix(failed.Type, "error") {
		return false
	}
	if kind == "web_search_tool_result" {
		t.searches++
	} else {
		t.fetches++
	}
	return true
}

// AdviceOf returns the advice of an advisor_tool_result block (its
// content's advisor_result text), "" for another block or an advisor
// error.
func AdviceOf(block json.RawMessage) string {
	var b struct {
		Type    string `json:"type"`
		Content struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"content"`
	}
	if json.Unmarshal(block, &b) != nil || b.Type != BlockAdvisorToolResult || b.Content.Type != "advisor_result" {
		return ""
	}
	return b.Content.Text
}

// AdvisorModel returns the advisor's model of the advisor tool among
// tools (its declaration's model), "" when there is none.
func AdvisorModel(tools []llm.Tool) string {
	for _, tl := range tools {
		if tl.Anthropic == nil || tl.Anthropic.Server == nil {
			continue
		}
		var v struct {
			Type  string `json:"type"`
			Model string `json:"model"`
		}
		if json.Unmarshal(tl.Anthropic.Server, &v) == nil && v.Type == AdvisorToolType {
			return v.Model
		}
	}
	return ""
}
