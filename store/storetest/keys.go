package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"switchyard/store"
)

// SampleKey returns a managed key record with every field set, distinct
// for each i: id "k<i>", tenant "acme", created Base plus i seconds.
func SampleKey(i int) *store.KeyRecord {
	h := sha256.Sum256(fmt.Appendf(nil, "sy-secret-%d", i))
	return &store.KeyRecord{
		ID: fmt.Sprintf("k%011d", i), Hash: h[:], Name: fmt.Sprintf("backend-%d", i), Tenant: "acme",
		Routes: []string{"auto", "support"}, Deployments: []string{"gpt-4o-mini"}, Overrides: []string{"category"},
		RPM: 60, TPM: 100000, MaxConcurrent: 4, Created: Base.Add(time.Duration(i) * time.Second), CreatedBy: "cli",
		Expires: Base.Add(30 * 24 * time.Hour),
	}
}

// testKeysRoundTrip: a key reads back as stored, lists keep nil (every
// one) apart from empty (none), and versions count every change.
func testKeysRoundTrip(t *testing.T, s store.Store) {
	ctx := context.Background()
	if v, err := s.KeysVersion(ctx); err != nil || v != 0 {
		t.Fatalf("KeysVersion of no key = %d, %v; want 0", v, err)
	}
	full := SampleKey(1)
	full.Created = full.Created.Add(123 * time.Nanosecond)
	bare := &store.KeyRecord{ID: "kbare", Hash: bytes.Repeat([]byte{0xff}, 32), Created: Base, Overrides: []string{}}
	admin := &store.KeyRecord{ID: "kadmin", Hash: bytes.Repeat([]byte{1}, 32), Created: Base.Add(time.Hour), Role: "operator", Name: "ops"}
	for _, k := range []*store.KeyRecord{full, bare, admin} {
		if err := s.CreateKey(ctx, k); err != nil {
			t.Fatalf("CreateKey(%s): %v", k.ID, err)
		}
	}
	got, err := s.GetKey(ctx, store.TenantScope("acme"), full.ID)
	if err != nil {
		t.Fatalf("GetKey: %v", err)
	}
	if !reflect.DeepEqual(got, full) {
		t.Errorf("GetKey =\n%+v\nwant\n%+v", got, full)
	}
	got, err = s.GetKey(ctx, store.TenantScope(""), bare.ID)
	if err != nil || got.Routes != nil || got.Deployments != nil || got.Overrides == nil || len(got.Overrides) != 0 ||
		!got.Expires.IsZero() || !got.Revoked.IsZero() || got.Version != 1 {
		t.Errorf("a bare key = %+v, %v; want nil routes and deployments, empty overrides, no expiry, version 1", got, err)
	}
	all, err := s.ListKeys(ctx, store.AllTenants())
	if err != nil || len(all) != 3 || all[0].ID != bare.ID || all[1].ID != full.ID || all[2].ID != admin.ID {
		t.Fatalf("ListKeys(all) = %v, %v; want kbare, %s, kadmin (oldest first)", keyIDs(all), err, full.ID)
	}
	if all[2].Role != "operator" || all[2].Tenant != "" {
		t.Errorf("the admin key = %+v", all[2])
	}
	if v, err := s.KeysVersion(ctx); err != nil || v != 3 {
		t.Errorf("KeysVersion after three keys = %d, %v; want 3", v, err)
	}
	if err := s.CreateKey(ctx, SampleKey(1)); !errors.Is(err, store.ErrKeyExists) {
		t.Errorf("CreateKey of a stored id: %v, want ErrKeyExists", err)
	}
	if v, _ := s.KeysVersion(ctx); v != 3 {
		t.Errorf("KeysVersion after a refused create = %d, want 3", v)
	}
}

func keyIDs(ks []*store.KeyRecord) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.ID
	}
	return out
}

// testKeysTenantScope: a tenant's scope neither lists nor reads, revokes
// or rotates another tenant's key.
func testKeysTenantScope(t *testing.T, s store.Store) {
	ctx := context.Background()
	a, b := SampleKey(1), SampleKey(2)
	b.Tenant = "globex"
	for _, k := range []*store.KeyRecord{a, b} {
		if err := s.CreateKey(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	acme, globex := store.TenantScope("acme"), store.TenantScope("globex")
	if ks, err := s.ListKeys(ctx, acme); err != nil || len(ks) != 1 || ks[0].ID != a.ID {
		t.Errorf("acme's keys = %v, %v; want only %s", keyIDs(ks), err, a.ID)
	}
	if _, err := s.GetKey(ctx, acme, b.ID); !errors.Is(err, store.ErrKeyNotFound) {
		t.Errorf("acme reads globex's key: %v, want ErrKeyNotFound", err)
	}
	if err := s.RevokeKey(ctx, acme, b.ID, Base); !errors.Is(err, store.ErrKeyNotFound) {
		t.Errorf("acme revokes globex's key: %v, want ErrKeyNotFound", err)
	}
	if err := s.RotateKey(ctx, acme, b.ID, SampleKey(3), Base); !errors.Is(err, store.ErrKeyNotFound) {
		t.Errorf("acme rotates globex's key: %v, want ErrKeyNotFound", err)
	}
	if k, err := s.GetKey(ctx, globex, b.ID); err != nil || !k.Revoked.IsZero() || k.RotatedTo != "" {
		t.Errorf("globex's key after acme's attempts = %+v, %v; want untouched", k, err)
	}
	if _, err := s.GetKey(ctx, store.AllTenants(), SampleKey(3).ID); !errors.Is(err, store.ErrKeyNotFound) {
		t.Errorf("a refused rotation stored its new key: %v", err)
	}
}

// testKeysRevokeRotate: revoking keeps the first time; rotating stores
// the new key, links the old one to it and brings its expiry forward,
// once; a revoked or rotated key cannot be rotated.
func testKeysRevokeRotate(t *testing.T, s store.Store) {
	ctx := context.Background()
	scope := store.TenantScope("acme")
	old := SampleKey(1)
	if err := s.CreateKey(ctx, old); err != nil {
		t.Fatal(err)
	}
	next := SampleKey(2)
	grace := Base.Add(time.Hour)
	if err := s.RotateKey(ctx, scope, old.ID, next, grace); err != nil {
		t.Fatalf("RotateKey: %v", err)
	}
	o, err := s.GetKey(ctx, scope, old.ID)
	if err != nil || o.RotatedTo != next.ID || !o.Expires.Equal(grace) || o.Version != 2 {
		t.Errorf("rotated key = %+v, %v; want rotated to %s, expiring at %s, version 2", o, err, next.ID, grace)
	}
	if n, err := s.GetKey(ctx, scope, next.ID); err != nil || !bytes.Equal(n.Hash, next.Hash) {
		t.Errorf("the new key = %+v, %v", n, err)
	}
	if err := s.RotateKey(ctx, scope, old.ID, SampleKey(3), grace); !errors.Is(err, store.ErrKeyInactive) {
		t.Errorf("rotating a rotated key: %v, want ErrKeyInactive", err)
	}
	// A grace past the key's own expiry keeps the earlier one.
	short := SampleKey(4)
	short.Expires = Base.Add(time.Minute)
	if err := s.CreateKey(ctx, short); err != nil {
		t.Fatal(err)
	}
	if err := s.RotateKey(ctx, scope, short.ID, SampleKey(5), grace); err != nil {
		t.Fatal(err)
	}
	if k, _ := s.GetKey(ctx, scope, short.ID); !k.Expires.Equal(short.Expires) {
		t.Errorf("a grace past the expiry moved it to %s, want %s", k.Expires, short.Expires)
	}
	// Rotating onto a stored id stores nothing and changes nothing.
	fresh := SampleKey(6)
	if err := s.CreateKey(ctx, fresh); err != nil {
		t.Fatal(err)
	}
	if err := s.RotateKey(ctx, scope, fresh.ID, SampleKey(2), grace); !errors.Is(err, store.ErrKeyExists) {
		t.Errorf("rotating onto a stored id: %v, want ErrKeyExists", err)
	}
	if k, _ := s.GetKey(ctx, scope, fresh.ID); k.RotatedTo != "" || k.Version != 1 {
		t.Errorf("a failed rotation changed the key: %+v", k)
	}
	at := Base.Add(2 * time.Hour)
	if err := s.RevokeKey(ctx, scope, fresh.ID, at); err != nil {
		t.Fatalf("RevokeKey: %v", err)
	}
	if err := s.RevokeKey(ctx, scope, fresh.ID, at.Add(time.Hour)); err != nil {
		t.Errorf("revoking again: %v", err)
	}
	if k, _ := s.GetKey(ctx, scope, fresh.ID); !k.Revoked.Equal(at) || k.Version != 2 {
		t.Errorf("revoked twice = %+v; want the first time %s, version 2", k, at)
	}
	if err := s.RotateKey(ctx, scope, fresh.ID, SampleKey(7), grace); !errors.Is(err, store.ErrKeyInactive) {
		t.Errorf("rotating a revoked key: %v, want ErrKeyInactive", err)
	}
	if err := s.RevokeKey(ctx, scope, "knothing", at); !errors.Is(err, store.ErrKeyNotFound) {
		t.Errorf("revoking an unknown key: %v, want ErrKeyNotFound", err)
	}
}

// testKeysConcurrentRotate: of many rotations of one key at once, exactly
// one wins; the version grows with each change.
func testKeysConcurrentRotate(t *testing.T, s store.Store) {
	ctx := context.Background()
	scope := store.TenantScope("acme")
	if err := s.CreateKey(ctx, SampleKey(0)); err != nil {
		t.Fatal(err)
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		wins int
	)
	for i := 1; i <= 8; i++ {
		wg.Go(func() {
			err := s.RotateKey(ctx, scope, SampleKey(0).ID, SampleKey(i), Base.Add(time.Hour))
			switch {
			case err == nil:
				mu.Lock()
				wins++
				mu.Unlock()
			case !errors.Is(err, store.ErrKeyInactive):
				t.Errorf("a losing rotation: %v, want ErrKeyInactive", err)
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d of 8 concurrent rotations of one key won, want 1", wins)
	}
	if ks, _ := s.ListKeys(ctx, scope); len(ks) != 2 {
		t.Errorf("%d keys after the rotations, want 2: %v", len(ks), keyIDs(ks))
	}
	if v, _ := s.KeysVersion(ctx); v != 3 {
		t.Errorf("KeysVersion = %d, want 3 (create, rotated, new key)", v)
	}
}
