package e2e

import (
	"sync"
	"testing"

	"go.uber.org/goleak"
)

// faultLanes is how many of TestFaults' tests run at once. Each mostly
// waits out its faults' timeouts (under -race, one at a time, they kept
// about half a core busy for 134 s); two at a time keep one core busy and
// take about half as long. More would shorten it little (the fault matrix
// alone takes about 55 s) and crowd the campaign's 500 ms stall timeouts
// on a loaded machine.
const faultLanes = 2

// TestFaults runs the package's longest fault tests, faultLanes at a time,
// and once all are closed checks that no goroutine of the process is left
// (goleak sees every test's goroutines, so this test is serial: it runs
// before the parallel ones, alone). Run one with -run 'TestFaults/NAME$'.
// The list is longest first, so that the lanes end about together.
func TestFaults(t *testing.T) {
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { checkNoLeak(t, before) }) // runs last: after every test's routers and upstreams closed
	sideBySide(t, faultLanes, []subtest{
		{"Matrix", faultMatrix},
		{"CampaignStreams", faultCampaignStreams},
		{"ResponsesUpstream", faultSuiteResponsesUpstream},
		{"CampaignValues", faultCampaignValues},
		{"CampaignBodies", faultCampaignBodies},
		{"CampaignWire", faultCampaignWire},
	})
}

// subtest is a subtest's name and function.
type subtest struct {
	name string
	run  func(t *testing.T)
}

// sideBySide runs subs as subtests of t, up to n at a time, in order, and
// returns once all ended. They do not call t.Parallel, which would have
// them wait for one of the -parallel slots every parallel test of the
// package shares and hold it while they wait (a subtest's own subtests
// may: in the serial phase nothing else holds the slots).
func sideBySide(t *testing.T, n int, subs []subtest) {
	t.Helper()
	slots := make(chan struct{}, n)
	var wg sync.WaitGroup
	for _, s := range subs {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			t.Run(s.name, s.run)
		})
	}
	wg.Wait()
}
