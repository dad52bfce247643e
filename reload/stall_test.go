package reload

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchyard/audit"
	"switchyard/store"
)

// stallingStore is a configuration history and audit log in memory
// whose database stops answering while stalled is set: every call waits
// for its context's end.
type stallingStore struct {
	store.Memory
	stalled atomic.Bool
}

func (s *stallingStore) wait(ctx context.Context) error {
	if !s.stalled.Load() {
		return nil
	}
	<-ctx.Done()
	return ctx.Err()
}

func (s *stallingStore) AppendConfigVersion(ctx context.Context, v store.ConfigVersion) (int64, error) {
	if err := s.wait(ctx); err != nil {
		return 0, err
	}
	return s.Memory.AppendConfigVersion(ctx, v)
}

func (s *stallingStore) ConfigVersion(ctx context.Context, n int64) (store.ConfigVersion, error) {
	if err := s.wait(ctx); err != nil {
		return store.ConfigVersion{}, err
	}
	return s.Memory.ConfigVersion(ctx, n)
}

func (s *stallingStore) AppendAudit(ctx context.Context, e store.AuditEvent) error {
	if err := s.wait(ctx); err != nil {
		return err
	}
	return s.Memory.AppendAudit(ctx, e)
}

// stalledLog is a request log whose database stopped answering.
type stalledLog struct{ store.Store }

func (stalledLog) List(ctx context.Context, _ store.Scope, _ store.Filter) (store.Page, error) {
	<-ctx.Done()
	return store.Page{}, ctx.Err()
}

// A change or a rollback through the admin API, with the database
// stalled, fails with the store's error within Options.StoreTimeouts
// (store.timeout; a dry run's replay store.aggregate_timeout) — it waited for the database until the request's
// deadline (server.request_timeout, 10 minutes by default), holding the
// manager's lock, and so every other change, all along. Nothing
// changes, and once the database answers a change applies.
func TestStoreTimeoutBoundsAChange(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "switchyard.yaml")
	if err := os.WriteFile(path, []byte(fileText), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := ReadFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	st := new(stallingStore)
	trail := audit.New(st, audit.Options{})
	t.Cleanup(func() { trail.Close(context.Background()) })
	target := &fakeTarget{}
	m := New(Options{Path: path, Getenv: func(string) (string, bool) { return "", false }, History: st, Trail: trail,
		Prepare: target.prepare, Requests: stalledLog{}, StoreTimeouts: store.Timeouts{Request: 50 * time.Millisecond, Aggregate: 60 * time.Millisecond}})
	if _, err := m.Start(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	st.stalled.Store(true)
	next := []byte(strings.Replace(fileText, "sk-SECRET-one", "sk-SECRET-two", 1))
	for name, change := range map[string]func() error{
		"apply": func() error {
			_, err := m.Apply(context.Background(), Change{Text: next, Actor: "ops", Source: store.SourceAPI})
			return err
		},
		"rollback": func() error { _, err := m.Rollback(context.Background(), 1, "ops"); return err },
		"dry run":  func() error { _, err := m.DryRun(context.Background(), Change{Text: next}, 10); return err },
	} {
		done := make(chan error, 1)
		go func() { done <- change() }()
		select {
		case err := <-done:
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("%s with the database stalled: %v; want the store's deadline", name, err)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("%s with the database stalled: no answer", name)
		}
	}
	if _, _, v := m.Current(); v != 1 {
		t.Errorf("version %d runs after the failed changes; want 1", v)
	}
	st.stalled.Store(false)
	if res, err := m.Apply(context.Background(), Change{Text: next, Actor: "ops", Source: store.SourceAPI}); err != nil || res.Version != 2 {
		t.Errorf("a change once the database answers: %+v, %v", res, err)
	}
}
