package openai

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// OpenRouterURL reports whether a base_url is OpenRouter's
// (openrouter.ai), whose reasoning models write reasoning_details and
// want them back on the assistant messages of a tool loop (wire/openai's
// reasoning_details.go).
func OpenRouterURL(u *url.URL) bool {
	return strings.EqualFold(u.Hostname(), "openrouter.ai")
}

// sendsDetails reports whether req's assistant messages are sent their
// reasoning_details: as its deployment's reasoning_details says, else on
// OpenRouter.
func (c *Client) sendsDetails(req *llm.Request) bool {
	return req.ReasoningDetails.Sends(c.openRouter)
}

// detailsState merges a stream's reasoning_details pieces (choice 0's)
// into the block the answer carries.
type detailsState struct {
	merged []map[string]json.RawMessage
	// text reports that the stream carried reasoning text, the answer's
	// first thinking block: the details block comes after it.
	text bool
}

var keyDetails = []byte(`"reasoning_details"`)

// addDetails merges the reasoning_details pieces of the payload data;
// out holds ch, the chunk it decoded to, last. When ch finishes choice 0,
// a chunk carrying the merged block (llm.OpenRouterReasoning) goes before
// it, so that accumulators and clients see it before the end.
func (d *decoder) addDetails(data []byte, ch *llm.Chunk, out []*llm.Chunk) []*llm.Chunk {
	st := d.details
	if bytes.Contains(data, keyDetails) {
		st.merged = wire.MergeReasoningDetails(st.merged, wire.ReasoningDetailsOf(data))
	}
	finished := false
	for i := range ch.Choices {
		c := &ch.Choices[i]
		if c.Index != 0 {
			continue
		}
		if td := c.Delta.Thinking; td != nil && td.Text != "" {
			st.text = true
		}
		finished = c.FinishReason != ""
	}
	block, ok := wire.DetailsBlock(st.merged)
	if !finished || !ok {
		return out
	}
	st.merged = nil
	index := 0
	if st.text {
		index = 1
	}
	carrier := &llm.Chunk{ID: ch.ID, Model: ch.Model, Created: ch.Created, SystemFingerprint: ch.SystemFingerprint,
		Choices: []llm.ChunkChoice{{Index: 0, Delta: llm.Delta{Thinking: &llm.ThinkingDelta{Index: index, Redacted: block.Redacted}}}}}
	n := len(out) - 1
	return append(out[:n], carrier, out[n])
}
