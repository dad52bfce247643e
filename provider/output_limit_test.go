package provider

import (
	"strconv"
	"strings"
	"testing"
)

func TestOutputLimit(t *testing.T) {
	cases := []struct {
		name, param, msg string
		want             int
	}{
		{"anthropic", "", "max_tokens: 64000 > 32000, which is the maximum allowed number of output tokens for claude-opus-4-1-20250805", 32000},
		{"openai chat", "max_tokens", "max_tokens is too large: 100000. This model supports at most 16384 completion tokens, whereas you provided 100000.", 16384},
		{"openai responses", "max_output_tokens", "Invalid 'max_output_tokens': integer above maximum value. Expected a value <= 128000, but got 200000 instead.", 128000},
		{"lower case, param only", "max_tokens", "integer above maximum value, expected a value <= 32768", 32768},
		{"vertex", "", "Unable to submit request because it has a maxOutputTokens value of 100000 but the supported range is from 1 (inclusive) to 65537 (exclusive). Update the value and try again.", 65536},
		{"vertex inclusive", "", "it has a maxOutputTokens value of 100000 but the supported range is from 1 (inclusive) to 8192 (inclusive)", 8192},
		{"vertex no range", "", "it has a maxOutputTokens value of 100000", 0},
		{"other integer", "n", "Invalid 'n': integer above maximum value. Expected a value <= 128, but got 200 instead.", 0},
		{"top_logprobs", "top_logprobs", "Invalid 'top_logprobs': integer above maximum value. Expected a value <= 20, but got 30 instead.", 0},
		{"unrelated", "", "Unsupported parameter: 'temperature' is not supported with this model.", 0},
		{"no number", "", "which is the maximum allowed number of output tokens", 0},
		{"too many digits", "", "This model supports at most 99999999999999999999 completion tokens", 0},
		{"empty", "", "", 0},
	}
	for _, c := range cases {
		if got := OutputLimit(c.param, c.msg); got != c.want {
			t.Errorf("%s: OutputLimit = %d, want %d", c.name, got, c.want)
		}
	}
}

var sinkLimit int

func TestOutputLimitAllocatesNothing(t *testing.T) {
	for _, msg := range []string{
		"Unsupported parameter: 'temperature' is not supported with this model.",
		"max_tokens: 64000 > 32000, which is the maximum allowed number of output tokens for claude-x",
	} {
		if n := testing.AllocsPerRun(100, func() { sinkLimit = OutputLimit("", msg) }); n != 0 {
			t.Errorf("OutputLimit(%q) allocates %v times", msg, n)
		}
	}
}

// FuzzOutputLimit: any message parses without panic to a limit that is
// zero or a number the message holds (or one below it, an exclusive
// bound).
func FuzzOutputLimit(f *testing.F) {
	f.Add("", "max_tokens: 64000 > 32000, which is the maximum allowed number of output tokens for claude-x")
	f.Add("max_tokens", "max_tokens is too large: 100000. This model supports at most 16384 completion tokens")
	f.Add("max_output_tokens", "Invalid 'max_output_tokens': integer above maximum value. Expected a value <= 128000")
	f.Add("", "integer above maximum value <=")
	f.Add("", "Unable to submit request because it has a maxOutputTokens value of 100000 but the supported range is from 1 (inclusive) to 65537 (exclusive).")
	f.Add("", "maxOutputTokens value of (inclusive) to 1 (exclusive)")
	f.Add("", ", which is the maximum allowed number of output tokens")
	f.Add("tokens", "integer above maximum value, expected a value <= 99999999999")
	f.Fuzz(func(t *testing.T, param, msg string) {
		n := OutputLimit(param, msg)
		if n < 0 {
			t.Fatalf("negative limit %d", n)
		}
		if n > 0 && !strings.Contains(msg, strconv.Itoa(n)) && !strings.Contains(msg, strconv.Itoa(n+1)) {
			t.Fatalf("limit %d is not in %q (nor its exclusive bound)", n, msg)
		}
	})
}
