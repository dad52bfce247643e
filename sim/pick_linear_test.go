package sim

import (
	"strconv"
	"strings"
	"testing"

	"switchyard/internal/alloctest"
)

// Picking the tools a prompt names costs bytes linear in the request: the
// prompt was lowercased once per tool, so n tools and a prompt of n words
// allocated n² (4,000 of each some 250 times what 250 did; some 16 now).
func TestPickToolsCostsLinearBytes(t *testing.T) {
	ask := func(n int) Ask {
		a := Ask{Prompt: strings.Repeat("Call Tool_7 please ", n)}
		for i := range n {
			a.Tools = append(a.Tools, ToolSpec{Name: "tool_" + strconv.Itoa(i)})
		}
		return a
	}
	small, large := ask(250), ask(4000)
	if got := pickTools(small); len(got) != 1 || got[0].Name != "tool_7" {
		t.Fatalf("picked %v, want tool_7", got)
	}
	sb := alloctest.Bytes(2, func() { pickTools(small) })
	lb := alloctest.Bytes(2, func() { pickTools(large) })
	if ratio := float64(lb) / float64(max(sb, 1)); ratio > 60 {
		t.Errorf("250 tools and words: %d bytes allocated, 4000: %d (%.0f times for 16 times the input)", sb, lb, ratio)
	}
}
