package thinking

import "switchyard/llm"

// Keeper collects the thinking and the tool call ids of one streamed
// answer, so that a thinking answer that calls tools leaves its thinking
// in the Memory for the loop's next turn (Claude's thinking blocks, an
// OpenAI Responses API deployment's reasoning items). It sees the
// thinking deltas whether or not the client shows them, and drops them
// from the stream when it does not. A Keeper is used by one goroutine.
type Keeper struct {
	mem    *Memory
	scope  string
	show   bool // the client asked to see the thinking: pass it on
	blocks []llm.Thinking
	calls  []string
	kept   bool
}

// NewKeeper returns the Keeper of an answer streamed in scope into mem
// (nil keeps nothing); show passes the thinking on to the client.
func NewKeeper(mem *Memory, scope string, show bool) *Keeper {
	return &Keeper{mem: mem, scope: scope, show: show}
}

// Filter records what chunks hold and returns them, without their
// thinking when the client does not show it (Strip: a chunk that held
// thinking alone is left out). It reuses chunks' array.
func (k *Keeper) Filter(chunks []*llm.Chunk) []*llm.Chunk {
	out := chunks[:0]
	for _, ch := range chunks {
		thought := false
		for i := range ch.Choices {
			d := &ch.Choices[i].Delta
			if d.Thinking != nil {
				k.addThinking(d.Thinking)
				thought = true
			}
			for _, tc := range d.ToolCalls {
				if tc.ID != "" {
					k.calls = append(k.calls, tc.ID)
				}
			}
		}
		if thought && !k.show && !Strip(ch) {
			continue
		}
		out = append(out, ch)
	}
	return out
}

// Strip removes the thinking from ch's choices and reports whether ch
// still carries anything else: a role, text, a refusal, tool calls, a
// text block or output, a finish, logprobs, usage or a resume note. A
// chunk that carried thinking alone is to be left out of the stream.
func Strip(ch *llm.Chunk) bool {
	rest := ch.Usage != nil || ch.UsageSoFar != nil || ch.Resumed != nil
	for i := range ch.Choices {
		c := &ch.Choices[i]
		d := &c.Delta
		d.Thinking = nil
		rest = rest || d.Role != "" || d.Content != "" || d.Refusal != "" || len(d.ToolCalls) > 0 ||
			d.TextBlock != nil || d.Output != nil || c.FinishReason != "" || c.Stop != nil || c.Logprobs != nil
	}
	return rest
}

func (k *Keeper) addThinking(td *llm.ThinkingDelta) {
	for len(k.blocks) <= td.Index {
		k.blocks = append(k.blocks, llm.Thinking{})
	}
	b := &k.blocks[td.Index]
	b.Text += td.Text
	b.Signature += td.Signature
	b.Redacted += td.Redacted
}

// Keep puts the answer's thinking in the memory under its tool calls'
// ids, once, when it has both.
func (k *Keeper) Keep() {
	if k.kept || len(k.calls) == 0 || len(k.blocks) == 0 {
		return
	}
	k.kept = true
	k.mem.Keep(k.scope, k.calls, k.blocks)
}
