package guard

import (
	"cmp"
	"strings"
	"testing"
)

// planted are texts Redact must always mask part of, whatever text
// surrounds them (they are set off by " | ", which joins with nothing):
// the secret part must not survive.
var planted = []struct{ text, secret string }{
	{"sk-proj-Ab12Cd34Ef56Gh78Ij90", ""}, {"AKIAIOSFODNN7EXAMPLE", ""}, {"jane.doe@example.com", ""},
	{"4111 1111 1111 1111", ""}, {"078-05-1120", ""}, {"GB82 WEST 1234 5698 7654 32", ""},
	{"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX2hlcmU", ""},
	{"203.0.113.7", ""}, {"2001:db8::1", ""}, {"fe80::1ff:fe23:4567:890a", ""},
	{"+44 20 7946 0958", ""}, {"EMP-123456", ""},
	{"api_key=f3a9c1d2e4b5a6978877665544332211", "f3a9c1d2e4b5a6978877665544332211"},
	{"password: Tr0ub4dor!3", "Tr0ub4dor!3"},
	{"postgres://app:S3cr3tPa55@db:5432/app", "S3cr3tPa55"},
}

// fuzzRedactor is the Redactor FuzzRedact uses: the built-in kinds, one
// custom pattern and the fuzzed secret.
func fuzzRedactor(t *testing.T, secret string) *Redactor {
	r, err := New(Options{Secrets: []string{secret}, Patterns: []Pattern{{Name: "employee_id", Expr: `EMP-\d{6}`}}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// FuzzRedact: Redact never panics, leaves no exact secret (nor, the
// package-level Redact, a piece of one of minSecretPiece bytes) outside
// its own placeholders, nor any planted value, and is idempotent.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"", "sk-abcdefghijk", "Bearer x", "bearer\t\ty", "a sk- b", "ßearer ſk-",
		"call +1 (555) 010-9999x12", "x@y.co 4111-1111-1111-1111", "[REDACTED:email]@x.com", "GB82WEST12345698765432 1",
		"-----BEGIN EC PRIVATE KEY-----", "aws_secret_access_key=", "1 000 000.5",
		"10.0.0.1:8080 (192.168.1.1) [::1]:443 fe80::1%eth0 ::ffff:1.2.3.4 1.2.3.4.5 12:30:45 std::map",
		"call 2813882583, fax 73 448 266, Apt. 338 32 216, 8 (495) 123-45-67 ext. 12",
		`{"api_key": "`, "password=", "--token ", "my key is ", `<add key="ApiKey" value="`, "- name: X_TOKEN\n  value: ",
		"redis://:pw@", "scheme://user:", "EMP-12345", "[REDACTED:employee_id]", "\\n@x.io",
		"call 415-555-0132 4111 1111 1111 1111", "+44 20 7946 0958 5500 0000 0000 0004", "12 4111111111111111 1"} {
		f.Add(s, "secret", uint8(len(s)))
	}
	// Pieces of a configured key, as an upstream may echo them.
	f.Add("bad key ending PROBEKEY0123456789abcdef here", "sk-proj-PROBEKEY0123456789abcdef", uint8(0))
	f.Add("key sk-proj-PROBEKEY01… refused", "sk-proj-PROBEKEY0123456789abcdef", uint8(9))
	f.Add("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaa", uint8(1))
	f.Fuzz(func(t *testing.T, s, secret string, which uint8) {
		p := planted[int(which)%len(planted)]
		cut := int(which) % (len(s) + 1)
		in := s[:cut] + " | " + p.text + " | " + s[cut:]
		r := fuzzRedactor(t, secret)
		got := r.Redact(in)
		if again := r.Redact(got); again != got {
			t.Fatalf("not idempotent:\n%q\n→ %q\n→ %q", in, got, again)
		}
		bare := stripPlaceholders(got)
		if sec := cmp.Or(p.secret, p.text); strings.Contains(bare, sec) {
			t.Fatalf("Redact(%q) = %q still holds %q", in, got, sec)
		}
		if len(secret) >= minSecret && !strings.ContainsAny(secret, "\x00") && strings.Contains(bare, secret) {
			t.Fatalf("Redact(%q, %q) = %q still holds the secret", in, secret, got)
		}
		if len(secret) >= minSecretPiece && !strings.ContainsAny(secret, "\x00") {
			got := Redact(in, secret)
			if again := Redact(got, secret); again != got {
				t.Fatalf("Redact with pieces not idempotent:\n%q\n→ %q\n→ %q", in, got, again)
			}
			bare := stripPlaceholders(got)
			for i := 0; i+minSecretPiece <= len(secret); i++ {
				if strings.Contains(bare, secret[i:i+minSecretPiece]) {
					t.Fatalf("Redact(%q, %q) = %q still holds a piece of the secret", in, secret, got)
				}
			}
		}
		if got2 := Redact(s); !strings.ContainsAny(s, "0123456789@-+([:") && !hasLetterRun(s) && got2 != s {
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
