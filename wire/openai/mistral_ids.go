package openai

import (
	"hash/fnv"
	"strings"

	"switchyard/llm"
)

// Mistral's models take only tool call ids of exactly nine letters and
// digits: Mistral's API (and vLLM or Ollama serving a Mistral model with
// mistral_common) answers 400 "Tool call id was call_0fypS1hVX but must be
// a-z, A-Z, 0-9, with a length of 9." (peers' threads: langchain#24668,
// opencode#1680, gptel#1203, ironclaw#1241). A conversation begun on
// another provider (OpenAI's call_…, Claude's toolu_…) and routed to a
// Mistral model would fail at its first tool result, so its ids are
// rewritten on the way (MistralToolIDs).

// mistralFamilies are the model-name prefixes of Mistral AI's models.
var mistralFamilies = []string{"mistral", "open-mistral", "mixtral", "open-mixtral", "codestral", "devstral", "magistral", "ministral", "pixtral", "voxtral"}

// MistralModel reports whether model (an id, with or without a host's
// "vendor/" prefix) is one of Mistral AI's.
func MistralModel(model string) bool {
	m := modelID(model)
	for _, f := range mistralFamilies {
		if strings.HasPrefix(m, f) {
			return true
		}
	}
	return false
}

// MistralToolID is id as a Mistral model takes it: id itself when it is
// nine letters and digits, else nine base-62 digits of a 64-bit hash of id,
// the same for the call and its result.
func MistralToolID(id string) string {
	if mistralID(id) {
		return id
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(id))
	v := h.Sum64()
	const digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	var b [9]byte
	for i := range b {
		b[i] = digits[v%62]
		v /= 62
	}
	return string(b[:])
}

func mistralID(id string) bool {
	if len(id) != 9 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// MistralToolIDs returns msgs with every tool call id and tool_call_id a
// Mistral model would refuse rewritten (MistralToolID); msgs itself, not a
// copy, when none needs it. msgs is never changed.
func MistralToolIDs(msgs []llm.Message) []llm.Message {
	if !needsMistralIDs(msgs) {
		return msgs
	}
	out := make([]llm.Message, len(msgs))
	copy(out, msgs)
	for i := range out {
		m := &out[i]
		if calls := m.ToolCalls(); len(calls) > 0 {
			mapped := make([]llm.ToolCall, len(calls))
			copy(mapped, calls)
			for j := range mapped {
				mapped[j].ID = MistralToolID(mapped[j].ID)
			}
			m.SetToolCalls(mapped) // copy on write: msgs keeps its calls
		}
		if id := m.ToolCallID(); id != "" {
			m.SetToolCallID(MistralToolID(id))
		}
	}
	return out
}

func needsMistralIDs(msgs []llm.Message) bool {
	for i := range msgs {
		m := &msgs[i]
		if id := m.ToolCallID(); id != "" && !mistralID(id) {
			return true
		}
		for _, c := range m.ToolCalls() {
			if !mistralID(c.ID) {
				return true
			}
		}
	}
	return false
}
