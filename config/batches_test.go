package config

import (
	"strings"
	"testing"
	"time"
)

func TestBatchesSection(t *testing.T) {
	c := mustParse(t, []byte(storeBase), nil)
	want := Batches{MaxFileBytes: 32 << 20, MaxLines: 50000, Concurrency: 4, YieldAt: 64, Retention: 720 * time.Hour, Lease: 30 * time.Second,
		Forward: BatchForwardAuto, PollInterval: time.Minute}
	if b := c.Batches; !b.On() || b != want || !b.Forwards() || b.BatchDiscount() != 0.5 {
		t.Errorf("defaults: %+v (on %v), want %+v", b, b.On(), want)
	}
	c = mustParse(t, []byte(storeBase+"batches: {enabled: false, max_file_bytes: 1_000, max_lines: 10, concurrency: 2, yield_at: 8, retention: 48h, lease: 5s}\n"), nil)
	if b := c.Batches; b.On() || b.MaxFileBytes != 1000 || b.MaxLines != 10 || b.Concurrency != 2 || b.YieldAt != 8 || b.Retention != 48*time.Hour || b.Lease != 5*time.Second {
		t.Errorf("set: %+v", b)
	}
	c = mustParse(t, []byte(storeBase+"batches: {forward: \"off\", poll_interval: 100ms, discount: 0.6}\n"), nil)
	if b := c.Batches; b.Forwards() || b.PollInterval != 100*time.Millisecond || b.BatchDiscount() != 0.6 {
		t.Errorf("forwarding set: %+v", b)
	}
	for _, tc := range []struct{ yaml, want string }{
		{"{max_file_bytes: 0}", "batches.max_file_bytes: must be > 0"},
		{"{max_file_bytes: 2000000000}", "batches.max_file_bytes: must be between 1 and 1073741824"},
		{"{max_lines: 2000000}", "batches.max_lines: must be between 1 and 1000000"},
		{"{concurrency: 5000}", "batches.concurrency: must be between 1 and 1024"},
		{"{yield_at: -1}", "batches.yield_at: must be at least 1"},
		{"{retention: -1h}", "batches.retention: must be > 0"},
		{"{lease: 1s}", "batches.lease: must be at least 3s"},
		{"{keep: true}", `unknown field "keep"`},
		{"{forward: always}", `batches.forward: unknown forward "always"`},
		{"{poll_interval: 10ms}", "batches.poll_interval: must be at least 100ms"},
		{"{discount: 0}", "batches.discount: must be above 0 and at most 1"},
		{"{discount: 1.5}", "batches.discount: must be above 0 and at most 1"},
	} {
		_, err := Parse([]byte(storeBase+"batches: "+tc.yaml+"\n"), nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.yaml, err, tc.want)
		}
	}
}

// The batches section takes a restart: a router following another's
// configuration keeps its own.
func TestBatchesRestartOnly(t *testing.T) {
	running := mustParse(t, []byte(storeBase+"batches: {concurrency: 2}\n"), nil)
	next := mustParse(t, []byte(storeBase+"batches: {concurrency: 8}\n"), nil)
	if kept := next.KeepRestartOnly(running); len(kept) != 1 || kept[0] != "batches" || next.Batches.Concurrency != 2 {
		t.Errorf("KeepRestartOnly = %v, concurrency %d", kept, next.Batches.Concurrency)
	}
}
