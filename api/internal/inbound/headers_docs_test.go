package inbound

import (
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// knownHeaders are the x-switchyard-* headers the router reads or
// writes: the routing headers and the ones a request may carry back.
func knownHeaders() map[string]bool {
	known := map[string]bool{}
	for _, h := range overrideNames() {
		known[h] = true
	}
	for h := range echoedHeaders {
		known[strings.ToLower(h)] = true
	}
	return known
}

var (
	headerRow     = regexp.MustCompile("^\\| `(x-switchyard-[a-z0-9-]+)` \\|")
	headerLiteral = regexp.MustCompile(`(?i)x-switchyard-[a-z0-9-]*[a-z0-9]`)
)

// TestHeadersDocumented fails when the README's table of the router's
// headers and the headers this package knows disagree.
func TestHeadersDocumented(t *testing.T) {
	b, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	known := knownHeaders()
	listed := map[string]bool{}
	for i, line := range strings.Split(string(b), "\n") {
		m := headerRow.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		listed[m[1]] = true
		if !known[m[1]] {
			t.Errorf("README.md:%d lists %s, which the router neither reads nor writes", i+1, m[1])
		}
	}
	for h := range known {
		if !listed[h] {
			t.Errorf("the router reads or writes %s, which README.md's table of headers does not list", h)
		}
	}
}

// TestHeadersInCodeKnown fails when a string in the module's code names
// an x-switchyard-* header this package does not know: a header read or
// written somewhere that a request would be refused for sending, and that
// TestHeadersDocumented would not see.
func TestHeadersInCodeKnown(t *testing.T) {
	known := knownHeaders()
	var unknown []string
	err := filepath.WalkDir("../../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != "../../.." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		for _, h := range stringHeaders(t, path) {
			if !known[h] && !slices.Contains(unknown, h+" ("+path+")") {
				unknown = append(unknown, h+" ("+path+")")
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range unknown {
		t.Errorf("the code names the header %s, which inbound does not know", u)
	}
}

// stringHeaders returns the x-switchyard-* names in the string literals
// of the Go file at path, lower-cased.
func stringHeaders(t *testing.T, path string) []string {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !headerLiteral.Match(src) {
		return nil
	}
	var s scanner.Scanner
	fset := token.NewFileSet()
	s.Init(fset.AddFile(path, -1, len(src)), src, nil, 0)
	var out []string
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return out
		}
		if tok != token.STRING {
			continue
		}
		for _, m := range headerLiteral.FindAllString(lit, -1) {
			out = append(out, strings.ToLower(m))
		}
	}
}
