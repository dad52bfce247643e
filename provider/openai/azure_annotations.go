package openai

import (
	"bytes"
	"encoding/json"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// azureOffsets marks an annotation chunk of Azure OpenAI's Asynchronous
// Filter (its "Content streaming" documentation): empty id, object and
// model, created 0, and choices with no delta but the content filter's
// results and the offsets of the text they cover.
var azureOffsets = []byte(`"content_filter_offsets"`)

// azureAnnotation reports whether ch, decoded from data, is an
// Asynchronous Filter annotation chunk, and makes it what a client of
// OpenAI's shape may see: nothing, or, where the filter cut a choice
// (finish_reason content_filter on the annotation, in place of the
// choice's finish chunk), that choice's finish with the stream's id,
// model, created and fingerprint (prev's, the last chunk). It reports
// whether anything of ch is left to send.
func azureAnnotation(data []byte, ch, prev *llm.Chunk) bool {
	if ch.ID != "" || !hasFilterOffsets(data) {
		return true
	}
	kept := ch.Choices[:0]
	for _, c := range ch.Choices {
		if c.FinishReason != "" && c.FinishReason != "null" {
			kept = append(kept, llm.ChunkChoice{Index: c.Index, FinishReason: c.FinishReason, Stop: c.Stop})
		}
	}
	ch.Choices = kept
	if len(kept) == 0 {
		return false
	}
	if prev != nil {
		ch.ID, ch.Model, ch.Created, ch.SystemFingerprint, ch.ServiceTier = prev.ID, prev.Model, prev.Created, prev.SystemFingerprint, prev.ServiceTier
	}
	return true
}

// hasFilterOffsets reports whether a choice of the chunk data carries
// content_filter_offsets: the key written plainly, or, in data holding a
// \u escape of a letter (which may spell it), as encoding/json reads it.
func hasFilterOffsets(data []byte) bool {
	if bytes.Contains(data, azureOffsets) {
		return true
	}
	if !wire.EscapesLetter(data) {
		return false
	}
	var c struct {
		Choices []struct {
			Offsets json.RawMessage `json:"content_filter_offsets"`
		} `json:"choices"`
	}
	if json.Unmarshal(data, &c) != nil {
		return false
	}
	for _, ch := range c.Choices {
		if len(ch.Offsets) > 0 {
			return true
		}
	}
	return false
}
