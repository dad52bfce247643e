package server

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"switchyard/config"
	"switchyard/gateway"
	"switchyard/llm"
)

// Two routers with the same responses.encryption.key open each other's
// reasoning blobs, for the same tenant only; without a key, each makes
// its own, which the other cannot open; a bad key is an error.
func TestReasoningSealers(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	blocks := []llm.Thinking{{Text: "t", Signature: "s"}}
	acme := gateway.WithCaller(context.Background(), gateway.Caller{Tenant: "acme"})
	globex := gateway.WithCaller(context.Background(), gateway.Caller{Tenant: "globex"})
	shared := &config.Encryption{Key: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}
	for _, c := range []struct {
		name  string
		enc   *config.Encryption
		opens bool
	}{{"shared key", shared, true}, {"no key", &config.Encryption{}, false}} {
		one, err := reasoningSealers(c.enc, log)
		if err != nil {
			t.Fatal(err)
		}
		other, err := reasoningSealers(c.enc, log)
		if err != nil {
			t.Fatal(err)
		}
		blob := one(acme).Seal(blocks)
		if _, ok := one(acme).Open(blob); !ok {
			t.Errorf("%s: a router does not open its own blob", c.name)
		}
		if _, ok := other(acme).Open(blob); ok != c.opens {
			t.Errorf("%s: the other router opens it: %v", c.name, ok)
		}
		if _, ok := one(globex).Open(blob); ok {
			t.Errorf("%s: another tenant opens it", c.name)
		}
	}
	rotated, err := reasoningSealers(&config.Encryption{Key: "BBECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", PreviousKeys: []string{shared.Key}}, log)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := reasoningSealers(shared, log)
	if _, ok := rotated(acme).Open(old(acme).Seal(blocks)); !ok {
		t.Error("a previous key's blob does not open after a rotation")
	}
	if _, err := reasoningSealers(&config.Encryption{Key: "short"}, log); err == nil {
		t.Error("a bad key is accepted")
	}
}
