package convgen

import (
	"bytes"
	"testing"
)

// Generation is deterministic for a seed, and over a couple hundred seeds
// every API's conversations hold each of the shapes the property test
// counts on (a generator that lost one would make the test pass vacuously).
func TestGenerateCoversTheShapes(t *testing.T) {
	for _, api := range APIs {
		if !bytes.Equal(Generate(api, 7).Body("m"), Generate(api, 7).Body("m")) {
			t.Errorf("%s: seed 7 gives two conversations", api)
		}
		seen := map[string]bool{}
		for seed := range uint64(200) {
			c := Generate(api, seed)
			for _, shape := range shapesOf(c) {
				seen[shape] = true
			}
		}
		want := []string{"parallel calls", "results out of order", "text after results", "consecutive users",
			"system", "prefill", "image", "pdf", "assistant without content", "reasoning"}
		switch api {
		case Chat:
			want = append(want, "blank user", "middle system", "repeated call id", "refusal", "name", "opening tool call", "image in a result", "media alone in a result")
		case Messages:
			want = append(want, "split results", "image in a result", "pdf in a result", "media alone in a result", "thinking", "middle system")
		case Responses:
			want = append(want, "blank user", "middle system", "thinking", "image in a result", "pdf in a result", "media alone in a result")
		}
		for _, w := range want {
			if !seen[w] {
				t.Errorf("%s: no conversation has %s", api, w)
			}
		}
	}
}

// shapesOf names the shapes c holds.
func shapesOf(c *Conversation) []string {
	var out []string
	add := func(ok bool, shape string) {
		if ok {
			out = append(out, shape)
		}
	}
	add(c.Reasoning, "reasoning")
	ids := map[string]bool{}
	for i, t := range c.Turns {
		var prev Role
		if i > 0 {
			prev = c.Turns[i-1].Role
		}
		add(t.Role == System && i > 0 && prev != System, "middle system")
		add(t.Role == System || t.Role == Developer, "system")
		add(len(t.Calls) > 1, "parallel calls")
		add(t.Role == Assistant && t.Parts == nil, "assistant without content")
		add(t.Thinking != "", "thinking")
		add(t.Refusal != "", "refusal")
		add(t.Name != "", "name")
		add(t.Then != "" || t.Role == User && prev == Tool, "text after results")
		add(t.Role == User && prev == User, "consecutive users")
		add(t.Role == Tool && t.Split, "split results")
		add(i == len(c.Turns)-1 && t.Role == Assistant, "prefill")
		add(len(t.Calls) > 0 && i == 0 || len(t.Calls) > 0 && prev == System && i == 1, "opening tool call")
		for _, p := range t.Parts {
			add(p.Image, "image")
			add(p.Image && t.Role == Tool, "image in a result")
			add(p.PDF, "pdf")
			add(p.PDF && t.Role == Tool, "pdf in a result")
			add(t.Role == Tool && len(t.Parts) == 1 && p.media(), "media alone in a result")
			add(t.Role == User && len(t.Parts) == 1 && (p.Text == "" || p.Text == " "), "blank user")
		}
		for _, call := range t.Calls {
			add(ids[call.ID], "repeated call id")
			ids[call.ID] = true
		}
		if t.Role == Tool && prev == Tool {
			calls := c.callsAnswered(i)
			add(callIndex(calls, t.CallID) < callIndex(calls, c.Turns[i-1].CallID), "results out of order")
		}
	}
	return out
}

// callsAnswered returns the calls of the assistant turn whose results
// include turn i.
func (c *Conversation) callsAnswered(i int) []Call {
	for ; i >= 0; i-- {
		if c.Turns[i].Role == Assistant {
			return c.Turns[i].Calls
		}
	}
	return nil
}

func callIndex(calls []Call, id string) int {
	for i, c := range calls {
		if c.ID == id {
			return i
		}
	}
	return -1
}
