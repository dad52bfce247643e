package seal_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"switchyard/store/seal"
)

// FuzzOpen feeds Open any bytes, with a key and without: it never
// panics; a clear value (JSON included) comes back as it is; a value
// claiming to be sealed opens only when it is one sealed under the key
// with that place, and otherwise fails with one of the documented
// errors.
//
//	go test ./store/seal -run '^$' -fuzz FuzzOpen -fuzztime 60s
func FuzzOpen(f *testing.F) {
	k := mustKeys(f, key(1))
	place := seal.Place("responses", "input", "acme", "resp_1")
	sealed := k.Seal([]byte(`[{"x":1}]`), place)
	f.Add(sealed, false)
	f.Add(sealed[:seal.Overhead], false)
	f.Add(append([]byte{2}, sealed[1:]...), false)
	f.Add([]byte(`{"metadata":{}}`), true)
	f.Add([]byte{1}, true)
	f.Add([]byte{}, true)
	f.Add([]byte("\t[]"), false)
	f.Fuzz(func(t *testing.T, v []byte, noKey bool) {
		keys := k
		if noKey {
			keys = nil
		}
		got, err := keys.Open(v, place)
		if json.Valid(v) && seal.Sealed(v) {
			t.Fatalf("valid JSON %q reads as sealed", v)
		}
		if !seal.Sealed(v) {
			if err != nil || !bytes.Equal(got, v) {
				t.Fatalf("clear %q: Open = %q, %v", v, got, err)
			}
			return
		}
		var missing *seal.MissingKeyError
		switch {
		case err == nil:
			if keys == nil {
				t.Fatalf("%q opened without a key", v)
			}
		case errors.Is(err, seal.ErrAltered), errors.Is(err, seal.ErrMalformed), errors.As(err, &missing):
		default:
			t.Fatalf("Open(%q) = %v, not a documented error", v, err)
		}
	})
}

// FuzzSealRoundTrip: any content at any place opens back to itself at
// that place, and at no other.
func FuzzSealRoundTrip(f *testing.F) {
	k := mustKeys(f, key(7), key(1))
	f.Add([]byte("hello"), "acme", "resp_1")
	f.Add([]byte{}, "", "")
	f.Fuzz(func(t *testing.T, plain []byte, tenant, id string) {
		place := seal.Place("conversation_items", "item", tenant, id)
		v := k.Seal(plain, place)
		if !seal.Sealed(v) {
			t.Fatal("a sealed value does not read as sealed")
		}
		got, err := k.Open(v, place)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("Open = %q, %v; want %q", got, err, plain)
		}
		if _, err := k.Open(v, seal.Place("conversation_items", "item", tenant, id+"x")); !errors.Is(err, seal.ErrAltered) {
			t.Fatalf("opened at another place: %v", err)
		}
	})
}
