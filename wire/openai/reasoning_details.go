package openai

import (
	"encoding/json"
	"strings"

	"switchyard/llm"
)

// OpenRouter (openrouter.ai/api/v1) writes a reasoning model's reasoning
// beside the answer twice: as text ("reasoning", reasoning_content.go)
// and as "reasoning_details", an array of typed objects —
// reasoning.summary {summary}, reasoning.encrypted {data},
// reasoning.text {text, signature} — each with id, format and index; on
// a stream, each delta carries the pieces of that array, pieces of one
// index to be joined (openrouter.ai/docs/guides/best-practices/
// reasoning-tokens, "Preserving reasoning blocks"). Its docs ask that
// they be passed back unmodified on the assistant message for tool
// calling with Gemini 3, Claude and OpenAI's reasoning models; Gemini 3
// refuses a loop without them: 400 {"error": {"message": "Provider
// returned error", "code": 400, "metadata": {"raw": "Gemini models
// require OpenRouter reasoning details to be preserved in each request.
// …"}}} (peers: RooCodeInc/Roo-Code#10307, LibreChat-AI/agents#37,
// musistudio/claude-code-router#1081).
//
// The codec reads a message's reasoning_details into one opaque thinking
// block (llm.OpenRouterReasoning) after its reasoning text; a stream's
// pieces are merged by the OpenAI adapter (MergeReasoningDetails), which
// puts the block on the answer. It writes the block back as the
// message's (or a delta's) reasoning_details to a Chat Completions
// client, and to an upstream only when asked
// (ChatOptions.ReasoningDetails): OpenAI's API refuses members it does
// not know.

const keyReasoningDetails = "reasoning_details"

// readDetails consumes a reasoning_details value: an array is kept as
// it was written (compacted onto one line), anything else skipped.
func (r *reasoningField) readDetails(s *scanner) error {
	if s.peek() != '[' {
		return s.skip()
	}
	raw, err := s.rawOutput()
	if err == nil && string(raw) != "[]" {
		r.details = string(raw)
	}
	return err
}

// openRouterDetails returns the reasoning_details m's thinking carries,
// "" for none.
func openRouterDetails(m *llm.Message) string {
	th := m.Thinking()
	for i := range th {
		if d, ok := th[i].OpenRouterDetails(); ok {
			return d
		}
	}
	return ""
}

// appendDetails writes m's reasoning_details member, when it has one.
func appendDetails(dst []byte, m *llm.Message) []byte {
	if d := openRouterDetails(m); d != "" {
		dst = append(appendKey(dst, keyReasoningDetails), d...)
	}
	return dst
}

// ChoiceDetails is the reasoning_details pieces of one choice's delta.
type ChoiceDetails struct {
	Choice int // the choice's index
	Pieces []json.RawMessage
}

// ReasoningDetailsOf returns the reasoning_details pieces of each
// choice's delta in a chat.completion.chunk payload (an answer of n > 1
// has several), nil for none. For the OpenAI adapter, which merges a
// stream's pieces choice by choice (MergeReasoningDetails) on a host that
// writes them.
func ReasoningDetailsOf(data []byte) []ChoiceDetails {
	var c struct {
		Choices []struct {
			Index int `json:"index"`
			Delta struct {
				Details []json.RawMessage `json:"reasoning_details"`
			} `json:"delta"`
		} `json:"choices"`
	}
	if json.Unmarshal(data, &c) != nil {
		return nil
	}
	var out []ChoiceDetails
	for _, ch := range c.Choices {
		if len(ch.Delta.Details) > 0 {
			out = append(out, ChoiceDetails{Choice: ch.Index, Pieces: ch.Delta.Details})
		}
	}
	return out
}

// MergeReasoningDetails folds a stream's reasoning_details pieces into
// details, the array so far: a piece whose index and type match an
// entry's has its text, summary and data appended to the entry's and its
// other members set; any other is a new entry. Pieces that are not
// objects are dropped.
func MergeReasoningDetails(details []map[string]json.RawMessage, pieces []json.RawMessage) []map[string]json.RawMessage {
	for _, p := range pieces {
		var obj map[string]json.RawMessage
		if json.Unmarshal(p, &obj) != nil || obj == nil {
			continue
		}
		at := -1
		for i, d := range details {
			if string(d["index"]) == string(obj["index"]) && string(d["type"]) == string(obj["type"]) {
				at = i
			}
		}
		if at < 0 || len(details) >= maxDetails {
			if len(details) < maxDetails {
				details = append(details, obj)
			}
			continue
		}
		for k, v := range obj {
			details[at][k] = joined(details[at][k], v, k)
		}
	}
	return details
}

// maxDetails bounds the entries one answer's reasoning_details keeps.
const maxDetails = 256

// joined is the value of member k after a piece's v: text, summary and
// data strings appended to the entry's, any other member (and a null)
// the piece's unless null.
func joined(old, v json.RawMessage, k string) json.RawMessage {
	if string(v) == "null" {
		if old != nil {
			return old
		}
		return v
	}
	if k != "text" && k != "summary" && k != "data" {
		return v
	}
	var a, b string
	if json.Unmarshal(old, &a) != nil || json.Unmarshal(v, &b) != nil {
		return v
	}
	out, _ := json.Marshal(a + b)
	return out
}

// DetailsBlock returns the thinking block of merged reasoning_details,
// and false for none.
func DetailsBlock(details []map[string]json.RawMessage) (llm.Thinking, bool) {
	if len(details) == 0 {
		return llm.Thinking{}, false
	}
	b, err := json.Marshal(details)
	if err != nil {
		return llm.Thinking{}, false
	}
	return llm.OpenRouterReasoning(string(b)), true
}

// isDetailsDelta reports whether a thinking delta carries a whole
// reasoning_details block (DetailsBlock), which a Chat Completions client
// gets as the delta's reasoning_details.
func isDetailsDelta(td *llm.ThinkingDelta) (string, bool) {
	if td == nil {
		return "", false
	}
	return strings.CutPrefix(td.Redacted, "openrouter-reasoning:")
}
