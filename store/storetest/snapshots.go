package storetest

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"switchyard/store"
)

// testSnapshots: a saved snapshot reads back with its time; saving again
// replaces it; names are separate; an unknown name is ErrNotFound.
func testSnapshots(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, _, err := s.LoadSnapshot(ctx, "adaptive"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("LoadSnapshot of nothing: %v, want ErrNotFound", err)
	}
	at := Base.Add(90 * time.Minute)
	first := []byte{0, 1, 2, 0xff, '{', '}'}
	if err := s.SaveSnapshot(ctx, "adaptive", at, first); err != nil {
		t.Fatalf("SaveSnapshot: %v", err)
	}
	if err := s.SaveSnapshot(ctx, "other", Base, []byte("x")); err != nil {
		t.Fatalf("SaveSnapshot: %v", err)
	}
	data, got, err := s.LoadSnapshot(ctx, "adaptive")
	if err != nil || !bytes.Equal(data, first) || !got.Equal(at) {
		t.Fatalf("LoadSnapshot = %q, %v, %v; want %q, %v", data, got, err, first, at)
	}
	second := bytes.Repeat([]byte("ab"), 100000)
	if err := s.SaveSnapshot(ctx, "adaptive", at.Add(time.Second), second); err != nil {
		t.Fatalf("SaveSnapshot again: %v", err)
	}
	data, got, err = s.LoadSnapshot(ctx, "adaptive")
	if err != nil || !bytes.Equal(data, second) || !got.Equal(at.Add(time.Second)) {
		t.Fatalf("after replacing: %d bytes, %v, %v", len(data), got, err)
	}
	if data, _, err := s.LoadSnapshot(ctx, "other"); err != nil || string(data) != "x" {
		t.Errorf("other name: %q, %v", data, err)
	}
}
