package conformance

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
)

// allowUsed holds the allowExtra keys some check matched in this run.
var allowUsed sync.Map

// TestMain runs the package's tests and then, when every test ran
// (no -run, -skip or -short) and passed, fails the run for each
// allowExtra entry that no check matched: an allowance nothing needs any
// more is stale, and must go, lest it hide a field that comes back.
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if code == 0 && wholeRun() {
		if stale := staleAllowances(); len(stale) > 0 {
			for _, k := range stale {
				fmt.Fprintf(os.Stderr, "allowExtra[%q] matched nothing in this run: remove it\n", k)
			}
			fmt.Fprintln(os.Stderr, "FAIL: stale allowances")
			code = 1
		}
	}
	os.Exit(code)
}

// wholeRun reports whether every test of the package ran: no -run,
// -skip or -short narrowed it.
func wholeRun() bool {
	for _, name := range []string{"test.run", "test.skip"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			return false
		}
	}
	return !testing.Short()
}

// staleAllowances lists, sorted, the allowExtra keys allowUsed lacks.
func staleAllowances() []string {
	var out []string
	for k := range allowExtra {
		if _, ok := allowUsed.Load(k); !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
