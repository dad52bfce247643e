package adaptive

import (
	"testing"

	"switchyard/store"
)

// TestRefusedPassedOver: a deployment whose refusal was passed over for
// another candidate gets an outcome of the refusal's reward at once (in
// its tenant's and the global arms), the deployment that answered only
// its own; with the weight at zero nothing is learned of the refusal.
func TestRefusedPassedOver(t *testing.T) {
	c := newClock()
	l := newLearner(t, c, Options{RefusalWeight: -0.5})
	s := served("r1", "strong", "acme")
	s.Refused = []string{"cheap"}
	l.Served(s)
	// Every candidate refused and the request failed (Azure's 400
	// content_filter kept): both refusals are still outcomes.
	failed := served("r2", "", "acme")
	failed.Answered, failed.Refused = false, []string{"cheap", "strong"}
	l.Served(failed)
	l.Feedback([]*store.Feedback{signal("r1", "acme", store.KindContinued, 0.3)})
	snap := flush(t, l)
	cheap := snap.Counts(key("cheap", "", ctxCode))
	if !near(cheap.Good, 0.5) || !near(cheap.Bad, 1.5) {
		t.Errorf("cheap: %+v, want two outcomes of reward 0.25 (good 0.5, bad 1.5)", cheap)
	}
	if got := snap.Counts(key("cheap", "acme", ctxCode)); got != cheap {
		t.Errorf("cheap for acme: %+v, want %+v", got, cheap)
	}
	strong := snap.Counts(key("strong", "", ctxCode))
	if !near(strong.Good, 0.65+0.25) || !near(strong.N(), 2) {
		t.Errorf("strong: %+v, want its answer (0.65) and one refusal (0.25)", strong)
	}

	off := newLearner(t, c, Options{})
	off.Served(s)
	if got := flush(t, off).Counts(key("cheap", "", ctxCode)); got.N() != 0 {
		t.Errorf("weight 0: cheap has %+v, want nothing", got)
	}
}
