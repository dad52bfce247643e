package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestDocGoSnippets: every ```go block of the documents is, verbatim
// (spacing aside), in docs_sdk_*_test.go, where it compiles against the
// real SDKs and packages. A block marked "<!-- example: skip (…) -->"
// (an API outline, not code) is not.
func TestDocGoSnippets(t *testing.T) {
	var compiled strings.Builder
	for _, f := range []string{"docs_sdk_openai_test.go", "docs_sdk_anthropic_test.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		compiled.WriteString(normalizeCode(string(b)))
	}
	checked := 0
	for _, b := range docBlocks(t, "go") {
		if b.skipped() {
			continue
		}
		checked++
		if !strings.Contains(compiled.String(), normalizeCode(b.text)) {
			t.Errorf("%s: the Go snippet is not in docs_sdk_*_test.go, where it would compile; copy it there (in a func) as it is:\n%s", b.where(), b.text)
		}
	}
	t.Logf("%d Go snippets compiled", checked)
}

var spaces = regexp.MustCompile(`[ \t]+`)

// normalizeCode trims each line and collapses its runs of spaces, so
// that gofmt's alignment and indentation do not matter.
func normalizeCode(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = spaces.ReplaceAllString(strings.TrimSpace(l), " ")
	}
	return strings.Join(lines, "\n")
}
