package server

import (
	"bytes"
	"context"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/state/memory"
)

// With a responses.encryption key, the shared thinking is sealed at rest:
// what is stored is not the plain value, opens under its own key name
// only, and opens for another replica holding the key; without one it is
// stored as it is.
func TestThinkingSealedAtRest(t *testing.T) {
	ctx := context.Background()
	st := memory.New(memory.Options{})
	enc := &config.Encryption{Key: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}
	a, err := thinkingStore(enc, st)
	if err != nil {
		t.Fatal(err)
	}
	plain := []byte("\x01the model weighed the user's address at 12 Rue X")
	if err := a.Set(ctx, "thinking:t:k1", plain, time.Minute); err != nil {
		t.Fatal(err)
	}
	raw, _, _ := st.Get(ctx, "thinking:t:k1")
	if bytes.Contains(raw, []byte("Rue X")) {
		t.Fatalf("stored in the clear: %q", raw)
	}
	b, _ := thinkingStore(enc, st) // another replica, the same key
	if got, ok, err := b.Get(ctx, "thinking:t:k1"); err != nil || !ok || !bytes.Equal(got, plain) {
		t.Errorf("another replica read %q, %v, %v", got, ok, err)
	}
	st.Set(ctx, "thinking:t:k2", raw, time.Minute) // moved under another name
	if _, ok, _ := b.Get(ctx, "thinking:t:k2"); ok {
		t.Error("a value opened under another key name")
	}
	st.Set(ctx, "thinking:t:k3", plain, time.Minute) // kept clear before sealing was set
	if _, ok, _ := b.Get(ctx, "thinking:t:k3"); ok {
		t.Error("a clear value was taken as sealed")
	}
	clear, _ := thinkingStore(&config.Encryption{}, st)
	if clear != any(st) {
		t.Errorf("without a key the store is wrapped: %T", clear)
	}
}
