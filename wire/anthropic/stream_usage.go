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
// whose counts only message_delta's iterations have); or once
// message_delta came, its counts whole.
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
	return u
}

// countServerCall counts the server tool result whole (a block as
// received, kind its type) that Anthropic bills: a web search's or web
// fetch's whose content is not an error (a failed search is not billed).
func (t *StreamTranslator) countServerCall(kind string, whole json.RawMessage) bool {
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
