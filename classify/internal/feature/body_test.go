package feature

import (
	"strings"
	"testing"
)

func TestBodyOf(t *testing.T) {
	long := strings.Repeat("The council met on Tuesday and voted on the budget. ", 30) // > shortParagraph
	huge := strings.Repeat(long, 2)                                                    // > longParagraph
	tests := []struct {
		name, text, body string
	}{
		{"one paragraph", "Write a poem about the sea. Make it rhyme.", ""},
		{"two short lines", "Write a poem about the sea.\nMake it rhyme.", ""},
		{"lines of a log, then a question", "ERROR a\n" + long + "\nWhy?", "\n" + long + "\n"},
		{"instruction, then a long passage", "Summarize this:\n\n" + long, "\n\n" + long},
		{"instruction, then a short passage", "Is this positive?\n\nGreat phone!", ""},
		{"instruction, passage, question", "Read this.\n\n" + long + "\n\nWho voted?", "\n\n" + long + "\n\n"},
		{"a long document, then a short question", huge + "\n\nWhat is this about?", huge + "\n\n"},
		{"a short first paragraph is always an instruction", "Context:\n\n" + long + "\n\nTL;DR", "\n\n" + long + "\n\n"},
	}
	for _, tt := range tests {
		b := bodyOf(tt.text)
		if got := tt.text[b.start:b.end]; got != tt.body {
			t.Errorf("%s: body %q…, want %q…", tt.name, clip(got), clip(tt.body))
		}
	}
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40]
	}
	return s
}

func TestBodyWordsHaveTheirOwnNamespace(t *testing.T) {
	var x Extractor
	x.Reset(16)
	x.Run(&Input{Main: "Summarize this:\n\n" + strings.Repeat("The council met on Tuesday and voted on the budget. ", 30)})
	c := x.Counts()
	if c[nsBody] == 0 || c[nsWord] == 0 {
		t.Fatalf("counts %v: want words in both the word and the body namespaces", c)
	}
	x.Reset(16)
	x.Run(&Input{Main: "Write a poem about the sea. Make it rhyme."})
	if c := x.Counts(); c[nsBody] != 0 {
		t.Errorf("a one-paragraph prompt has %d body features", c[nsBody])
	}
}

func TestThaiIsTokenizedByCharacter(t *testing.T) {
	var st textStats
	ws := wordScanner{s: "แต่งกลอน", end: len("แต่งกลอน"), stats: &st}
	n := 0
	for {
		if _, ideo, ok := ws.next(0); !ok {
			break
		} else if !ideo {
			t.Error("a Thai character is not a token by itself")
		}
		n++
	}
	if n != len([]rune("แต่งกลอน")) {
		t.Errorf("%d tokens, want one per character (%d)", n, len([]rune("แต่งกลอน")))
	}
}
