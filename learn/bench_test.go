package learn

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"switchyard/llm"
)

// BenchmarkObserve is the implicit-signal detector's work for one
// finished chat (run by the recorder off the request's path, but CPU the
// router spends per request): a system prompt, two earlier turns and a
// ~500-token last message, in ASCII, and the same with accented text; and
// with a ~200-token last message of plain prose, as switchyard bench
// sends.
func BenchmarkObserve(b *testing.B) {
	const prose = "Summarize the trade-offs between latency, cost and quality when routing requests across several language model providers. "
	for _, tc := range []struct{ name, text string }{
		{"ascii", strings.Repeat("Please summarize the following Request text:\n\tIt has  Several Lines. ", 60)},
		{"accented", strings.Repeat("Please summarize the following Requête text:\n\tIt has  Several Lines. ", 60)},
		{"prose", strings.Repeat(prose, 7)[:800]},
	} {
		b.Run(tc.name, func(b *testing.B) {
			long := tc.text
			msgs := []llm.Message{
				llm.TextMessage(llm.RoleSystem, "You are a helpful assistant. Answer briefly."),
				user("What is the capital of France?"), asst("Paris."),
				user(long),
			}
			d := newDetector(DefaultWeights(), DefaultRetryWindow, DefaultContinuationWindow, 0)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				d.observe(chat(fmt.Sprint("r", i%1024), "u1", time.Duration(i)*time.Millisecond, "The summary.", msgs...), t0)
			}
		})
	}
}

// normalizedByRunes is appendNormalizedText as it was written first, rune
// by rune through package unicode: the reference the fast path must match.
func normalizedByRunes(dst []byte, s string, lead bool) []byte {
	pending := lead
	for _, r := range s {
		if unicode.IsSpace(r) {
			pending = len(dst) > 0
			continue
		}
		if pending {
			dst = append(dst, ' ')
			pending = false
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return dst
}

// The byte-at-a-time ASCII path normalizes exactly as the rune path:
// every ASCII byte, mixed scripts, Unicode spaces (NEL, NBSP, ideographic)
// and invalid UTF-8.
func TestNormalizedTextFastPathMatchesUnicode(t *testing.T) {
	var all strings.Builder
	for c := 0; c < utf8.RuneSelf; c++ {
		all.WriteByte(byte(c))
	}
	cases := []string{"", " ", all.String(), "  What IS\tGo?\r\n", "Ünïcode ÀB\u0085C\u00a0D\u3000E", "ÉTÉ été", "a\xffb\xc3", "İstanbul ΣΑΣ", "x\v\fy",
		"Please Summarize THE following text: it has  Several Lines.  ", " leading space, then words of eight bytes ", "abcdefg  hijklmnop qrstuvw xyz@[`{ AZaz09 ",
		"12345678 2345678  345678\x7f\x00\x1f         end", "ABCDEFGH IJKLMNOP\nQRSTUVWX Yz"}
	for _, s := range cases {
		for _, lead := range []bool{false, true} {
			for _, prefix := range []string{"", "abc"} {
				want := normalizedByRunes([]byte(prefix), s, lead)
				if got := appendNormalizedText([]byte(prefix), s, lead); string(got) != string(want) {
					t.Errorf("%q (lead %v, after %q): %q, want %q", s, lead, prefix, got, want)
				}
			}
		}
	}
}

func FuzzNormalizedText(f *testing.F) {
	for _, s := range []string{"Hello  World", "ÀB\u0085C", "a\xffb", "\t\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := appendNormalizedText(nil, s, false), normalizedByRunes(nil, s, false); string(got) != string(want) {
			t.Fatalf("%q: %q, want %q", s, got, want)
		}
		if got, want := appendNormalizedText([]byte("x"), s, true), normalizedByRunes([]byte("x"), s, true); string(got) != string(want) {
			t.Errorf("%q: %q, want %q", s, got, want)
		}
	})
}
