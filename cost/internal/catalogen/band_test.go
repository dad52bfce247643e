package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// The long-prompt prices become a band line: above 200K tokens with the
// cache prices listed there, above 128K with input and output; none for
// an entry listing neither, or listing the band at $0 (LiteLLM's free
// experimental models).
func TestLongBandColumns(t *testing.T) {
	for _, tc := range []struct{ json, want string }{
		{`{"input_cost_per_token_above_200k_tokens":6e-06,"output_cost_per_token_above_200k_tokens":2.25e-05,"cache_read_input_token_cost_above_200k_tokens":6e-07,"cache_creation_input_token_cost_above_200k_tokens":7.5e-06}`,
			"\t200000\t6\t0.6\t7.5\t22.5"},
		{`{"input_cost_per_token_above_200k_tokens":2.5e-06,"output_cost_per_token_above_200k_tokens":1.5e-05}`, "\t200000\t2.5\t-\t-\t15"},
		{`{"input_cost_per_token_above_128k_tokens":7e-06,"output_cost_per_token_above_128k_tokens":2.1e-05}`, "\t128000\t7\t-\t-\t21"},
		{`{"input_cost_per_token_above_128k_tokens":0,"output_cost_per_token_above_128k_tokens":0}`, "\t-\t-\t-\t-\t-"},
		{`{"input_cost_per_token_above_200k_tokens":2.5e-06}`, "\t-\t-\t-\t-\t-"},
		{`{}`, "\t-\t-\t-\t-\t-"},
	} {
		var e entry
		if err := json.Unmarshal([]byte(tc.json), &e); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		writeBand(&b, longBand(&e))
		if b.String() != tc.want {
			t.Errorf("%s: %q, want %q", tc.json, b.String(), tc.want)
		}
	}
}
