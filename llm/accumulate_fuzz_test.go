package llm

import (
	"strings"
	"testing"
)

// FuzzAccumulator feeds the Accumulator chunks built from arbitrary bytes:
// each pair of bytes chooses a choice index (some out of range), a tool call
// index (and a provider block index) and a piece of text. It must never
// panic, each choice's text must be the concatenation of the pieces sent to
// it, in order, and its provider blocks stand in order within it.
func FuzzAccumulator(f *testing.F) {
	f.Add([]byte{0, 0, 1, 1, 0, 2, 1, 3}, "hello")
	f.Add([]byte{2, 0, 0, 0, 1, 0, 255, 255, 128, 7}, "a,b,c,d,e")
	f.Add([]byte{}, "")
	f.Add([]byte{1, 200, 1, 200, 0, 1}, "x")
	f.Fuzz(func(t *testing.T, plan []byte, text string) {
		const choices = 4
		var a Accumulator
		want := make([]strings.Builder, choices)
		var top int = -1
		for i := 0; i+1 < len(plan); i += 2 {
			idx := int(int8(plan[i])) // negative and out-of-range indices too
			piece := text
			if n := len(text); n > 0 {
				piece = text[:int(plan[i+1])%(n+1)]
			}
			tc := int(plan[i+1]) - 128
			c := Chunk{ID: "c", Choices: []ChunkChoice{{Index: idx, Delta: Delta{Content: piece,
				ToolCalls: []ToolCallDelta{{Index: tc, Arguments: piece}},
				Output:    &OutputDelta{Block: &BlockDelta{Index: tc / 16, Start: []byte(`{"type":"x"}`), Input: piece}}}}}}
			a.Add(&c)
			if idx >= 0 && idx < choices {
				want[idx].WriteString(piece)
			}
			if idx >= 0 && idx < MaxChoices && idx > top {
				top = idx
			}
		}
		r := a.Response()
		if len(r.Choices) != top+1 {
			t.Fatalf("%d choices, want %d", len(r.Choices), top+1)
		}
		for i := 0; i < choices && i < len(r.Choices); i++ {
			m := &r.Choices[i].Message
			if got := m.Text(); got != want[i].String() {
				t.Fatalf("choice %d text %q, want %q", i, got, want[i].String())
			}
			for j, b := range m.Blocks() { // blocks in order, each within the text
				if b.At < 0 || b.At > len(m.Text()) || j > 0 && b.At < m.Blocks()[j-1].At || len(b.Raw) == 0 {
					t.Fatalf("choice %d block %d: %+v", i, j, b)
				}
			}
		}
	})
}
