package guard

import (
	"strings"
	"testing"
)

// planted are values Redact must always mask, whatever text surrounds them
// (they are set off by " | ", which joins with nothing).
var planted = []string{
	"sk-proj-Ab12Cd34Ef56Gh78Ij90", "AKIAIOSFODNN7EXAMPLE", "jane.doe@example.com",
	"4111 1111 1111 1111", "078-05-1120", "GB82 WEST 1234 5698 7654 32",
	"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX2hlcmU",
}

// FuzzRedact: Redact never panics, leaves no exact secret (outside its own
// placeholders) nor any planted value, and is idempotent.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"", "sk-abcdefghijk", "Bearer x", "bearer\t\ty", "a sk- b", "ßearer ſk-",
		"call +1 (555) 010-9999x12", "x@y.co 4111-1111-1111-1111", "[REDACTED:email]@x.com", "GB82WEST12345698765432 1",
		"-----BEGIN EC PRIVATE KEY-----", "aws_secret_access_key=", "1 000 000.5"} {
		f.Add(s, "secret", uint8(len(s)))
	}
	f.Fuzz(func(t *testing.T, s, secret string, which uint8) {
		p := planted[int(which)%len(planted)]
		cut := int(which) % (len(s) + 1)
		in := s[:cut] + " | " + p + " | " + s[cut:]
		got := Redact(in, secret)
		if again := Redact(got, secret); again != got {
			t.Fatalf("not idempotent:\n%q\n→ %q\n→ %q", in, got, again)
		}
		bare := stripPlaceholders(got)
		if strings.Contains(bare, p) {
			t.Fatalf("Redact(%q) = %q still holds %q", in, got, p)
		}
		if len(secret) >= minSecret && !strings.ContainsAny(secret, "\x00") && strings.Contains(bare, secret) {
			t.Fatalf("Redact(%q, %q) = %q still holds the secret", in, secret, got)
		}
		if got2 := Redact(s); !strings.ContainsAny(s, "0123456789@-+([") && !hasLetterRun(s) && got2 != s {
			t.Fatalf("Redact changed %q to %q", s, got2)
		}
	})
}

// stripPlaceholders replaces each placeholder of s by a NUL byte.
func stripPlaceholders(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if e := placeholderEnd(s, i); e > i {
			b.WriteByte(0)
			i = e
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// hasLetterRun reports whether s holds an ASCII letter (a word may be a key).
func hasLetterRun(s string) bool {
	for i := 0; i < len(s); i++ {
		if isLetter(s[i]) {
			return true
		}
	}
	return false
}
