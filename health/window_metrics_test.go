package health

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestWindowCollectorExportsWindows: each deployment's rate limit, flex
// and fast windows read as 0/1 and the seconds left at scrape time, by the
// tracker's clock; an ended window reads 0 without anything lowering it;
// the series pass promlint.
func TestWindowCollectorExportsWindows(t *testing.T) {
	tr, clk, _ := newTestTracker()
	tr.Record(Outcome{Deployment: "a", RateLimited: true, RetryAfter: 30 * time.Second})
	tr.Record(Outcome{Deployment: "b", FlexUnavailable: true, RetryAfter: 90 * time.Second})
	tr.Record(Outcome{Deployment: "a", FastUnavailable: true, RetryAfter: 60 * time.Second})
	c := NewWindowCollector(tr)
	want := func(aLimited, aLeft, bFlex, bLeft, aFast, aFastLeft string) string {
		return `
# HELP switchyard_deployment_fast_unavailable 1 while a deployment is in a fast window (a fast-mode 429's Retry-After): requests for Claude's fast mode are sent to it at standard speed.
# TYPE switchyard_deployment_fast_unavailable gauge
switchyard_deployment_fast_unavailable{deployment="a"} ` + aFast + `
switchyard_deployment_fast_unavailable{deployment="b"} 0
# HELP switchyard_deployment_fast_unavailable_remaining_seconds Seconds until a deployment's fast window ends (0 when none is open).
# TYPE switchyard_deployment_fast_unavailable_remaining_seconds gauge
switchyard_deployment_fast_unavailable_remaining_seconds{deployment="a"} ` + aFastLeft + `
switchyard_deployment_fast_unavailable_remaining_seconds{deployment="b"} 0
# HELP switchyard_deployment_flex_unavailable 1 while a deployment is in a flex window (a flex capacity shortage's Retry-After): flex requests skip it while another candidate can answer.
# TYPE switchyard_deployment_flex_unavailable gauge
switchyard_deployment_flex_unavailable{deployment="a"} 0
switchyard_deployment_flex_unavailable{deployment="b"} ` + bFlex + `
# HELP switchyard_deployment_flex_unavailable_remaining_seconds Seconds until a deployment's flex window ends (0 when none is open).
# TYPE switchyard_deployment_flex_unavailable_remaining_seconds gauge
switchyard_deployment_flex_unavailable_remaining_seconds{deployment="a"} 0
switchyard_deployment_flex_unavailable_remaining_seconds{deployment="b"} ` + bLeft + `
# HELP switchyard_deployment_rate_limit_remaining_seconds Seconds until a deployment's rate limit window ends (0 when none is open).
# TYPE switchyard_deployment_rate_limit_remaining_seconds gauge
switchyard_deployment_rate_limit_remaining_seconds{deployment="a"} ` + aLeft + `
switchyard_deployment_rate_limit_remaining_seconds{deployment="b"} 0
# HELP switchyard_deployment_rate_limited 1 while a deployment is in a rate limit window (a 429's Retry-After): requests skip it while another candidate can answer.
# TYPE switchyard_deployment_rate_limited gauge
switchyard_deployment_rate_limited{deployment="a"} ` + aLimited + `
switchyard_deployment_rate_limited{deployment="b"} 0
`
	}
	if err := testutil.CollectAndCompare(c, strings.NewReader(want("1", "30", "1", "90", "1", "60"))); err != nil {
		t.Error(err)
	}
	clk.Advance(40 * time.Second)
	if err := testutil.CollectAndCompare(c, strings.NewReader(want("0", "0", "1", "50", "1", "20"))); err != nil {
		t.Errorf("40 s later: %v", err)
	}
	tr.Reset("b", "test")
	tr.Reset("a", "test")
	if err := testutil.CollectAndCompare(c, strings.NewReader(want("0", "0", "0", "0", "0", "0"))); err != nil {
		t.Errorf("after Reset(a, b): %v", err)
	}
	if tr.FastDegraded() {
		t.Error("FastDegraded after every fast window was reset")
	}
	problems, err := testutil.CollectAndLint(c)
	if err != nil || len(problems) > 0 {
		t.Errorf("promlint: %v %+v", err, problems)
	}
}
