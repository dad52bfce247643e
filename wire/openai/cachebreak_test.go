package openai

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// A part's prompt_cache_breakpoint becomes its breakpoint: five minutes
// without a ttl, an hour for 30m or 12h; a malformed one is a 400 at its
// path; only the last four of a request are kept.
func TestCacheBreakpoints(t *testing.T) {
	for raw, want := range map[string]llm.CacheTTL{``: llm.NoCache, `null`: llm.NoCache, `{}`: llm.Cache5m, `{"mode":"explicit"}`: llm.Cache5m,
		`{"mode":"explicit","ttl":"30m"}`: llm.Cache1h, `{"ttl":"12h"}`: llm.Cache1h} {
		if got, err := CacheBreakpoint([]byte(raw)); err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", raw, got, err, want)
		}
	}
	for _, raw := range []string{`{"mode":"implicit"}`, `{"ttl":"5m"}`, `{"mode":"explicit","x":1}`, `true`, `[]`} {
		if _, err := CacheBreakpoint([]byte(raw)); err == nil {
			t.Errorf("%s: no error", raw)
		}
	}
	_, err := DecodeChatRequest([]byte(`{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a","prompt_cache_breakpoint":{"ttl":"1d"}}]}]}`))
	if e := llm.AsError(err); e == nil || e.Param != "messages[0].content[0].prompt_cache_breakpoint" || !strings.Contains(e.Message, "'30m' or '12h'") {
		t.Errorf("bad ttl: %v", err)
	}
	var parts []string
	for i := range 6 {
		parts = append(parts, `{"type":"text","text":"p`+string(rune('0'+i))+`","prompt_cache_breakpoint":{}}`)
	}
	r, err := DecodeChatRequest([]byte(`{"model":"m","messages":[{"role":"system","content":[` + strings.Join(parts[:2], ",") + `]},{"role":"user","content":[` + strings.Join(parts[2:], ",") + `]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if n := r.CacheBreakpoints(); n != 4 || r.Messages[0].Content[1].Cache() != llm.NoCache || r.Messages[1].Content[0].Cache() != llm.Cache5m {
		t.Errorf("%d breakpoints kept, want the last 4: %+v", n, r.Messages)
	}
}
