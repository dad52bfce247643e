package responses

// This file reads the end of an upstream's Responses API event stream:
// the finish reason and the usage (see upstream_events.go).

import (
	"fmt"

	"switchyard/llm"
)

// finish appends the finish and usage chunks of a terminal event.
func (d *UpstreamDecoder) finish(ev *upstreamEvent, out []*llm.Chunk) ([]*llm.Chunk, bool, error) {
	r := ev.Response
	if r == nil {
		return out, false, fmt.Errorf("%w: %s without its response", ErrUpstreamEvent, ev.Type)
	}
	d.done = true
	if r.Model != "" {
		d.model = r.Model
	}
	if d.id == "" {
		d.id = r.ID
	}
	if d.created == 0 && r.CreatedAt > 0 {
		d.created = r.CreatedAt
	}
	reason := llm.FinishStop
	switch {
	case ev.Type == "response.incomplete" && r.IncompleteDetails != nil && r.IncompleteDetails.Reason == "content_filter":
		reason = llm.FinishContentFilter
	case ev.Type == "response.incomplete":
		reason = llm.FinishLength
	case len(d.calls) > 0:
		reason = llm.FinishToolCalls
	}
	ch := d.chunk()
	ch.Choices[0].FinishReason = reason
	ch.ServiceTier = llm.ServiceTier(r.ServiceTier)
	if !isNull(r.Moderation) {
		ch.Choices[0].Stop = &llm.FinishDetails{Moderation: string(r.Moderation)}
	}
	out = append(out, ch)
	if usage := d.usageOf(r); usage != nil {
		out = append(out, &llm.Chunk{ID: d.id, Model: d.model, Created: d.createdAt(), Usage: usage, ServiceTier: usage.ServiceTier})
	}
	return out, true, nil
}

// usageOf is the usage response r reports, with the hosted tool calls
// the stream made; nil when it reports none.
func (d *UpstreamDecoder) usageOf(r *upstreamResponse) *llm.Usage {
	u := r.Usage
	if u == nil {
		return nil
	}
	usage := &llm.Usage{
		PromptTokens: u.InputTokens, CachedPromptTokens: u.InputTokensDetails.CachedTokens,
		CompletionTokens: u.OutputTokens, ReasoningTokens: u.OutputTokensDetails.ReasoningTokens,
		TotalTokens: u.TotalTokens, ServiceTier: llm.ServiceTier(r.ServiceTier),
	}
	d.billed.AddTo(usage)
	return usage
}

// failedUsage appends, for a response.failed event whose response reports
// its usage (r nil: none), a chunk carrying it as the usage so far
// (llm.Chunk.UsageSoFar): the error that follows ends the stream, and the
// attempt is billed the upstream's own counts of what it did before it
// failed, not an estimate.
func (d *UpstreamDecoder) failedUsage(r *upstreamResponse, out []*llm.Chunk) []*llm.Chunk {
	if r == nil {
		return out
	}
	usage := d.usageOf(r)
	if usage == nil {
		return out
	}
	return append(out, &llm.Chunk{ID: d.id, Model: d.model, Created: d.createdAt(), UsageSoFar: usage, ServiceTier: usage.ServiceTier})
}
