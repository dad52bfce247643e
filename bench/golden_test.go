package bench

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden reports in testdata/")

// goldenStats are fixed measurements for the golden reports: a streamed
// target (with TTFT) and a second, slower one.
func goldenStats() (a, b TargetStats) {
	q := func(ms float64) Quantiles {
		d := time.Duration(ms * float64(time.Millisecond))
		return Quantiles{N: 100, P50: d, P90: 2 * d, P99: 3 * d, Max: 4 * d}
	}
	a = TargetStats{Requests: 100, Errors: 1, FirstError: "status 502", Rate: 99.5, Total: q(1), TTFT: new(q(0.5)), Lag: q(0.01)}
	b = TargetStats{Requests: 100, Rate: 100, Total: q(1.5), TTFT: new(q(0.75)), Lag: q(0.02)}
	return a, b
}

var goldenMachine = Machine{CPUs: 2, GOMAXPROCS: 2, CPUModel: "Test CPU", GoVersion: "go1.x", OS: "linux/amd64"}

// goldenPair is one mode's fixed pairRun over targets x and y.
func goldenPair(x, y Target) *pairRun {
	a, b := goldenStats()
	return &pairRun{stats: map[Target]TargetStats{x: a, y: b},
		cpu:        map[Target]time.Duration{x: 630 * time.Microsecond, y: 600 * time.Microsecond},
		harnessCPU: 200 * time.Microsecond, maxRSS: map[Target]int64{x: 41e6, y: 31e6}}
}

// The three reports (Run's, RunCompare's, RunAgainst's), as table and
// JSON, are byte for byte those in testdata/ (go test -run Golden
// -update rewrites them).
func TestReportsGolden(t *testing.T) {
	rep := &Report{Machine: goldenMachine, Rate: 1000, Duration: 10 * time.Second, Warmup: 2 * time.Second, Phase: 500 * time.Millisecond,
		PromptTokens: 200, Workers: 256, RouterRSS: 40e6, RouterPeakRSS: 42e6, RouterExit: "exit status 1"}
	cmp := &Comparison{Machine: goldenMachine, LoadBefore: "0.50 0.40 0.30", LoadAfter: "1.00 0.50 0.30", Rate: 1000,
		Duration: 8 * time.Second, Warmup: 2 * time.Second, Phase: 500 * time.Millisecond, PromptTokens: 200, Workers: 256, Quiet: true,
		PeakRSS: map[Target]int64{RecordOff: 30e6, RecordOn: 40e6}, Sent: 20000, Failed: 2, Recorded: 19990, RecordedError: "", RouterExit: "record-on: exit status 2"}
	duel := &Duel{Machine: goldenMachine, LoadBefore: "0.50 0.40 0.30", LoadAfter: "1.00 0.50 0.30", Against: "/tmp/old-switchyard",
		Rate: 1000, Duration: 8 * time.Second, Warmup: 2 * time.Second, Phase: 500 * time.Millisecond, PromptTokens: 200, Workers: 256,
		PeakRSS: map[Target]int64{Router: 45e6, Other: 35e6}}
	for _, m := range []Mode{NonStream, Stream} {
		rep.Modes = append(rep.Modes, modeReport(m, goldenPair(Router, Direct)))
		cmp.Modes = append(cmp.Modes, compareMode(m, goldenPair(RecordOn, RecordOff)))
		duel.Modes = append(duel.Modes, duelMode(m, goldenPair(Router, Other)))
	}
	for name, r := range map[string]interface {
		WriteTable(w io.Writer) error
		WriteJSON(w io.Writer) error
	}{"run": rep, "compare": cmp, "against": duel} {
		var table, js bytes.Buffer
		if err := r.WriteTable(&table); err != nil {
			t.Fatal(err)
		}
		if err := r.WriteJSON(&js); err != nil {
			t.Fatal(err)
		}
		checkGolden(t, name+".txt", table.Bytes())
		checkGolden(t, name+".json", js.Bytes())
	}
}

// checkGolden compares got with testdata/golden/name, or rewrites it with
// -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s:\n%s", name, path, got)
	}
}
