package responses

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// A response object's service_tier is the tier that served it once the
// usage says so, and the one asked for (null when none) until then, as
// OpenAI's response.created ("auto") and response.completed ("default")
// events say.
func TestResponseServiceTier(t *testing.T) {
	r := decodeOK(t, `{"model":"m","input":"hi","service_tier":"auto"}`)
	m := &Meta{Model: "m"}
	for _, tc := range []struct {
		asked string
		usage *llm.Usage
		want  string
	}{
		{"auto", nil, `"service_tier":"auto"`},
		{"auto", &llm.Usage{ServiceTier: llm.TierDefault}, `"service_tier":"default"`},
		{"", &llm.Usage{ServiceTier: llm.TierFlex}, `"service_tier":"flex"`},
		{"", &llm.Usage{}, `"service_tier":null`},
	} {
		r.ServiceTier = tc.asked
		got := string(AppendResponse(nil, r, m, &Output{Status: StatusCompleted, Usage: tc.usage}))
		if !strings.Contains(got, tc.want) {
			t.Errorf("asked %q, usage %+v: %s", tc.asked, tc.usage, got)
		}
	}
}
