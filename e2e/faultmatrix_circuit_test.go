package e2e

import (
	"bytes"
	"net/http"
	"sync/atomic"
	"testing"

	"go.uber.org/goleak"

	"switchyard/provider/providertest"
)

// TestFaultMatrixMisconfiguredSkipped: a deployment whose key (401, 403,
// Gemini's API_KEY_INVALID) or model (404) the upstream refuses fails
// every request alike, so its breaker opens at the first: the next
// request of its route goes straight to the fallback, without calling
// it again. Every kind, through Chat Completions.
func TestFaultMatrixMisconfiguredSkipped(t *testing.T) {
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { checkNoLeak(t, before) })
	var cells []matrixCell
	for _, f := range moreMatrixFaults()[:3] { // 401, 403, 404
		for _, k := range campaignKinds {
			cells = append(cells, matrixCell{id: len(cells), fault: f, kind: k.kind, format: k.format, endpoint: "chat"})
		}
	}
	calls := make([]atomic.Int32, len(cells))
	for i := range cells {
		inner := cells[i].fault.fault
		cells[i].fault.fault = func(w http.ResponseWriter, r *http.Request, f providertest.Format) {
			calls[i].Add(1)
			inner(w, r, f)
		}
	}
	e := newMatrixEnv(t, cells)
	for i, cell := range cells {
		t.Run(cell.fault.name+"/"+cell.kind, func(t *testing.T) {
			for n := range 2 {
				rp := askMatrix(e, cell, "c")
				if rp.err != nil || rp.deployment != campaignFallback {
					t.Fatalf("request %d: status %d from %q (%v), want the fallback's answer: %.300s", n+1, rp.status, rp.deployment, rp.err, rp.raw)
				}
			}
			if got := calls[i].Load(); got != 1 {
				t.Errorf("the misconfigured deployment was called %d times, want once (then skipped)", got)
			}
			// Alone: the first request gets the refusal as a 502, the next
			// the open breaker's 503, which says why.
			first, second := askMatrix(e, cell, "a"), askMatrix(e, cell, "a")
			if first.status != http.StatusBadGateway || !bytes.Contains(first.raw, []byte(cell.fault.says)) {
				t.Errorf("alone, first: status %d, want 502 saying %q: %.300s", first.status, cell.fault.says, first.raw)
			}
			if second.status != http.StatusServiceUnavailable || !bytes.Contains(second.raw, []byte("misconfigured: the upstream")) {
				t.Errorf("alone, then: status %d, want the open breaker's 503 saying why: %.300s", second.status, second.raw)
			}
		})
	}
}
