package e2e

import (
	"bytes"
	"context"
	"fmt"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A per-test leak check that works while other tests run: the test's
// goroutine carries a pprof label unique to the test, which every
// goroutine it starts inherits (the router's, the simulators', httptest
// servers' and their connections', and theirs in turn), and at the test's
// end the goroutine profile must hold none with that label. goleak's
// check sees every goroutine of the process, so a test using it could
// not run beside any other.
//
// What it cannot see: goroutines started by a timer (time.AfterFunc's
// function runs on a goroutine started by the runtime, with no label),
// and goroutines started by something shared that a test only calls into
// (a server started before the test, say). TestMain's goleak, over the
// whole package once every test ended, still covers those.

// leakLabel is the pprof label key naming the test a goroutine belongs to.
const leakLabel = "e2e-test"

// leakIDs makes each labelled test's label value unique (a test name can
// repeat under -count).
var leakIDs atomic.Int64

// leakWait bounds how long the check waits for the test's goroutines to
// end: closing a server ends its goroutines soon but not at once, later
// on a loaded machine; a leak stays past any wait (goleak waits for about
// as long).
const leakWait = 5 * time.Second

// leakIgnored are the top functions of goroutines that are not leaks:
// idle keep-alive connections of shared transports (http.DefaultClient's
// to a router already closed end when the transport notices), as in
// TestMain.
var leakIgnored = []string{
	"internal/poll.runtime_pollWait",
	"net/http.(*persistConn).writeLoop",
	"net/http.(*persistConn).readLoop",
}

// noLeakAfter labels t's goroutine, and so every goroutine it starts
// from now on, and fails t if one of them is still running, other than
// those of leakIgnored, once t and its subtests ended and their cleanups
// ran. Call it first in the test, before anything that starts
// goroutines: its cleanup, registered first, runs last. It returns the
// label's value, for labelled.
func noLeakAfter(t *testing.T) string {
	t.Helper()
	id := fmt.Sprintf("%s#%d", t.Name(), leakIDs.Add(1))
	pprof.SetGoroutineLabels(pprof.WithLabels(context.Background(), pprof.Labels(leakLabel, id)))
	t.Cleanup(func() {
		// The test's own goroutine runs this; it is no leak.
		pprof.SetGoroutineLabels(context.Background())
		if left := waitLabelled(id, nil, leakWait); left != "" {
			t.Errorf("goroutines of the test still running after it ended:\n%s", left)
		}
	})
	return id
}

// waitLabelled waits up to wait for the goroutines labelled id, other
// than those of leakIgnored, to be no more than before (from labelled;
// nil: none) of each function a goroutine was started with; it returns
// the stacks of those beyond, or "".
func waitLabelled(id string, before map[string]int, wait time.Duration) string {
	deadline := time.Now().Add(wait)
	for pause := time.Millisecond; ; pause = min(2*pause, 100*time.Millisecond) {
		var left strings.Builder
		now, stacks := labelledStacks(id)
		for start, n := range now {
			if n > before[start] {
				fmt.Fprintf(&left, "%d more started with %s, of them:\n%s\n\n", n-before[start], start, stacks[start])
			}
		}
		if left.Len() == 0 || time.Now().After(deadline) {
			return left.String()
		}
		time.Sleep(pause) // polling for goroutines to end: no event says so
	}
}

// labelled counts the goroutines labelled id whose top function is not
// one of leakIgnored, by the function each was started with (its stack's
// last): a goroutine's stack changes as it runs, not that function.
func labelled(id string) map[string]int {
	n, _ := labelledStacks(id)
	return n
}

// labelledStacks is labelled, and a stack of each function's goroutines
// (the profile's text of it, with the label).
//
// The goroutine profile at debug level 1 (runtime/pprof's
// printCountProfile) is a header line, then one block per distinct stack
// and label set, blocks separated by an empty line: "N @ 0x… 0x…", then
// "# labels: {"k":"v", …}" if the goroutines have labels, then one
// "#\t0x…\tfunction+0x…\tfile:line" line per frame, the top first, the
// runtime's own frames at the top left out.
func labelledStacks(id string) (counts map[string]int, stacks map[string]string) {
	counts, stacks = map[string]int{}, map[string]string{}
	var buf bytes.Buffer
	if err := pprof.Lookup("goroutine").WriteTo(&buf, 1); err != nil {
		counts["reading the goroutine profile"], stacks["reading the goroutine profile"] = 1, err.Error()
		return counts, stacks
	}
	label := fmt.Sprintf("%q:%q", leakLabel, id) // id is unique: no other label holds it
	for block := range strings.SplitSeq(buf.String(), "\n\n") {
		lines := strings.Split(strings.TrimSpace(block), "\n")
		if len(lines) < 3 || !strings.HasPrefix(lines[1], "# labels: ") || !strings.Contains(lines[1], label) {
			continue
		}
		if ignoredTop(frameFunc(lines[2])) {
			continue
		}
		if strings.Contains(block, "\tswitchyard/e2e.labelledStacks+") {
			continue // the goroutine taking the profile
		}
		count, _, _ := strings.Cut(lines[0], " @ ")
		n, err := strconv.Atoi(count)
		if err != nil {
			n = 1
		}
		start := frameFunc(lines[len(lines)-1])
		counts[start] += n
		stacks[start] = strings.Join(lines[1:], "\n")
	}
	return counts, stacks
}

// frameFunc is the function of a frame line of the profile,
// "#\t0x…\tfunction+0x…\tfile:line", or "".
func frameFunc(line string) string {
	fields := strings.Split(line, "\t")
	if len(fields) < 3 {
		return ""
	}
	fn, _, _ := strings.Cut(fields[2], "+0x")
	return fn
}

// ignoredTop reports whether fn is one of leakIgnored.
func ignoredTop(fn string) bool {
	return slices.Contains(leakIgnored, fn)
}

// subtest is a subtest's name and function.
type subtest struct {
	name string
	run  func(t *testing.T)
}

// sideBySide runs subs as subtests of t, up to n at a time, and returns
// once all ended. They do not call t.Parallel, which would have them
// wait for one of the -parallel slots every parallel test of the package
// shares (GOMAXPROCS: 2 in CI) and hold it while they wait: these
// subtests mostly wait out a fault's timeouts, and n bounds how many use
// the CPU at once. Called from goroutines t's goroutine starts, they
// carry its leak label (noLeakAfter).
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

// TestLeakCheckSeesALabelledGoroutine: the check reports a goroutine
// started, through another, under a test's label and left running, with
// its stack, and passes once it ended; goroutines of other labels or none
// it does not see.
func TestLeakCheckSeesALabelledGoroutine(t *testing.T) {
	t.Parallel()
	id := fmt.Sprintf("%s#%d", t.Name(), leakIDs.Add(1))
	stop, started := make(chan struct{}), make(chan struct{})
	pprof.Do(context.Background(), pprof.Labels(leakLabel, id), func(context.Context) {
		go func() { // the label passes on to the goroutines this one starts
			go leftRunning(stop, started)
		}()
	})
	go leftRunning(stop, nil) // unlabelled: another test's or the process's
	<-started
	left := waitLabelled(id, nil, 50*time.Millisecond)
	if !strings.HasPrefix(left, "1 more started with switchyard/e2e.leftRunning, of them:") || !strings.Contains(left, "\tswitchyard/e2e.leftRunning+0x") || strings.Count(left, "more started") != 1 {
		t.Fatalf("the check reported %q, want the stack of the one labelled goroutine left running", left)
	}
	if other := waitLabelled(id+"0", nil, 0); other != "" {
		t.Errorf("the check of another label reported %s", other)
	}
	if more := waitLabelled(id, labelled(id), 0); more != "" {
		t.Errorf("the check reported, against a count taken with it running:\n%s", more)
	}
	close(stop)
	if left := waitLabelled(id, nil, leakWait); left != "" {
		t.Errorf("the check still reports, after the goroutine ended:\n%s", left)
	}
}

// leftRunning runs until stop closes, having closed started (if not nil).
func leftRunning(stop, started chan struct{}) {
	if started != nil {
		close(started)
	}
	<-stop
}
