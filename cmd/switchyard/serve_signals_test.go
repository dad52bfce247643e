package main

import (
	"os"
	"syscall"
	"testing"
	"time"
)

// TestSecondSignalHurries: the first SIGINT or SIGTERM starts the
// shutdown (its drain), the second ends the drain at once.
func TestSecondSignalHurries(t *testing.T) {
	ctx, hurry, stop := shutdownSignals()
	defer stop()
	kill := func() {
		t.Helper()
		if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
	}
	kill()
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the first signal did not start the shutdown")
	}
	select {
	case <-hurry:
		t.Fatal("one signal hurried the drain")
	default:
	}
	kill()
	select {
	case <-hurry:
	case <-time.After(10 * time.Second):
		t.Fatal("the second signal did not hurry the drain")
	}
}
