package periodic

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// A run of failures is told once, its end once, however many calls each
// lasts; Run returns when ctx ends.
func TestRunTellsChangesOnly(t *testing.T) {
	results := []error{nil, errors.New("a"), errors.New("b"), nil, nil, errors.New("c"), nil}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var said []string
	calls := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		Run(ctx, time.Millisecond, func(ctx context.Context) error {
			if calls == len(results) { // a tick ready with ctx.Done
				return ctx.Err()
			}
			err := results[calls]
			if calls++; calls == len(results) {
				cancel()
			}
			return err
		}, func(err error) { said = append(said, "failed "+err.Error()) }, func() { said = append(said, "recovered") })
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return once ctx ended")
	}
	if want := []string{"failed a", "recovered", "failed c", "recovered"}; !slices.Equal(said, want) {
		t.Errorf("said %q, want %q", said, want)
	}
}

// A call that fails because ctx ended says nothing.
func TestRunQuietWhenCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	failed := false
	Run(ctx, time.Millisecond, func(ctx context.Context) error {
		cancel()
		return ctx.Err()
	}, func(error) { failed = true }, func() {})
	if failed {
		t.Error("a call failing as ctx ended was told as a failure")
	}
}
