package seal_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"switchyard/store/seal"
)

// key returns a key of 32 bytes b.
func key(b byte) []byte { return bytes.Repeat([]byte{b}, seal.KeySize) }

func mustKeys(t testing.TB, current []byte, previous ...[]byte) *seal.Keys {
	t.Helper()
	k, err := seal.New(current, previous...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// A sealed value carries the header (format, key id), not the content,
// and opens back with the same place only.
func TestSealOpen(t *testing.T) {
	k := mustKeys(t, key(1))
	plain := []byte(`[{"type":"message","content":"MARKER-7f3a secret plans"}]`)
	place := seal.Place("responses", "input", "acme", "resp_1")
	v := k.Seal(plain, place)
	if bytes.Contains(v, []byte("MARKER-7f3a")) {
		t.Fatal("the sealed value holds the content in clear")
	}
	sum := sha256.Sum256(key(1))
	if v[0] != seal.Format || !bytes.Equal(v[1:9], sum[:8]) || len(v) != len(plain)+seal.Overhead {
		t.Fatalf("header % x, length %d; want format 1, key id % x, length %d", v[:9], len(v), sum[:8], len(plain)+seal.Overhead)
	}
	if id, ok := seal.Header(v); !ok || id != k.Current() || id.String() != hex.EncodeToString(sum[:8]) {
		t.Errorf("Header = %v %v, want %v", id, ok, k.Current())
	}
	got, err := k.Open(v, place)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if w := k.Seal(plain, place); bytes.Equal(w, v) {
		t.Error("two seals of one content are equal: the nonce is not fresh")
	}
	for _, other := range [][]byte{
		seal.Place("responses", "input", "acme", "resp_2"),   // another row
		seal.Place("responses", "input", "globex", "resp_1"), // another tenant
		seal.Place("responses", "output", "acme", "resp_1"),  // another column
		seal.Place("responses", "input", "acmeresp_1", ""),   // the same bytes, cut otherwise
	} {
		if _, err := k.Open(v, other); !errors.Is(err, seal.ErrAltered) {
			t.Errorf("Open at %q = %v, want ErrAltered", other, err)
		}
	}
	v[len(v)-1] ^= 1
	if _, err := k.Open(v, place); !errors.Is(err, seal.ErrAltered) {
		t.Errorf("Open of an altered value = %v, want ErrAltered", err)
	}
}

// Clear values (JSON, written before encryption was on) read as they
// are, with a key or without.
func TestClearValuesRead(t *testing.T) {
	for _, k := range []*seal.Keys{nil, mustKeys(t, key(1))} {
		for _, v := range []string{`{"a":1}`, `[]`, "\n [1]", "", `"x"`} {
			got, err := k.Open([]byte(v), nil)
			if err != nil || string(got) != v {
				t.Errorf("Open(%q) with keys %v = %q, %v", v, k.Sealing(), got, err)
			}
		}
	}
	if v := (*seal.Keys)(nil).Seal([]byte("x"), nil); string(v) != "x" {
		t.Errorf("a nil Keys sealed: %q", v)
	}
}

// Rotation: a value sealed under A opens with B current and A previous;
// without A it is a MissingKeyError naming A's id, as without any key.
func TestRotation(t *testing.T) {
	a, b := mustKeys(t, key(1)), mustKeys(t, key(2), key(1))
	place := seal.Place("t", "c", "tenant", "id")
	v := a.Seal([]byte("content"), place)
	if got, err := b.Open(v, place); err != nil || string(got) != "content" {
		t.Fatalf("Open under the previous key = %q, %v", got, err)
	}
	if id, _ := seal.Header(b.Seal([]byte("x"), place)); id != seal.IDOf(key(2)) {
		t.Errorf("sealed under %v, want the current key %v", id, seal.IDOf(key(2)))
	}
	for _, k := range []*seal.Keys{nil, mustKeys(t, key(2))} {
		_, err := k.Open(v, place)
		var missing *seal.MissingKeyError
		if !errors.As(err, &missing) || missing.ID != seal.IDOf(key(1)) || !strings.Contains(err.Error(), seal.IDOf(key(1)).String()) {
			t.Errorf("Open without the key (keys %v) = %v, want a MissingKeyError naming %v", k.Sealing(), err, seal.IDOf(key(1)))
		}
	}
}

// Without a current key (encryption turned off), values are written
// clear and those sealed under a previous key still open.
func TestPreviousKeysOnly(t *testing.T) {
	place := seal.Place("t", "c", "tenant", "id")
	v := mustKeys(t, key(1)).Seal([]byte("content"), place)
	k := mustKeys(t, nil, key(1))
	if k.Sealing() || string(k.Seal([]byte("new"), place)) != "new" {
		t.Error("keys without a current one sealed a value")
	}
	if got, err := k.Open(v, place); err != nil || string(got) != "content" {
		t.Errorf("Open under a previous key = %q, %v", got, err)
	}
}

// A value that starts like a sealed one but is cut short, or of another
// format, is ErrMalformed.
func TestMalformed(t *testing.T) {
	k := mustKeys(t, key(1))
	v := k.Seal([]byte("abc"), nil)
	for name, bad := range map[string][]byte{
		"cut":         v[:seal.Overhead-1],
		"format 2":    append([]byte{2}, v[1:]...),
		"header only": v[:9],
		"one byte":    {1},
	} {
		if _, err := k.Open(bad, nil); !errors.Is(err, seal.ErrMalformed) {
			t.Errorf("%s: Open = %v, want ErrMalformed", name, err)
		}
	}
}

func TestParseKey(t *testing.T) {
	raw := []byte("0123456789abcdef0123456789ABCDEF")
	for _, s := range []string{
		base64.StdEncoding.EncodeToString(raw),
		base64.RawStdEncoding.EncodeToString(raw),
		base64.URLEncoding.EncodeToString(raw),
		hex.EncodeToString(raw),
		strings.ToUpper(hex.EncodeToString(raw)),
		" " + base64.StdEncoding.EncodeToString(raw) + "\n",
	} {
		if k, err := seal.ParseKey(s); err != nil || !bytes.Equal(k, raw) {
			t.Errorf("ParseKey(%q) = %x, %v", s, k, err)
		}
	}
	for _, s := range []string{"", "hunter2-secret", base64.StdEncoding.EncodeToString(raw[:16]), hex.EncodeToString(raw)[:63] + "g",
		base64.StdEncoding.EncodeToString(append(raw, 'x'))} {
		_, err := seal.ParseKey(s)
		if err == nil || (s != "" && strings.Contains(err.Error(), s)) {
			t.Errorf("ParseKey(%q) = %v, want an error without the value", s, err)
		}
	}
	if _, err := seal.New(raw[:16]); err == nil {
		t.Error("New took a 16-byte key")
	}
}

func TestPlaceIsUnambiguous(t *testing.T) {
	if bytes.Equal(seal.Place("ab", "c"), seal.Place("a", "bc")) || bytes.Equal(seal.Place("a", ""), seal.Place("a")) {
		t.Error("two lists of parts give the same additional data")
	}
}

// BenchmarkSeal seals and opens the content of a stored response of a
// ten-turn conversation (12 KB: input, output, object), the CPU a save
// and a read add.
//
//	go test ./store/seal -run '^$' -bench . -benchmem
func BenchmarkSeal(b *testing.B) {
	k := mustKeys(b, key(1))
	plain := bytes.Repeat([]byte(`{"type":"input_text","text":"word word word word"},`), 12*1024/50)
	place := seal.Place("responses", "input", "acme", "resp_0123456789abcdef")
	b.Run("seal", func(b *testing.B) {
		b.SetBytes(int64(len(plain)))
		for range b.N {
			k.Seal(plain, place)
		}
	})
	v := k.Seal(plain, place)
	b.Run("open", func(b *testing.B) {
		b.SetBytes(int64(len(plain)))
		for range b.N {
			if _, err := k.Open(v, place); err != nil {
				b.Fatal(err)
			}
		}
	})
}
