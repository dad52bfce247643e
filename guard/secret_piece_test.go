package guard

import (
	"strings"
	"testing"
)

// TestRedactSecretPieces: an upstream that echoes part of the configured
// key — without its prefix, or cut after its first characters — shows
// a piece of 16 bytes or more of it: Redact (upstream errors) masks that
// piece as the secret; shorter pieces, and text that merely shares a few
// bytes with the key, are kept. A Redactor (stored bodies) masks a
// secret whole only.
func TestRedactSecretPieces(t *testing.T) {
	const key = "sk-proj-PROBEKEY0123456789abcdefABCDEF0123456789"
	tests := []struct{ in, want string }{
		{"bad key ending " + key[8:] + " here", "bad key ending [REDACTED:secret] here"},
		{"key " + key[:24] + "… was refused", "key [REDACTED:secret]… was refused"},
		{"middle " + key[11:27] + ".", "middle [REDACTED:secret]."},
		{"short " + key[20:35] + ".", "short " + key[20:35] + "."},
		{"ids 0123456789 and ABCDEF are fine", "ids 0123456789 and ABCDEF are fine"},
		{"twice " + key[30:] + " " + key[9:40], "twice [REDACTED:secret] [REDACTED:secret]"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in, key); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if in := "ending " + key[8:]; NewRedactor(key).Redact(in) != in {
		t.Errorf("a Redactor masked a piece: %q", NewRedactor(key).Redact(in))
	}
	// A secret shorter than two pieces is matched whole only.
	if got := Redact("token hunter22hunter2", "hunter22hunter22"); got != "token hunter22hunter2" {
		t.Errorf("a 15-byte piece of a 16-byte secret: %q", got)
	}
	if got := Redact(strings.Repeat("x", 40), strings.Repeat("x", 20)); got != "[REDACTED:secret]" {
		t.Errorf("a repeated secret: %q", got)
	}
}
