package sim

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// allocated returns the fewest bytes f allocated in two runs. Bytes,
// unlike time, do not move with the machine's load.
func allocated(f func()) uint64 {
	var best uint64 = 1<<64 - 1
	var before, after runtime.MemStats
	for range 2 {
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		best = min(best, after.TotalAlloc-before.TotalAlloc)
	}
	return best
}

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
	sb := allocated(func() { pickTools(small) })
	lb := allocated(func() { pickTools(large) })
	if ratio := float64(lb) / float64(max(sb, 1)); ratio > 60 {
		t.Errorf("250 tools and words: %d bytes allocated, 4000: %d (%.0f times for 16 times the input)", sb, lb, ratio)
	}
}
