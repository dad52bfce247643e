package sim

import (
	"reflect"
	"testing"
)

// TestAnswerLogprobs checks the simulated log probabilities: one per
// piece, deterministic, never positive, with as many distinct
// alternatives as asked, most likely first, and none when none are asked.
func TestAnswerLogprobs(t *testing.T) {
	pieces := Split("The key point is simple, and the answer follows from it.")
	for _, top := range []int{0, 1, 5, 20} {
		got := AnswerLogprobs("gpt-4o-mini", pieces, top)
		if again := AnswerLogprobs("gpt-4o-mini", pieces, top); !reflect.DeepEqual(got, again) {
			t.Fatalf("top %d: not deterministic", top)
		}
		if len(got) != len(pieces) {
			t.Fatalf("top %d: %d tokens for %d pieces", top, len(got), len(pieces))
		}
		for i, tl := range got {
			if tl.Token != pieces[i] || tl.Logprob > 0 || tl.Top == nil || len(tl.Top) != top {
				t.Fatalf("top %d, token %d: %+v", top, i, tl)
			}
			seen := map[string]bool{}
			for j, a := range tl.Top {
				if seen[a.Token] || a.Logprob > 0 || (j > 0 && a.Logprob > tl.Top[j-1].Logprob) {
					t.Fatalf("top %d, token %d: alternatives %+v", top, i, tl.Top)
				}
				seen[a.Token] = true
				if a.Token == tl.Token && a.Logprob != tl.Logprob {
					t.Fatalf("token %d listed with another logprob: %+v", i, tl)
				}
			}
		}
	}
	if a, b := AnswerLogprobs("m1", pieces, 2), AnswerLogprobs("m2", pieces, 2); reflect.DeepEqual(a, b) {
		t.Error("two models give the same log probabilities")
	}
}
