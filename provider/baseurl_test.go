package provider

import (
	"strings"
	"testing"
)

func TestBaseURL(t *testing.T) {
	for _, tt := range []struct {
		configured, def, want, err string
	}{
		{"", "https://api.example.com/v1", "https://api.example.com/v1", ""},
		{"http://127.0.0.1:8080/v1/", "https://x", "http://127.0.0.1:8080/v1", ""},
		{"api.example.com/v1", "https://x", "", `kind provider "p": base_url "api.example.com/v1" is not an absolute http(s) URL`},
		{"ftp://example.com", "", "", "is not an absolute http(s) URL"},
		{"https://example.com/v1?x=1", "", "", "without a query"},
	} {
		got, u, err := BaseURL("kind", "p", tt.configured, tt.def)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("BaseURL(%q) error %v, want one containing %q", tt.configured, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want || u == nil || u.String() != tt.want {
			t.Errorf("BaseURL(%q) = %q, %v, %v; want %q", tt.configured, got, u, err, tt.want)
		}
	}
}
