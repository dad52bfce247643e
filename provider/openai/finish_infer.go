package openai

import (
	"cmp"
	"log/slog"
	"slices"

	"switchyard/llm"
)

// inferFinish closes, after "data: [DONE]", the choices that never carried
// a finish_reason but made tool calls: the upstream said the stream is
// whole, and a call is an answer (NVIDIA NIM serving GLM ends its
// tool-calling turns so, earendil-works/pi#6226). Each such choice gets a
// finish chunk of tool_calls of its own, and the inference is logged. It
// reports false, inferring nothing, when no chunk carried any of the
// answer (a role at most) or when an open choice made no call: text cut
// short and then a [DONE] (a proxy closing a failed stream politely) is
// a cut stream whatever its end says — resumed or failed over, never
// relayed as a whole answer that stopped.
func (d *decoder) inferFinish(out []*llm.Chunk) ([]*llm.Chunk, bool) {
	if !d.answered {
		return out, false
	}
	var open []int
	if d.first == choiceOpen {
		open = append(open, 0)
	}
	for i, o := range d.open {
		if o {
			open = append(open, i)
		}
	}
	for _, i := range open {
		if d.slots[i] == nil {
			return out, false // text without its finish: cut
		}
	}
	slices.Sort(open)
	var base llm.Chunk
	if d.prev != nil {
		base = llm.Chunk{ID: d.prev.ID, Model: d.prev.Model, Created: d.prev.Created,
			SystemFingerprint: d.prev.SystemFingerprint, ServiceTier: d.prev.ServiceTier}
	}
	for _, i := range open {
		reason := llm.FinishToolCalls
		ch := base
		ch.Choices = []llm.ChunkChoice{{Index: i, FinishReason: reason}}
		out = append(out, &ch)
		d.track(i, true)
		cmp.Or(d.log, slog.Default()).Warn(`upstream ended a stream with "data: [DONE]" but no finish_reason; finish_reason inferred`,
			"provider", d.name, "model", base.Model, "choice", i, "finish_reason", string(reason))
	}
	return out, true
}
