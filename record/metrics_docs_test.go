package record

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The metrics every package registers are listed in a table of docs/
// (docs/telemetry.md; the adaptive scorer's in docs/adaptive.md). This package owns the request metrics and the record pipeline that
// feeds them; the test reads every package's code, so a metric added in
// a new package is checked too.

var (
	metricName = regexp.MustCompile(`^switchyard_[a-z0-9_]+$`)
	metricRow  = regexp.MustCompile("^\\| (`switchyard_[a-z0-9_]+`(?:, `switchyard_[a-z0-9_]+`)*) \\|")
)

// registeredMetrics returns the metric names in the module's code, by
// file: a switchyard_* string that is an Opts' Name or the argument of a
// call (prometheus.NewDesc, a package's own constructor).
func registeredMetrics(t *testing.T, root string) map[string]string {
	names := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil || !strings.Contains(string(src), `"switchyard_`) {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, src, 0)
		if err != nil {
			return err
		}
		for _, n := range metricLiterals(f) {
			names[n] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// metricLiterals returns the metric names f names as an Opts' Name or a
// call's argument.
func metricLiterals(f *ast.File) []string {
	var out []string
	add := func(e ast.Expr) {
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return
		}
		if s, err := strconv.Unquote(lit.Value); err == nil && metricName.MatchString(s) {
			out = append(out, s)
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.KeyValueExpr:
			if id, ok := n.Key.(*ast.Ident); ok && id.Name == "Name" {
				add(n.Value)
			}
		case *ast.CallExpr:
			for _, a := range n.Args {
				add(a)
			}
		}
		return true
	})
	return out
}

// TestMetricsDocumented fails when a metric the code registers is in no
// table of docs/, or a metric a table lists is not registered.
func TestMetricsDocumented(t *testing.T) {
	code := registeredMetrics(t, "..")
	if len(code) < 50 {
		t.Fatalf("found %d metrics in the code; there are more than 50", len(code))
	}
	pages, err := filepath.Glob("../docs/*.md")
	if err != nil || len(pages) == 0 {
		t.Fatal("no docs/*.md", err)
	}
	listed := map[string]bool{}
	for _, page := range pages {
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			m := metricRow.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			for _, name := range strings.Split(m[1], ", ") {
				name = strings.Trim(name, "`")
				listed[name] = true
				if _, ok := code[name]; !ok {
					t.Errorf("%s:%d lists %s, which no code registers", page, i+1, name)
				}
			}
		}
	}
	for name, file := range code {
		if !listed[name] {
			t.Errorf("%s registers %s, which no table in docs/ lists", file, name)
		}
	}
}
