package health

import (
	"testing"
	"time"
)

// A refusal that states an output limit is remembered for the deployment
// (the smallest stated, for the same model) for OutputLimitMemory after
// the last such refusal, then forgotten; it counts as no attempt and no
// failure.
func TestOutputLimitLearnedThenForgotten(t *testing.T) {
	tr, clk, _ := newTestTracker()
	if tr.OutputLimited() || tr.Status("a").OutputLimit.Tokens != 0 {
		t.Fatal("a limit before any refusal")
	}
	learnedAt := clk.Now()
	tr.Record(Outcome{Deployment: "a", Model: "m", OutputLimit: 32000})
	clk.Advance(time.Minute)
	tr.Record(Outcome{Deployment: "a", Model: "m", OutputLimit: 64000}) // larger: the smaller stays
	st, h := tr.Status("a"), tr.Snapshot()[0]
	if got := st.OutputLimit; got.Tokens != 32000 || got.Model != "m" || !got.At.Equal(learnedAt) || !tr.OutputLimited() {
		t.Errorf("learned %+v (OutputLimited %v), want 32000 for m at %v", got, tr.OutputLimited(), learnedAt)
	}
	if h.LearnedOutputLimit != 32000 || h.LearnedOutputLimitModel != "m" || !h.LearnedOutputLimitAt.Equal(learnedAt) {
		t.Errorf("the snapshot does not show the learned limit: %+v", h)
	}
	if st.Breaker != Closed || tr.Degraded() || h.Requests != 0 || h.Failures != 0 {
		t.Errorf("a refusal changed a's health: %+v %+v", st, h)
	}
	if tr.Status("b").OutputLimit.Tokens != 0 {
		t.Error("b learned a's limit")
	}
	clk.Advance(OutputLimitMemory - time.Second)
	if tr.Status("a").OutputLimit.Tokens != 32000 {
		t.Error("forgotten before its time")
	}
	clk.Advance(time.Second)
	if got := tr.Status("a").OutputLimit; got.Tokens != 0 || tr.OutputLimited() {
		t.Errorf("still remembered after %s: %+v", OutputLimitMemory, got)
	}
}

// A refusal for another model (the deployment's model changed in a
// reload) replaces the limit; Reset forgets it, and so does Retain for a
// deployment no longer configured.
func TestOutputLimitReplacedResetRetained(t *testing.T) {
	tr, _, _ := newTestTracker()
	tr.Record(Outcome{Deployment: "a", Model: "old", OutputLimit: 8000})
	tr.Record(Outcome{Deployment: "a", Model: "new", OutputLimit: 16000})
	if got := tr.Status("a").OutputLimit; got.Tokens != 16000 || got.Model != "new" {
		t.Errorf("after the model changed: %+v, want 16000 for new", got)
	}
	tr.Reset("a", "fixed")
	if tr.Status("a").OutputLimit.Tokens != 0 || tr.OutputLimited() {
		t.Error("Reset kept the learned limit")
	}
	tr.Record(Outcome{Deployment: "b", Model: "m", OutputLimit: 4096})
	tr.Retain([]string{"a"})
	if tr.OutputLimited() || tr.Status("b").OutputLimit.Tokens != 0 {
		t.Error("Retain kept a removed deployment's learned limit")
	}
}
