package provider

import (
	"errors"
	"slices"
	"testing"
)

func TestSecrets(t *testing.T) {
	got := Secrets("sk-key", map[string]string{"X-B": "bee-value", "X-A": "aye-value", "X-Empty": "", "X-Same": "sk-key"})
	if want := []string{"sk-key", "aye-value", "bee-value"}; !slices.Equal(got, want) {
		t.Errorf("Secrets = %q, want %q", got, want)
	}
	if got := Secrets("", nil); got != nil {
		t.Errorf("Secrets of nothing = %q, want nil", got)
	}
}

func TestRedactCause(t *testing.T) {
	secrets := []string{"sk-key-0123456789", "gateway-credential-42"}
	if RedactCause(nil, secrets) != nil {
		t.Error("a nil cause is not nil")
	}
	plain := errors.New("dial tcp: connection refused")
	if got := RedactCause(plain, secrets); got != plain {
		t.Errorf("a cause without a secret changed: %v", got)
	}
	got := RedactCause(errors.New(`header "X-Gateway-Auth: gateway-credential-42" refused`), secrets)
	if want := `header "X-Gateway-Auth: [REDACTED:secret]" refused`; got.Error() != want {
		t.Errorf("RedactCause = %q, want %q", got, want)
	}
}
