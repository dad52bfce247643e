package storetest

import (
	"context"
	"sync"
	"testing"

	"switchyard/store"
)

// RunMigrations checks that starting is idempotent and safe to race:
// open (which connects to one and the same fresh database each time) is
// called by three goroutines at once, each applying the migrations; a row
// written through one is read through another and, after all are closed,
// through a fourth.
func RunMigrations(t *testing.T, open func() (store.Store, error)) {
	ctx := context.Background()
	const n = 3
	stores := make([]store.Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = open() })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("concurrent open %d: %v", i, err)
		}
	}
	write(t, stores[0], Sample(1))
	if _, err := stores[n-1].Get(ctx, store.TenantScope("acme"), Sample(1).ID); err != nil {
		t.Errorf("Get through another store: %v", err)
	}
	for _, s := range stores {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}
	s, err := open()
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if _, err := s.Get(ctx, store.TenantScope("acme"), Sample(1).ID); err != nil {
		t.Errorf("Get after reopening: %v", err)
	}
}
