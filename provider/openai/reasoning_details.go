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

// detailsState merges a stream's reasoning_details pieces into the
// block each choice's answer carries (an answer of n > 1 has several).
type detailsState struct {
	choices map[int]*choiceDetails
}

// choiceDetails is one choice's merged pieces so far.
type choiceDetails struct {
	merged []map[string]json.RawMessage
	// text reports that the choice carried reasoning text, its answer's
	// first thinking block: the details block comes after it.
	text bool
}

// maxDetailChoices bounds the choices whose reasoning_details a stream
// keeps (OpenAI's n is at most 128).
const maxDetailChoices = 128

// of returns choice i's state, made when new; nil past maxDetailChoices.
func (st *detailsState) of(i int) *choiceDetails {
	if c := st.choices[i]; c != nil {
		return c
	}
	if len(st.choices) >= maxDetailChoices {
		return nil
	}
	if st.choices == nil {
		st.choices = make(map[int]*choiceDetails, 1)
	}
	c := &choiceDetails{}
	st.choices[i] = c
	return c
}

var keyDetails = []byte(`"reasoning_details"`)

// addDetails merges the reasoning_details pieces of the payload data,
// choice by choice; out holds ch, the chunk it decoded to, last. For
// each choice ch finishes, a chunk carrying its merged block
// (llm.OpenRouterReasoning) goes before it, so that accumulators and
// clients see it before the end.
func (d *decoder) addDetails(data []byte, ch *llm.Chunk, out []*llm.Chunk) []*llm.Chunk {
	st := d.details
	if bytes.Contains(data, keyDetails) || wire.EscapesLetter(data) { // an escape may spell the key
		for _, cd := range wire.ReasoningDetailsOf(data) {
			if c := st.of(cd.Choice); c != nil {
				c.merged = wire.MergeReasoningDetails(c.merged, cd.Pieces)
			}
		}
	}
	var carriers []*llm.Chunk
	for i := range ch.Choices {
		cc := &ch.Choices[i]
		if td := cc.Delta.Thinking; td != nil && td.Text != "" {
			if c := st.of(cc.Index); c != nil {
				c.text = true
			}
		}
		c := st.choices[cc.Index]
		if cc.FinishReason == "" || c == nil {
			continue
		}
		block, ok := wire.DetailsBlock(c.merged)
		if !ok {
			continue
		}
		c.merged = nil
		index := 0
		if c.text {
			index = 1
		}
		carriers = append(carriers, &llm.Chunk{ID: ch.ID, Model: ch.Model, Created: ch.Created, SystemFingerprint: ch.SystemFingerprint,
			Choices: []llm.ChunkChoice{{Index: cc.Index, Delta: llm.Delta{Thinking: &llm.ThinkingDelta{Index: index, Redacted: block.Redacted}}}}})
	}
	if len(carriers) == 0 {
		return out
	}
	n := len(out) - 1
	last := out[n]
	return append(append(out[:n], carriers...), last)
}
