package gateway

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// stripStream runs text through a fenceStripper cut into pieces at the
// given offsets, the last piece with a finish reason unless unfinished,
// and returns what went out.
func stripStream(text string, cuts []int, unfinished bool) string {
	var f fenceStripper
	var out strings.Builder
	prev := 0
	for i, at := range append(cuts, len(text)) {
		c := &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: text[prev:at]}}}}
		if i == len(cuts) && !unfinished {
			c.Choices[0].FinishReason = llm.FinishStop
		}
		f.chunk(c)
		out.WriteString(c.Choices[0].Delta.Content)
		prev = at
	}
	if last := f.flush(); last != nil {
		out.WriteString(last.Choices[0].Delta.Content)
	}
	return out.String()
}

// TestFenceStripper: a fenced JSON answer streams out as the bare JSON
// wherever the chunks are cut; anything else streams out unchanged.
func TestFenceStripper(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"```json\n{\"a\": 1}\n```", `{"a": 1}`},
		{"```json\n{\"a\": 1}\n```\n", `{"a": 1}`},
		{"\n```JSON\n[1, 2]\n```", `[1, 2]`},
		{"```\n{\"code\": \"use ``x`` here\"}\n```", "{\"code\": \"use ``x`` here\"}"},
		{"{\"a\": 1}", `{"a": 1}`},
		{"  {\"a\": \"```\"}  ", "  {\"a\": \"```\"}  "},
		{"```json\n{\"a\": 1}", `{"a": 1}`},                  // never closed
		{"```{\"a\": 1}```", "```{\"a\": 1}```"},             // one line: not taken for a fence
		{"Sure! ```json\n{}\n```", "Sure! ```json\n{}\n```"}, // prose first
		{"`x`", "`x`"}, // a backtick, not a fence
		{"", ""},
	} {
		for cut := 0; cut <= len(tt.in); cut++ {
			for cut2 := cut; cut2 <= len(tt.in); cut2 += 3 {
				if got := stripStream(tt.in, []int{cut, cut2}, false); got != tt.want {
					t.Fatalf("%q cut at %d, %d: %q, want %q", tt.in, cut, cut2, got, tt.want)
				}
			}
		}
		if got := stripStream(tt.in, []int{len(tt.in) / 2}, true); got != tt.want {
			t.Errorf("%q without a finish reason: %q, want %q", tt.in, got, tt.want)
		}
	}
}
