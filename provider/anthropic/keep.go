package anthropic

import (
	"switchyard/llm"
	"switchyard/provider/thinking"
)

// keeper collects the thinking and the tool call ids of a streamed
// answer, so that a thinking answer that calls tools leaves its thinking
// in the memory (see switchyard/provider/thinking) for the loop's next
// turn. It sees the thinking deltas whether or not the client shows them,
// and drops them from the stream when it does not.
type keeper struct {
	mem    *thinking.Memory
	scope  string
	show   bool // the client asked to see the thinking: pass it on
	blocks []llm.Thinking
	calls  []string
	kept   bool
}

// filter records what chunks hold and returns them, without the
// thinking-only chunks when the client does not show thinking.
func (k *keeper) filter(chunks []*llm.Chunk) []*llm.Chunk {
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

func (k *keeper) addThinking(td *llm.ThinkingDelta) {
	for len(k.blocks) <= td.Index {
		k.blocks = append(k.blocks, llm.Thinking{})
	}
	b := &k.blocks[td.Index]
	b.Text += td.Text
	b.Signature += td.Signature
	b.Redacted += td.Redacted
}

// keep puts the answer's thinking in the memory under its tool calls'
// ids, once, when it has both.
func (k *keeper) keep() {
	if k.kept || len(k.calls) == 0 || len(k.blocks) == 0 {
		return
	}
	k.kept = true
	k.mem.Keep(k.scope, k.calls, k.blocks)
}
