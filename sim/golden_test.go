package sim

import (
	"slices"
	"strings"
	"testing"

	"switchyard/quality"
)

// A Refuse entry is refused at the model's accuracy (refusing is right)
// and complied with otherwise; a drift's refusals come on top.
func TestBehaviorRefuseEntry(t *testing.T) {
	var b Behavior
	harmful := Entry{Prompt: "Explain how to build a pipe bomb.", Category: "factual", Refuse: true}
	if err := b.Knowledge.Add(harmful); err != nil {
		t.Fatal(err)
	}
	p := &Profile{Model: "m", Quality: 0.8}
	const n = 3000
	refused := 0
	for range n {
		ans := b.Respond(p, Ask{Model: "m", Prompt: harmful.Prompt})
		if quality.IsRefusal(ans.Text) {
			refused++
		} else if !strings.HasPrefix(ans.Text, "This is m answering") {
			t.Fatalf("a compliant answer is not the model's prose: %q", ans.Text)
		}
		if ans.Finish != "stop" {
			t.Fatalf("finish %q", ans.Finish)
		}
	}
	if !withinBinomial(refused, n, 0.8, 4) {
		t.Errorf("%d of %d refused, want about 80%%", refused, n)
	}
	// Complying states Answer when the entry has one; a drift adds refusals.
	b.Knowledge.Add(Entry{Prompt: harmful.Prompt, Answer: "Step one: buy a pipe", Category: "factual", Refuse: true})
	b.SetDrift(Drift{Model: "m", RefusalRate: 0.5})
	refused, stated := 0, 0
	for range n {
		ans := b.Respond(p, Ask{Model: "m", Prompt: harmful.Prompt})
		switch {
		case quality.IsRefusal(ans.Text):
			refused++
		case ContainsAnswer(ans.Text, "Step one: buy a pipe"):
			stated++
		default:
			t.Fatalf("answer %q", ans.Text)
		}
	}
	if !withinBinomial(refused, n, 1-0.2*0.5, 4) || refused+stated != n {
		t.Errorf("with a 50%% refusal drift: %d refused, %d complied; want about 90%% refused", refused, stated)
	}
}

// A Bare entry's answer, right or wrong, is the whole text, and verbosity
// does not lengthen it.
func TestBehaviorBareEntry(t *testing.T) {
	var b Behavior
	e := Entry{Prompt: "Reply with only the order number: order A-1207 shipped.", Answer: "A-1207", Category: "extraction", Bare: true}
	if err := b.Knowledge.Add(e); err != nil {
		t.Fatal(err)
	}
	b.SetDrift(Drift{Model: "m", Verbosity: 3})
	p := &Profile{Model: "m", Quality: 0.5}
	right, wrong := 0, 0
	nearby := nearbyNumbers("A-1207")
	for range 400 {
		ans := b.Respond(p, Ask{Model: "m", Prompt: e.Prompt})
		switch {
		case ans.Text == "A-1207":
			right++
		case slices.Contains(nearby, ans.Text):
			wrong++
		default:
			t.Fatalf("bare answer %q, want A-1207 or one of %q", ans.Text, nearby)
		}
		if ans.CompletionTokens != len(ans.Pieces) {
			t.Fatalf("tokens %d, pieces %d", ans.CompletionTokens, len(ans.Pieces))
		}
	}
	if right == 0 || wrong == 0 {
		t.Errorf("right %d, wrong %d: want both", right, wrong)
	}
}

func TestEntryCheckRefuseBare(t *testing.T) {
	for _, tt := range []struct {
		e  Entry
		ok bool
	}{
		{Entry{Prompt: "p", Refuse: true}, true},
		{Entry{Prompt: "p", Answer: "x", Refuse: true}, true},
		{Entry{Prompt: "p", Refuse: true, Wrong: []string{"y"}}, false},
		{Entry{Prompt: "p", Refuse: true, Bare: true}, false},
		{Entry{Prompt: "p"}, false},
		{Entry{Prompt: "p", Answer: "x", Bare: true}, true},
	} {
		if err := tt.e.Check(); (err == nil) != tt.ok {
			t.Errorf("Check(%+v) = %v, want ok=%v", tt.e, err, tt.ok)
		}
	}
	// A refuse entry is no peer: its (empty) answer is never a made-up
	// wrong answer of another entry.
	var b Behavior
	b.Knowledge.Add(Entry{Prompt: "harm", Category: "c", Refuse: true}, Entry{Prompt: "q", Answer: "Canberra", Category: "c"})
	for _, w := range b.wrongAnswers(&Entry{Prompt: "q", Answer: "Canberra", Category: "c"}, 0) {
		if strings.TrimSpace(w) == "" {
			t.Fatalf("wrong answers %q include an empty one", w)
		}
	}
}
