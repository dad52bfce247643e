package config

import (
	"strings"
	"testing"
	"time"
)

func TestAuditSection(t *testing.T) {
	const base = "providers: {openai: {kind: openai, api_key: k}}\ndeployments: {m: {provider: openai}}\n"
	for _, tc := range []struct {
		name, text string
		want       Audit
		err        string
	}{
		{"defaults", "", Audit{Retention: 365 * 24 * time.Hour, KeepVersions: 100}, ""},
		{"days", "audit: {retention: 90d, keep_versions: 5}", Audit{Retention: 90 * 24 * time.Hour, KeepVersions: 5}, ""},
		{"hours", "audit: {retention: 720h}", Audit{Retention: 720 * time.Hour, KeepVersions: 100}, ""},
		{"forever", "audit: {retention: forever}", Audit{Retention: AuditForever, KeepVersions: 100}, ""},
		{"not a duration", "audit: {retention: a year}", Audit{}, `3:20: audit.retention: must be a duration, got string "a year"`},
		{"zero days", "audit: {retention: 0d}", Audit{}, "audit.retention: must be > 0, got 0d"},
		{"no version kept", "audit: {keep_versions: 0}", Audit{}, "audit.keep_versions: must be >= 1, got 0"},
		{"unknown field", "audit: {retain: 1d}", Audit{}, `audit: unknown field "retain"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse([]byte(base+tc.text+"\n"), nil)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("Parse: %v; want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Audit != tc.want {
				t.Errorf("Audit = %+v; want %+v", c.Audit, tc.want)
			}
		})
	}
}
