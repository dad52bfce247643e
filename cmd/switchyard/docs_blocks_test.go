package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// docBlock is one fenced code block of a user document.
type docBlock struct {
	file string // the document, relative to the repository
	line int    // the line of the opening fence
	lang string // the fence's info string (yaml, sh, json…)
	text string // the block's lines, the fence's indentation removed
	// mark is the argument of an "<!-- example: … -->" comment on the
	// line before the block ("skip (reason)", "answer admin.ReportView"), or "".
	mark string
}

func (b docBlock) where() string { return fmt.Sprintf("%s:%d", b.file, b.line) }

// skipped reports whether the block is marked as not checkable.
func (b docBlock) skipped() bool { return strings.HasPrefix(b.mark, "skip") }

var (
	fenceOpen   = regexp.MustCompile("^(\\s*)```(\\w*)")
	fenceClose  = regexp.MustCompile("^\\s*```\\s*$")
	exampleMark = regexp.MustCompile(`^\s*<!--\s*example:\s*(.*?)\s*-->\s*$`)
)

// docBlocks returns the fenced blocks of README.md and docs/*.md whose
// language is one of langs.
func docBlocks(t *testing.T, langs ...string) []docBlock {
	t.Helper()
	files, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	files = append([]string{"../../README.md"}, files...)
	var out []docBlock
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range fencedBlocks(strings.TrimPrefix(f, "../../"), string(data)) {
			for _, l := range langs {
				if b.lang == l {
					out = append(out, b)
				}
			}
		}
	}
	return out
}

// fencedBlocks splits a Markdown document into its fenced blocks.
func fencedBlocks(file, doc string) []docBlock {
	lines := strings.Split(doc, "\n")
	var out []docBlock
	for i := 0; i < len(lines); i++ {
		m := fenceOpen.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		b := docBlock{file: file, line: i + 1, lang: m[2]}
		if i > 0 {
			if mm := exampleMark.FindStringSubmatch(lines[i-1]); mm != nil {
				b.mark = mm[1]
			}
		}
		var body []string
		for i++; i < len(lines) && !fenceClose.MatchString(lines[i]); i++ {
			body = append(body, strings.TrimPrefix(lines[i], m[1]))
		}
		b.text = strings.Join(body, "\n") + "\n"
		out = append(out, b)
	}
	return out
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
