package audit

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.uber.org/goleak"

	"switchyard/store"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// clock is a fake clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func events(t *testing.T, m *store.Memory) []store.AuditEvent {
	t.Helper()
	p, err := m.ListAudit(context.Background(), store.AllTenants(), store.AuditFilter{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	return p.Events
}

func count(evs []store.AuditEvent, action string) int {
	n := 0
	for _, e := range evs {
		if e.Action == action {
			n++
		}
	}
	return n
}

// TestUntrustedRateLimit: a burst past the limit records the burst, then
// one event per 1/Rate, each action on its own; the rest is summed up.
func TestUntrustedRateLimit(t *testing.T) {
	m := new(store.Memory)
	c := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	tr := New(m, Options{Rate: 1, Burst: 3, Now: c.now, Tick: time.Hour})
	for range 10 {
		tr.Untrusted(store.AuditEvent{Actor: "anonymous", Action: "auth.failed", Outcome: store.AuditDenied})
	}
	tr.Untrusted(store.AuditEvent{Actor: "viewer", Action: "admin.denied", Outcome: store.AuditDenied})
	c.add(2 * time.Second) // two more tokens
	for range 5 {
		tr.Untrusted(store.AuditEvent{Actor: "anonymous", Action: "auth.failed", Outcome: store.AuditDenied})
	}
	if got := testutil.ToFloat64(tr.suppressed); got != 10 {
		t.Errorf("suppressed counter %v; want 10", got)
	}
	if err := tr.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	evs := events(t, m)
	if n := count(evs, "auth.failed"); n != 5 {
		t.Errorf("%d auth.failed recorded; want 3 of the burst and 2 after two seconds", n)
	}
	if n := count(evs, "admin.denied"); n != 1 {
		t.Errorf("%d admin.denied recorded; want 1 (a bucket of its own)", n)
	}
	var sum *store.AuditEvent
	for i := range evs {
		if evs[i].Action == ActionSuppressed {
			sum = &evs[i]
		}
	}
	if sum == nil || sum.Target != "auth.failed" || !strings.HasPrefix(sum.Detail, "10 auth.failed events were not recorded") {
		t.Errorf("summary of the suppressed events: %+v", sum)
	}
}

// blockingLog blocks each AppendAudit until release is closed.
type blockingLog struct {
	store.Memory
	started chan struct{}
	release chan struct{}
	once    sync.Once
}

func (b *blockingLog) AppendAudit(ctx context.Context, e store.AuditEvent) error {
	b.once.Do(func() { close(b.started) })
	<-b.release
	return b.Memory.AppendAudit(ctx, e)
}

// TestUntrustedNeverBlocks: with the writer stuck, events past the queue
// are dropped and counted, and Untrusted returns at once.
func TestUntrustedNeverBlocks(t *testing.T) {
	b := &blockingLog{started: make(chan struct{}), release: make(chan struct{})}
	tr := New(b, Options{QueueSize: 2, Burst: 100, Tick: time.Hour})
	tr.Untrusted(store.AuditEvent{Action: "auth.failed", Outcome: store.AuditDenied})
	<-b.started // the writer holds the first
	for range 5 {
		tr.Untrusted(store.AuditEvent{Action: "auth.failed", Outcome: store.AuditDenied})
	}
	if got := testutil.ToFloat64(tr.dropped); got != 3 {
		t.Errorf("dropped %v; want 3 (two fit the queue)", got)
	}
	close(b.release)
	if err := tr.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(events(t, &b.Memory)); n != 3 {
		t.Errorf("%d events recorded; want 3", n)
	}
}

type failingLog struct{ store.Memory }

func (*failingLog) AppendAudit(context.Context, store.AuditEvent) error {
	return errors.New("disk full")
}

func TestRecordReturnsTheStoreError(t *testing.T) {
	tr := New(&failingLog{}, Options{})
	defer tr.Close(context.Background())
	err := tr.Record(context.Background(), store.AuditEvent{Action: "config.update", Outcome: store.AuditOK})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Record = %v; want the store's error", err)
	}
	var nilTrail *Trail
	if err := nilTrail.Record(context.Background(), store.AuditEvent{}); err != nil {
		t.Errorf("nil trail: %v", err)
	}
	nilTrail.Untrusted(store.AuditEvent{})
}

func TestFingerprint(t *testing.T) {
	key := "sk-live-0123456789abcdef"
	fp := Fingerprint(key)
	if len(fp) != len("sha256:")+8 || strings.Contains(fp, key[3:]) || fp != Fingerprint(key) || fp == Fingerprint(key+"x") {
		t.Errorf("Fingerprint = %q", fp)
	}
}

// TestUntrustedMasksTheTarget: the path an outsider sent is recorded with
// a key pasted into it masked.
func TestUntrustedMasksTheTarget(t *testing.T) {
	const key = "sk-proj-AuditCanary0123456789abcdefghijKLMN"
	m := new(store.Memory)
	tr := New(m, Options{})
	tr.Untrusted(store.AuditEvent{Actor: "anonymous", Action: "auth.failed", Target: "GET /v1/files/" + key, Outcome: store.AuditDenied})
	if err := tr.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	evs := events(t, m)
	if len(evs) != 1 || evs[0].Target != "GET /v1/files/[REDACTED:api_key]" {
		t.Errorf("recorded %+v", evs)
	}
}
