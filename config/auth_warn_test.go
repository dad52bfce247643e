package config

import (
	"strings"
	"testing"
)

func TestAuthWarningsNameKeysWithoutATenant(t *testing.T) {
	tests := []struct {
		name string
		keys string
		want []string // one substring per warning, in order
	}{
		{"named and tenanted keys", "    - {key: k1, name: web}\n    - {key: k2, tenant: acme}\n", nil},
		{"an unnamed key", "    - {key: k1, name: web}\n    - k2\n", []string{"auth.keys[1]: "}},
		{"two unnamed keys", "    - k1\n    - {key: k2, overrides: []}\n", []string{"auth.keys[0]: ", "auth.keys[1]: "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustParse(t, []byte(authDoc(tt.keys)), nil)
			got := c.AuthWarnings()
			if len(got) != len(tt.want) {
				t.Fatalf("AuthWarnings() = %q, want %d warning(s)", got, len(tt.want))
			}
			for i, w := range got {
				if !strings.HasPrefix(w, tt.want[i]) || !strings.Contains(w, "tenant") {
					t.Errorf("warning %d = %q, want it to start %q and say how to set a tenant", i, w, tt.want[i])
				}
				if strings.Contains(w, "k1") || strings.Contains(w, "k2") {
					t.Errorf("warning %d shows the key: %q", i, w)
				}
			}
		})
	}
	if got := (&Config{}).AuthWarnings(); got != nil {
		t.Errorf("no keys: AuthWarnings() = %q, want none", got)
	}
}
