package e2e

import (
	"net/http"
	"testing"
	"time"

	"switchyard/sim"
)

// outageRate is the requests the outage scenario sends per simulated
// second.
const outageRate = 4

// testOutage: the primary is down for 60 simulated seconds, then healthy.
// Requests arrive at outageRate a second on the health tracker's fake
// clock; every one gets the complete answer in bounded time; the primary
// receives at most 2 calls in any simulated second (while failing, before
// its breaker opens, health holds it to 2 attempts a second; then the
// breaker refuses all but its probes); and once the outage is over
// traffic returns to the primary within the breaker's open time.
func testOutage(t *testing.T, stream bool) {
	e, clk := faultEnv(t)
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultOutage, Model: faultModel})
	body := chatBody("faulty", faultPrompt, stream)
	// second runs one simulated second and returns the primary's calls in
	// it and the deployments that served.
	second := func(sec int) (calls int, served map[string]int) {
		served = map[string]int{}
		before := e.Sim.Faults.Seen(faultModel)
		for i := 0; i < outageRate; i++ {
			o := send(http.DefaultClient, e.URL, body)
			if !o.ok() || o.latency > faultBound {
				t.Fatalf("second %d: status %d after %s: %.300s", sec, o.status, o.latency, o.body)
			}
			served[o.deployment]++
			clk.Advance(time.Second / outageRate)
		}
		return e.Sim.Faults.Seen(faultModel) - before, served
	}
	for sec := 0; sec < 60; sec++ {
		calls, served := second(sec)
		if calls > 2 {
			t.Errorf("second %d of the outage: %d calls to the failing primary, want at most 2", sec, calls)
		}
		if served[faultPrimary] > 0 {
			t.Fatalf("second %d: the primary served during its outage", sec)
		}
	}
	e.Sim.Faults.Clear("")
	back := -1
	for sec := 60; sec < 100 && back < 0; sec++ {
		if _, served := second(sec); served[faultPrimary] == outageRate {
			back = sec
		}
	}
	// The breaker reopened on its last failed probe at most 30s (open_for)
	// before the outage ended; then 2 probes must succeed.
	if back < 0 || back > 60+31 {
		t.Fatalf("traffic did not return to the primary within 31s of the outage's end (second %d)", back)
	}
	t.Logf("streamed %v: the primary took all traffic again at second %d", stream, back)
}
