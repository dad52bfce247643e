package openai

import (
	"context"

	"switchyard/llm"
	"switchyard/provider/thinking"
	wire "switchyard/wire/openai"
)

// chatThinking readies dec for the reasoning an OpenAI-compatible host
// writes beside a chat answer (reasoning_content or reasoning, which
// decode as thinking): it reaches a client that shows it (a Chat
// Completions client, req.ShowsReasoningText; one whose Reasoning.Show
// asks for it), and is dropped for any other. For a host that wants it
// back (wire.SendsReasoningContent, or as <think> tags in the content:
// wire.SendsThinkTags) an answer that calls tools leaves it in
// the thinking memory too, under the calls' ids, so that the loop's next
// turn gets it back when its client did not send it (thinking.Memory's
// Restore). On a host that writes reasoning_details (sendsDetails) the
// stream's are merged into a block on the answer (addDetails), kept so
// too. For a host that wants thought signatures back (sendsSignatures)
// it keeps those of the answer's tool calls too.
func (c *Client) chatThinking(ctx context.Context, req *llm.Request, dec *decoder) {
	show := chatShowsThinking(req)
	if c.sendsSignatures(req) {
		dec.sigModel = llm.SignatureModelID(req.ModelID())
	}
	if c.thoughts != nil && len(req.Tools) > 0 && c.sendsSignatures(req) {
		dec.signatures, dec.scope = c.thoughts, thinking.Scope(ctx)
	}
	if c.sendsDetails(req) {
		dec.details = &detailsState{}
	}
	if c.thoughts != nil && len(req.Tools) > 0 && (wire.SendsReasoningContent(req) || wire.SendsThinkTags(req) || dec.details != nil) {
		dec.keep = thinking.NewKeeper(c.thoughts, thinking.Scope(ctx), show)
		return
	}
	dec.hide = !show
}

// chatShowsThinking reports whether the client of req, sent to Chat
// Completions, sees the reasoning beside the answer.
func chatShowsThinking(req *llm.Request) bool {
	return !req.HideReasoning && (req.ShowsReasoningText || req.Reasoning != nil && req.Reasoning.Show)
}

// filterThinking appends ch to out as chatThinking decided: its thinking
// recorded by the keeper, or dropped when hidden (and ch with it when it
// held nothing else).
func (d *decoder) filterThinking(out []*llm.Chunk, ch *llm.Chunk) []*llm.Chunk {
	switch {
	case d.keep != nil:
		n := len(out)
		out = append(out, ch)
		return append(out[:n], d.keep.Filter(out[n:])...)
	case d.hide && thinks(ch) && !thinking.Strip(ch):
		return out
	}
	return append(out, ch)
}

// keepThinking keeps the thinking of an answer that ended well.
func (d *decoder) keepThinking() {
	if d.keep != nil {
		d.keep.Keep()
	}
}

// thinks reports whether a choice of ch carries thinking.
func thinks(ch *llm.Chunk) bool {
	for i := range ch.Choices {
		if ch.Choices[i].Delta.Thinking != nil {
			return true
		}
	}
	return false
}
