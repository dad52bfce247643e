package seal_test

import (
	"bytes"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"testing"

	"switchyard/store/seal"
)

// hmacUnder is the blind index of msg under key as the doc says it is
// made: HMAC-SHA256 under HKDF-SHA256(key, no salt, BlindLabel).
func hmacUnder(t *testing.T, key, msg []byte) []byte {
	t.Helper()
	derived, err := hkdf.Key(sha256.New, key, nil, seal.BlindLabel, 32)
	if err != nil {
		t.Fatal(err)
	}
	m := hmac.New(sha256.New, derived)
	m.Write(msg)
	return m.Sum(nil)
}

// A blind index under a key is keyed (not the value's hash, not another
// key's), stable, and derived from the key rather than the key itself;
// without a key it is the value's SHA-256.
func TestBlind(t *testing.T) {
	msg := seal.Place("acme", "team", "x")
	a, b := mustKeys(t, key(1)), mustKeys(t, key(2))
	clear := sha256.Sum256(msg)
	if got := a.Blind(msg); !bytes.Equal(got, hmacUnder(t, key(1), msg)) {
		t.Errorf("Blind under A = %x; want HMAC under A's derived key %x", got, hmacUnder(t, key(1), msg))
	}
	raw := hmac.New(sha256.New, key(1))
	raw.Write(msg)
	for what, other := range map[string][]byte{"the SHA-256": clear[:], "B's index": b.Blind(msg), "the HMAC under the key itself": raw.Sum(nil)} {
		if bytes.Equal(a.Blind(msg), other) {
			t.Errorf("Blind under A equals %s", what)
		}
	}
	if !bytes.Equal(a.Blind(msg), mustKeys(t, key(1)).Blind(msg)) {
		t.Error("Blind is not the same under the same key")
	}
	if bytes.Equal(a.Blind(msg), a.Blind(seal.Place("acme", "team", "y"))) {
		t.Error("two values have the same index")
	}
	var none *seal.Keys
	for _, k := range []*seal.Keys{none, mustKeys(t, nil, key(1))} {
		if got := k.Blind(msg); !bytes.Equal(got, clear[:]) {
			t.Errorf("Blind without a current key = %x; want the SHA-256 %x", got, clear)
		}
	}
}

// Blinds lists the index under the current key, each previous one, then
// the clear one.
func TestBlinds(t *testing.T) {
	msg := seal.Place("acme", "k", "v")
	clear := sha256.Sum256(msg)
	for _, tt := range []struct {
		name string
		keys *seal.Keys
		want [][]byte
	}{
		{"none", nil, [][]byte{clear[:]}},
		{"rotated", mustKeys(t, key(2), key(1)), [][]byte{hmacUnder(t, key(2), msg), hmacUnder(t, key(1), msg), clear[:]}},
		{"off", mustKeys(t, nil, key(1)), [][]byte{hmacUnder(t, key(1), msg), clear[:]}},
		{"a key twice", mustKeys(t, key(1), key(1)), [][]byte{hmacUnder(t, key(1), msg), clear[:]}},
	} {
		got := tt.keys.Blinds(msg)
		if len(got) != len(tt.want) {
			t.Errorf("%s: %d indexes; want %d", tt.name, len(got), len(tt.want))
			continue
		}
		for i := range got {
			if !bytes.Equal(got[i], tt.want[i]) {
				t.Errorf("%s: index %d = %x; want %x", tt.name, i, got[i], tt.want[i])
			}
		}
	}
}

// BlindAs indexes under the key a stored value is sealed under, current
// or previous; a clear value's index is the clear one.
func TestBlindAs(t *testing.T) {
	msg, place := seal.Place("acme", "k", "v"), seal.Place("t", "c")
	clear := sha256.Sum256(msg)
	old, cur := mustKeys(t, key(1)), mustKeys(t, key(2), key(1))
	underOld := old.Seal([]byte(`{}`), place)
	if got := cur.BlindAs(underOld, msg); !bytes.Equal(got, hmacUnder(t, key(1), msg)) {
		t.Errorf("BlindAs(a value of the previous key) = %x; want its index under that key", got)
	}
	if got := cur.BlindAs(cur.Seal([]byte(`{}`), place), msg); !bytes.Equal(got, cur.Blind(msg)) {
		t.Errorf("BlindAs(a value of the current key) = %x; want Blind's %x", got, cur.Blind(msg))
	}
	if got := cur.BlindAs([]byte(`{"k":"v"}`), msg); !bytes.Equal(got, clear[:]) {
		t.Errorf("BlindAs(a clear value) = %x; want the SHA-256", got)
	}
}
