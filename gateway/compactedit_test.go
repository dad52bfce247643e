package gateway

import (
	"testing"

	"switchyard/config"
)

// TestCompactsItself: which deployments compact a conversation themselves
// (a compact_20260112 edit passed through): Claude 4.6 and later on
// Anthropic's API alone; for the rest the router compacts it.
func TestCompactsItself(t *testing.T) {
	for _, c := range []struct {
		kind, model string
		want        bool
	}{
		{config.KindAnthropic, "claude-opus-4-7", true},
		{config.KindAnthropic, "claude-sonnet-4-6", true},
		{config.KindAnthropic, "claude-sonnet-4-5", false},
		{config.KindAnthropic, "claude-3-5-haiku-20241022", false},
		{config.KindAnthropic, "claude-opus-4-6@20260101", false}, // on Vertex
		{config.KindOpenAI, "gpt-4o-mini", false},
		{config.KindAzure, "gpt-4o", false},
		{config.KindGemini, "gemini-2.5-flash", false},
	} {
		if got := compactsItself(c.kind, c.model); got != c.want {
			t.Errorf("%s %s: %v, want %v", c.kind, c.model, got, c.want)
		}
	}
}
