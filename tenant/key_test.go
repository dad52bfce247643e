package tenant

import (
	"bytes"
	"crypto/sha256"
	"strings"
	"testing"
	"time"
)

func TestNewKeyShape(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		key, id := NewKey()
		if len(key) != KeyLen || !strings.HasPrefix(key, KeyPrefix+id+"_") {
			t.Fatalf("key %q (id %q) has not the documented shape", key, id)
		}
		got, ok := ParseKey(key)
		if !ok || got != id {
			t.Fatalf("ParseKey(%q) = %q, %v; want %q", key, got, ok, id)
		}
		if seen[id] || seen[key] {
			t.Fatalf("id or key drawn twice: %s", id)
		}
		seen[id], seen[key] = true, true
		if h := sha256.Sum256([]byte(key)); !bytes.Equal(Hash(key), h[:]) {
			t.Fatal("Hash is not the SHA-256 of the key")
		}
		if Shown(id) != "sy-"+id+"_…" || strings.Contains(Shown(id), key[len(KeyPrefix)+IDLen+1:]) {
			t.Fatalf("Shown(%q) = %q", id, Shown(id))
		}
	}
}

func TestParseKeyRejects(t *testing.T) {
	key, _ := NewKey()
	for name, s := range map[string]string{
		"empty":            "",
		"config key":       "ck-acme-0123456789",
		"short":            key[:len(key)-1],
		"long":             key + "A",
		"other prefix":     "sk-" + key[3:],
		"no separator":     key[:15] + "x" + key[16:],
		"upper-case id":    key[:3] + strings.ToUpper(key[3:15]) + key[15:],
		"misread letter":   key[:3] + "l" + key[4:],
		"bad secret char":  key[:20] + "+" + key[21:],
		"space in secret":  key[:30] + " " + key[31:],
		"unicode in place": key[:40] + "é" + key[42:],
	} {
		if id, ok := ParseKey(s); ok {
			t.Errorf("%s: ParseKey(%q) = %q, true", name, s, id)
		}
	}
}

// FuzzParseKey: ParseKey never panics, accepts only the documented shape,
// and the id it returns is the key's own.
func FuzzParseKey(f *testing.F) {
	key, _ := NewKey()
	for _, s := range []string{key, "", "sy-", "sy-abcdefghjkmn_", key[:KeyLen-1] + "\xff", "ck-acme-0123456789"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := ParseKey(s)
		if !ok {
			return
		}
		if len(s) != KeyLen || !strings.HasPrefix(s, KeyPrefix+id+"_") || !ValidID(id) {
			t.Fatalf("ParseKey(%q) accepted %q", s, id)
		}
	})
}

func TestParseExpires(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for s, want := range map[string]time.Time{
		"":                     {},
		"30d":                  now.Add(30 * 24 * time.Hour),
		"12h":                  now.Add(12 * time.Hour),
		"90m":                  now.Add(90 * time.Minute),
		"2026-12-31":           time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
		"2026-04-01T00:00:00Z": time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC),
	} {
		if got, err := ParseExpires(s, now); err != nil || !got.Equal(want) {
			t.Errorf("ParseExpires(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"0d", "-1d", "+3d", "-5h", "0s", "soon", "30 days", "99999999d"} {
		if got, err := ParseExpires(s, now); err == nil {
			t.Errorf("ParseExpires(%q) = %v, want an error", s, got)
		}
	}
}

// FuzzParseExpires: any text either fails or gives a time after now.
func FuzzParseExpires(f *testing.F) {
	for _, s := range []string{"30d", "1h", "2026-12-31", "2026-12-31T00:00:00Z", "-1h", "0d", "1e9h", ""} {
		f.Add(s)
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseExpires(s, now)
		if err != nil || s == "" || strings.Count(s, "-") >= 2 {
			return // a written date may lie in the past: Manager.check refuses it
		}
		if !got.After(now) {
			t.Fatalf("ParseExpires(%q) = %v, not after now", s, got)
		}
	})
}

// FuzzParseGrace: any text either fails or gives a grace period that is
// not negative and, written back as a duration, parses to itself.
func FuzzParseGrace(f *testing.F) {
	for _, s := range []string{"", "90m", "1h", "7d", "0d", "36500d", "36501d", "+1d", "-1h", "0", "1e9h", "2562047h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseGrace(s)
		if err != nil {
			if d != 0 || strings.Contains(err.Error(), "\n") {
				t.Fatalf("ParseGrace(%q) = %v, %q", s, d, err)
			}
			return
		}
		if d < 0 {
			t.Fatalf("ParseGrace(%q) = %v, negative", s, d)
		}
		if again, err := ParseGrace(d.String()); err != nil || again != d {
			t.Fatalf("ParseGrace(%q) = %v; ParseGrace(%q) = %v, %v", s, d, d.String(), again, err)
		}
	})
}
