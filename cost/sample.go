package cost

import (
	"strings"
	"unicode/utf8"
)

// MaxTokenized bounds the text an estimate tokenizes: 64 KiB take about
// 20 ms, and the count of a longer text is its first 64 KiB's scaled to
// its length (tokenizing 32 MiB would take seconds of CPU, for a figure
// that is an estimate anyway). Prompts counted with PromptTokens are not
// bounded by it.
const MaxTokenized = 64 << 10

// SampleTokens estimates the tokens of a text of total bytes that begins
// with sample: Tokens(sample) when sample is the whole text and at most
// MaxTokenized bytes long, otherwise the tokens of sample's first
// MaxTokenized bytes (at most) scaled to total.
func SampleTokens(sample string, total int) int {
	if len(sample) > MaxTokenized {
		sample = sample[:runeStart(sample, MaxTokenized)]
	}
	switch {
	case total <= len(sample):
		return Tokens(sample)
	case sample == "":
		return (total + 3) / 4 // nothing to scale from
	}
	return int(float64(Tokens(sample)) * float64(total) / float64(len(sample)))
}

// runeStart returns the largest i <= n at which a rune of s starts.
func runeStart(s string, n int) int {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return n
}

// Sample is the bounded record of a text written piece by piece, for an
// estimate of its tokens: it keeps the first MaxTokenized bytes and counts
// them all. The zero value is ready. It is not safe for concurrent use.
type Sample struct {
	kept  strings.Builder
	total int
}

// WriteString adds s to the text.
func (t *Sample) WriteString(s string) {
	t.total += len(s)
	if room := MaxTokenized - t.kept.Len(); room > 0 {
		if len(s) > room {
			s = s[:runeStart(s, room)]
		}
		t.kept.WriteString(s)
	}
}

// Len returns the length of the whole text written, in bytes.
func (t *Sample) Len() int { return t.total }

// Tokens estimates the tokens of the whole text (see SampleTokens).
func (t *Sample) Tokens() int { return SampleTokens(t.kept.String(), t.total) }
