package llm

import "testing"

// TestEffortFor: a thinking budget is the level whose budget is nearest
// on a log scale, from low up to max (an adapter then sends the nearest
// level its model takes).
func TestEffortFor(t *testing.T) {
	for _, c := range []struct {
		budget int
		want   Effort
	}{
		{0, EffortLow}, {1024, EffortLow}, {4095, EffortLow},
		{4096, EffortMedium}, {8192, EffortMedium}, {11585, EffortMedium},
		{11586, EffortHigh}, {16384, EffortHigh}, {23170, EffortHigh},
		{23171, EffortXHigh}, {31999, EffortXHigh}, {46340, EffortXHigh},
		{46341, EffortMax}, {64000, EffortMax}, {1 << 20, EffortMax},
	} {
		if got := EffortFor(c.budget); got != c.want {
			t.Errorf("EffortFor(%d) = %q, want %q", c.budget, got, c.want)
		}
		if got := (&Reasoning{BudgetTokens: c.budget}).Level(); c.budget > 0 && got != c.want {
			t.Errorf("Level of budget %d = %q, want %q", c.budget, got, c.want)
		}
	}
}
