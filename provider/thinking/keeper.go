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

// Filter records what chunks hold and returns them, without the
// thinking-only chunks when the client does not show thinking. It reuses
// chunks' array.
func (k *Keeper) Filter(chunks []*llm.Chunk) []*llm.Chunk {
	out := chunks[:0]
	for _, ch := range chunks {
		thinkingOnly := false
		for i := range ch.Choices {
			d := &ch.Choices[i].Delta
			if d.Thinking != nil {
				k.addThinking(d.Thinking)
				thinkingOnly = len(ch.Choices) == 1
			}
			for _, tc := range d.ToolCalls {
				if tc.ID != "" {
					k.calls = append(k.calls, tc.ID)
				}
			}
		}
		if thinkingOnly && !k.show {
			continue
		}
		out = append(out, ch)
	}
	return out
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
