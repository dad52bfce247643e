package openai

import (
	"strings"
	"testing"
)

// splitWhole runs a splitter over pieces and returns the reasoning and
// text it gave, and how many bytes it held at the most after a piece.
func splitWhole(implicit bool, pieces ...string) (reasoning, text string, held int) {
	s := NewThinkSplit(implicit)
	var r, t strings.Builder
	for _, p := range pieces {
		pr, pt := s.Split(p)
		r.WriteString(pr)
		t.WriteString(pt)
		held = max(held, s.Held())
	}
	pr, pt := s.Flush()
	r.WriteString(pr)
	t.WriteString(pt)
	return r.String(), t.String(), held
}

// TestThinkSplit: a leading <think> block, after any whitespace, is the
// reasoning, and the rest, its leading whitespace dropped, the text; a
// reply without one is text as it came; a <think> later in the text is
// text; an unclosed block is reasoning to the end; with implicit set, a
// reply that does not open with the tag is reasoning up to its first
// </think>.
func TestThinkSplit(t *testing.T) {
	for _, tc := range []struct {
		name     string
		implicit bool
		in       string
		r, text  string
	}{
		{"block", false, "<think>\nLet me see.\n</think>\n\nHello.", "Let me see.\n", "Hello."},
		{"leading whitespace", false, "\n\n  <think>why</think>ok", "why", "ok"},
		{"no tags", false, "Hello <think> world", "", "Hello <think> world"},
		{"whitespace, no tags", false, "\n\nHello", "", "\n\nHello"},
		{"later tag is text", false, "Answer: <think>x</think> y", "", "Answer: <think>x</think> y"},
		{"second block is text", false, "<think>a</think>b<think>c</think>", "a", "b<think>c</think>"},
		{"never closed", false, "<think>thinking on and on", "thinking on and on", ""},
		{"partial open at end", false, "<thi", "", "<thi"},
		{"partial close at end", false, "<think>abc</thi", "abc</thi", ""},
		{"empty block", false, "<think>\n\n</think>\n\nHi", "", "Hi"},
		{"not a tag", false, "<thinking>no</thinking>", "", "<thinking>no</thinking>"},
		{"only whitespace", false, " \n", "", " \n"},
		{"empty", false, "", "", ""},
		{"json after", false, "<think>plan</think>\n{\"a\":1}", "plan", "{\"a\":1}"},
		{"implicit", true, "Reasoning here.\n</think>\n\nAnswer.", "Reasoning here.\n", "Answer."},
		{"implicit with tag", true, "<think>r</think>a", "r", "a"},
		{"implicit never closed", true, "all of it", "all of it", ""},
		{"implicit later open tag", true, "r <think> s</think>t", "r <think> s", "t"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, text, _ := splitWhole(tc.implicit, tc.in)
			if r != tc.r || text != tc.text {
				t.Errorf("whole: reasoning %q text %q, want %q %q", r, text, tc.r, tc.text)
			}
			pieces := make([]string, 0, len(tc.in))
			for i := range len(tc.in) {
				pieces = append(pieces, tc.in[i:i+1])
			}
			r, text, held := splitWhole(tc.implicit, pieces...)
			if r != tc.r || text != tc.text {
				t.Errorf("byte by byte: reasoning %q text %q, want %q %q", r, text, tc.r, tc.text)
			}
			if held > maxHeld {
				t.Errorf("held %d bytes", held)
			}
		})
	}
}

// TestThinkSplitFlushesChunkByChunk: the reasoning and the text come out
// with the chunk that brought them; only what may be a tag's start (and
// the whitespace before an opening one) waits for the next.
func TestThinkSplitFlushesChunkByChunk(t *testing.T) {
	s := NewThinkSplit(false)
	for i, st := range []struct{ in, r, text string }{
		{"\n<th", "", ""},
		{"ink>\n", "", ""},
		{"Hmm, ", "Hmm, ", ""},
		{"let me", "let me", ""},
		{" think.</", " think.", ""},
		{"thi", "", ""},
		{"nk>\n\nThe", "", "The"},
		{" answer </think>", "", " answer </think>"},
	} {
		r, text := s.Split(st.in)
		if r != st.r || text != st.text {
			t.Errorf("step %d %q: reasoning %q text %q, want %q %q", i, st.in, r, text, st.r, st.text)
		}
	}
}

// TestThinkTagsModel: the ids known to write <think> blocks in their
// content, with or without a host's vendor prefix or a quantization tag.
func TestThinkTagsModel(t *testing.T) {
	for id, want := range map[string]bool{
		"deepseek-r1": true, "deepseek-ai/DeepSeek-R1-0528": true, "deepseek-r1:14b": true,
		"DeepSeek-R1-Distill-Qwen-32B": true, "@cf/deepseek-ai/deepseek-r1-distill-qwen-32b": true,
		"Qwen/QwQ-32B": true, "qwq:32b": true, "Qwen/Qwen3-235B-A22B-Thinking-2507": true, "qwen3:8b": true,
		"MiniMaxAI/MiniMax-M2": true, "minimax-m2.1": true, "zai-org/GLM-4.5-Air": true, "glm-4.6": true, "THUDM/GLM-Z1-32B-0414": true,
		"deepseek-chat": false, "gpt-4o": false, "qwen-plus": false, "llama-3.3-70b": false, "glm-4-9b-chat": false,
	} {
		if got := ThinkTagsModel(id); got != want {
			t.Errorf("ThinkTagsModel(%q) = %v", id, got)
		}
	}
}

// A prefill ends inside the block when it opens one and does not close
// it; a splitter for its continuation reads reasoning up to the </think>
// (cut anywhere), whitespace and all, then text.
func TestThinkSplitInBlock(t *testing.T) {
	for prefill, want := range map[string]bool{
		"<think>\nThe user":        true,
		"  <think>":                true,
		"<think>a</think>\n\nText": false,
		"Text":                     false,
		"Text <think>":             false,
	} {
		if got := InBlock(prefill); got != want {
			t.Errorf("InBlock(%q) = %v", prefill, got)
		}
	}
	const rest = " asks.\n</think>\n\nNo."
	for cut := 0; cut <= len(rest); cut++ {
		s := NewThinkSplitInBlock()
		r1, t1 := s.Split(rest[:cut])
		r2, t2 := s.Split(rest[cut:])
		fr, ft := s.Flush()
		if r, text := r1+r2+fr, t1+t2+ft; r != " asks.\n" || text != "No." {
			t.Errorf("cut at %d: reasoning %q, text %q", cut, r, text)
		}
	}
}
