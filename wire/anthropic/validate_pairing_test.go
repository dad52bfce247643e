package anthropic

import (
	"strconv"
	"testing"
	"time"
)

// pairedTurns returns a user turn, an assistant turn of n tool_use
// blocks and a user turn answering each once.
func pairedTurns(n int) []Message {
	uses, results := make(Blocks, n), make(Blocks, n)
	for i := range n {
		id := "toolu_" + strconv.Itoa(i)
		uses[i] = ContentBlock{Type: BlockToolUse, ID: id, Name: "f"}
		results[i] = ContentBlock{Type: BlockToolResult, ToolUseID: id}
	}
	return []Message{{Role: "user", Content: Blocks{{Type: BlockText, Text: "hi"}}},
		{Role: "assistant", Content: uses}, {Role: "user", Content: results}}
}

// The check that each tool_use has a single result takes time linear in
// the number of results of a turn: it looked for each result's id among
// the results before it, and a 10 MiB body of about 100,000 tool_use and
// tool_result pairs cost some 15 s of CPU. Sixteen times the results may
// take sixteen times as long, with room for a loaded machine; the
// quadratic check took 256 times.
func TestToolPairingCheckIsLinear(t *testing.T) {
	timeOf := func(n int) time.Duration {
		turns := pairedTurns(n)
		best := time.Duration(1<<63 - 1)
		for range 5 {
			start := time.Now()
			if err := checkToolPairing(turns); err != nil {
				t.Fatal(err)
			}
			best = min(best, time.Since(start))
		}
		return best
	}
	small, large := timeOf(1000), timeOf(16000)
	if ratio := float64(large) / float64(max(small, time.Microsecond)); ratio > 80 {
		t.Errorf("1000 results: %v, 16000: %v (%.0f times)", small, large, ratio)
	}
}

// A result given twice is still refused as one, and one for a tool_use
// the turn before does not hold as unexpected.
func TestToolPairingRefusals(t *testing.T) {
	turns := pairedTurns(3)
	turns[2].Content = append(turns[2].Content, ContentBlock{Type: BlockToolResult, ToolUseID: "toolu_1"})
	if err := checkToolPairing(turns); err == nil || err.Message != "messages.2.content.3: each tool_use must have a single result. Found multiple `tool_result` blocks with id: toolu_1" {
		t.Errorf("a second result: %v", err)
	}
	turns = pairedTurns(3)
	turns[2].Content = append(turns[2].Content, ContentBlock{Type: BlockToolResult, ToolUseID: "toolu_9"})
	if err := checkToolPairing(turns); err == nil || err.Message != "messages.2.content.3: unexpected `tool_use_id` found in `tool_result` blocks: toolu_9. Each `tool_result` block must have a corresponding `tool_use` block in the previous message." {
		t.Errorf("an unknown id: %v", err)
	}
	turns = pairedTurns(3)
	turns[2].Content = turns[2].Content[:2]
	if err := checkToolPairing(turns); err == nil || err.Message != "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_2. Each `tool_use` block must have a corresponding `tool_result` block in the next message." {
		t.Errorf("an unanswered use: %v", err)
	}
	if err := checkToolPairing(pairedTurns(3)); err != nil {
		t.Errorf("a good exchange: %v", err)
	}
}
