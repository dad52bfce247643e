package sim

import (
	"strings"
	"testing"
)

// TestContinue: a prefill cut from any simulated model's answer continues
// as that answer's rest; another prefill gets a deterministic tail.
func TestContinue(t *testing.T) {
	const prompt = "Say something about rivers."
	first := &Profile{Model: "gpt-sim-mini"}
	full := first.Respond(Ask{Model: first.Model, Prompt: prompt}).Text
	head := strings.Join(Split(full)[:4], "")
	other := &Profile{Model: "claude-sim"}
	cases := []struct {
		name    string
		p       *Profile
		prefill string
		want    string
	}{
		{"own answer", first, head, full[len(head):]},
		{"another model's answer", other, head, full[len(head):]},
	}
	for _, tc := range cases {
		ans := tc.p.Respond(Ask{Model: tc.p.Model, Prompt: prompt, Prefill: tc.prefill})
		if ans.Text != tc.want || strings.Join(ans.Pieces, "") != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, ans.Text, tc.want)
		}
	}
	a := other.Respond(Ask{Model: other.Model, Prompt: prompt, Prefill: "Rivers are"})
	b := other.Respond(Ask{Model: other.Model, Prompt: prompt, Prefill: "Rivers are"})
	if a.Text == "" || a.Text != b.Text || !strings.HasPrefix(a.Text, " ") {
		t.Errorf("free prefill tail %q then %q", a.Text, b.Text)
	}
}
