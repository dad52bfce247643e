package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/store"
	"switchyard/store/sqlite"
	"switchyard/store/storetest"
)

// TestRouterConfig checks that each generated config is one the router
// accepts, with the store section asked for.
func TestRouterConfig(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dir with space", "bench.db")
	tests := []struct {
		name, store string
		want        config.Store
	}{
		{"no store", noStore, config.Store{Driver: config.StoreNone}},
		{"sqlite", sqliteStore(db), config.Store{Driver: config.StoreSQLite, Path: db, Bodies: config.StoreBodiesNone}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Parse([]byte(routerConfig("http://127.0.0.1:9/openai/v1", tt.store)), nil)
			if err != nil {
				t.Fatalf("the router would reject its config: %v", err)
			}
			if got := cfg.Store; got.Driver != tt.want.Driver || got.Path != tt.want.Path ||
				tt.want.Bodies != "" && got.Bodies != tt.want.Bodies {
				t.Errorf("store = %+v, want %+v", got, tt.want)
			}
			if len(cfg.Auth.Keys) != 1 || cfg.Auth.Keys[0].Key != routerKey || cfg.Providers["openai"].BaseURL != "http://127.0.0.1:9/openai/v1" {
				t.Errorf("auth keys %v, provider %+v: not the harness's", cfg.Auth.Keys, cfg.Providers["openai"])
			}
		})
	}
}

func TestRouterArgs(t *testing.T) {
	base := []string{"serve", "--config", "/d/c.yaml", "--addr", "127.0.0.1:0"}
	tests := []struct {
		lead  []string
		pprof string
		quiet bool
		want  []string
	}{
		{nil, "", false, base},
		{[]string{"-x"}, "127.0.0.1:6062", true, append([]string{"-x"}, append(base, "--pprof", "127.0.0.1:6062", "--quiet")...)},
		{nil, "", true, append(slices.Clone(base), "--quiet")},
	}
	for _, tt := range tests {
		if got := routerArgs(tt.lead, "/d/c.yaml", tt.pprof, tt.quiet); !slices.Equal(got, tt.want) {
			t.Errorf("routerArgs(%q, %q, %v) = %q, want %q", tt.lead, tt.pprof, tt.quiet, got, tt.want)
		}
	}
}

func TestNewPairSchedule(t *testing.T) {
	ms := time.Millisecond
	s, err := NewPairSchedule([2]Target{RecordOff, RecordOn}, 10*ms, 100*ms, 100*ms, 200*ms)
	if err != nil {
		t.Fatal(err)
	}
	var order []Target
	for _, p := range s.Phases {
		order = append(order, p.Target)
	}
	want := []Target{RecordOff, RecordOn, RecordOn, RecordOff, RecordOff, RecordOn}
	if !slices.Equal(order, want) {
		t.Errorf("phases %v, want %v", order, want)
	}
	if off, on := s.Sent(RecordOff), s.Sent(RecordOn); off != 30 || on != 30 {
		t.Errorf("Sent = %d off, %d on; want 30 each (warm-up included)", off, on)
	}
	if n := s.Sent(Direct); n != 0 {
		t.Errorf("Sent(direct) = %d, want 0", n)
	}
}

func TestCompareMode(t *testing.T) {
	ms := time.Millisecond
	sched, err := NewPairSchedule([2]Target{RecordOff, RecordOn}, ms, 10*ms, 0, 10*ms)
	if err != nil {
		t.Fatal(err)
	}
	ttft := func(d time.Duration) *Quantiles { return &Quantiles{P50: d, P99: 2 * d} }
	pr := &pairRun{sched: sched,
		stats: map[Target]TargetStats{
			RecordOff: {Total: Quantiles{P50: 2 * ms, P99: 5 * ms}, TTFT: ttft(ms)},
			RecordOn:  {Total: Quantiles{P50: 3 * ms, P99: 4 * ms}, TTFT: ttft(3 * ms / 2)},
		},
		cpu:    map[Target]time.Duration{RecordOff: 500 * time.Microsecond, RecordOn: 540 * time.Microsecond},
		maxRSS: map[Target]int64{RecordOff: 1, RecordOn: 2},
	}
	cm := compareMode(Stream, pr)
	if cm.CPURatio < 1.0799 || cm.CPURatio > 1.0801 {
		t.Errorf("CPURatio = %v, want 1.08 (540µs over 500µs)", cm.CPURatio)
	}
	if cm.Added.P50 != ms || cm.Added.P99 != -ms {
		t.Errorf("Added = %+v, want on − off: p50 +1ms, p99 −1ms", cm.Added)
	}
	if cm.AddedTTFT == nil || cm.AddedTTFT.P50 != ms/2 {
		t.Errorf("AddedTTFT = %+v, want p50 +0.5ms", cm.AddedTTFT)
	}
	if cm.OffMaxRSS != 1 || cm.OnMaxRSS != 2 {
		t.Errorf("max RSS off %d, on %d; want 1 and 2", cm.OffMaxRSS, cm.OnMaxRSS)
	}
	if r := cpuRatio(0, time.Millisecond); r != 0 {
		t.Errorf("cpuRatio with an unknown figure = %v, want 0", r)
	}
}

func TestComparisonVerdict(t *testing.T) {
	tests := []struct {
		name             string
		ratios           []float64
		recorded         int64
		failed, wantMiss int
		wantParts        []string
	}{
		{"within", []float64{1.05, 1.10}, 100, 0, 0, []string{"+5.0%", "+10.0%", "100 of 100"}},
		{"over", []float64{1.101, 0.97}, 100, 0, 1, []string{"MISS nonstream recording CPU", "-3.0%"}},
		{"unknown CPU", []float64{0}, 100, 0, 1, []string{"?"}},
		{"rows dropped", []float64{1}, 99, 0, 1, []string{"MISS rows recorded", "99 of 100"}},
		{"rows unreadable", []float64{1}, -1, 0, 1, []string{"-1 of 100"}},
		{"failed request unrecorded", []float64{1}, 99, 1, 0, []string{"ok   rows recorded", "99 of 100 (1 failed)"}},
		{"failed request recorded", []float64{1}, 100, 1, 0, []string{"100 of 100 (1 failed)"}},
		{"more dropped than failed", []float64{1}, 98, 1, 1, []string{"MISS rows recorded"}},
		{"more rows than requests", []float64{1}, 101, 0, 1, []string{"MISS rows recorded"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Comparison{Sent: 100, Failed: tt.failed, Recorded: tt.recorded}
			for i, r := range tt.ratios {
				c.Modes = append(c.Modes, CompareMode{Mode: []Mode{NonStream, Stream}[i], CPURatio: r})
			}
			v := c.verdict()
			if got := strings.Count(v, "MISS"); got != tt.wantMiss {
				t.Errorf("%d misses, want %d:\n%s", got, tt.wantMiss, v)
			}
			for _, p := range tt.wantParts {
				if !strings.Contains(v, p) {
					t.Errorf("verdict lacks %q:\n%s", p, v)
				}
			}
		})
	}
}

func TestComparisonReport(t *testing.T) {
	q := Quantiles{N: 10, P50: time.Millisecond, P90: time.Millisecond, P99: 2 * time.Millisecond, Max: 3 * time.Millisecond}
	st := TargetStats{Requests: 10, Rate: 400, Total: q, TTFT: &q}
	c := &Comparison{LoadBefore: "0.50 0.40 0.30", LoadAfter: "1.00 0.50 0.30", Rate: 400, Sent: 20, Recorded: 20,
		PeakRSS: map[Target]int64{RecordOff: 30e6, RecordOn: 40e6}}
	for _, m := range []Mode{NonStream, Stream} {
		cm := compareMode(m, &pairRun{stats: map[Target]TargetStats{RecordOff: st, RecordOn: st},
			cpu: map[Target]time.Duration{RecordOff: 600 * time.Microsecond, RecordOn: 630 * time.Microsecond}})
		c.Modes = append(c.Modes, cm)
	}
	var table, js bytes.Buffer
	if err := c.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"load average 0.50 0.40 0.30 before, 1.00 0.50 0.30 after", "record-off", "record-on",
		"stream: time to first token", "CPU per request, nonstream: record-off 600µs, record-on 630µs: ratio 1.050 (+5.0%)",
		"40.0 MB", "20 of 20"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
	if err := c.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Modes []struct {
			Ratio float64 `json:"cpu_ratio"`
			OnCPU int64   `json:"record_on_cpu_per_request_ns"`
		} `json:"modes"`
		Recorded int64 `json:"recorded"`
	}
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Modes) != 2 || back.Modes[0].Ratio != 1.05 || back.Modes[0].OnCPU != 630_000 || back.Recorded != 20 {
		t.Errorf("JSON = %s", js.String())
	}
}

func TestCountRows(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bench.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	rows := []*store.Request{storetest.Sample(1), storetest.Sample(2), storetest.Sample(3)}
	rows[1].Tenant = "" // rows of every tenant count
	if err := db.Write(ctx, rows); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if n, err := countRows(ctx, path); err != nil || n != 3 {
		t.Errorf("countRows = %d, %v; want 3", n, err)
	}
	if _, err := countRows(ctx, filepath.Join(t.TempDir(), "no", "such", "dir", "x.db")); err == nil {
		t.Error("countRows of a file that cannot exist: no error")
	}
}

// TestCompareSmoke runs RunCompare briefly at a low rate against two real
// router processes. It checks the plumbing only, never the figures: both
// routers answer, each one's CPU is measured, and the request log holds a
// row for every request sent to the recording router.
func TestCompareSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two router processes; skipped in -short mode")
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads the routers' CPU time from /proc")
	}
	bin := buildSwitchyard(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var progress bytes.Buffer
	c, err := RunCompare(ctx, Options{
		Rate: 200, Duration: 400 * time.Millisecond, Warmup: 100 * time.Millisecond, Phase: 100 * time.Millisecond,
		Workers: 16, RouterCommand: []string{bin}, Quiet: true, Progress: &progress,
	})
	if err != nil {
		t.Fatalf("RunCompare: %v\n%s", err, progress.String())
	}
	if len(c.Modes) != 2 {
		t.Fatalf("got %d modes, want 2", len(c.Modes))
	}
	for _, m := range c.Modes {
		for name, st := range map[Target]TargetStats{RecordOff: m.Off, RecordOn: m.On} {
			if st.Requests < 20 || st.Errors != 0 {
				t.Errorf("%s %s: %d requests, %d errors (first: %q); want >= 20, all answered", m.Mode, name, st.Requests, st.Errors, st.FirstError)
			}
		}
		if m.OffCPU <= 0 || m.OnCPU <= 0 || m.CPURatio <= 0 {
			t.Errorf("%s: CPU per request off %v, on %v, ratio %v; want all measured", m.Mode, m.OffCPU, m.OnCPU, m.CPURatio)
		}
	}
	if c.Sent < 160 || c.Failed != 0 || c.Recorded != int64(c.Sent) {
		t.Errorf("recorded %d rows of %d requests sent (%s); want one per request", c.Recorded, c.Sent, c.RecordedError)
	}
	if c.RouterExit != "" {
		t.Errorf("a router did not exit cleanly: %s", c.RouterExit)
	}
}
