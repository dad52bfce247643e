package conformance

import (
	"net/http"
	"strings"
	"testing"

	"switchyard/sim"
)

// TestRouterResumeRefusedResponses: a Responses stream on gpt-4o-mini cut
// after two pieces, whose resumption on claude-haiku-4-5 is refused, is
// never relayed as a filtered answer (response.incomplete with
// incomplete_details.reason content_filter): it is continued by a later
// candidate (response.completed) or ends as the cut (response.failed,
// then error), every event valid by the spec.
func TestRouterResumeRefusedResponses(t *testing.T) {
	t.Parallel()
	url, _, sims := routerSim(t, nil)
	sims.Faults.Add(sim.Fault{Kind: sim.FaultCut, Model: "gpt-4o-mini", After: 2})
	sims.Faults.Add(sim.Fault{Kind: sim.FaultRefusal, Model: "claude-haiku-4-5"})
	oa := loadSpec(t, "openai")
	st, b := call(t, http.MethodPost, url+"/v1/responses", `{"model":"gpt-4o-mini","input":"Say something about rivers.","stream":true}`, "Authorization", bearer)
	if st != http.StatusOK {
		t.Fatalf("status %d: %s", st, b)
	}
	var types []string
	for _, ev := range sse(t, b) {
		typ := oa.checkEvent(t, "ResponseStreamEvent", ev.data)
		types = append(types, typ)
		if d := string(ev.data); strings.Contains(d, "content_filter") || strings.Contains(d, `"refusal"`) {
			t.Errorf("a refusal relayed: %s", ev.data)
		}
	}
	end := strings.Join(types[max(len(types)-2, 0):], " ")
	if !strings.HasSuffix(end, " response.completed") && end != "response.failed error" {
		t.Errorf("events %v: want the answer completed, or the cut's response.failed then error", types)
	}
	t.Logf("events: %v", types)
}
