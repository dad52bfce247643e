// Package lint holds repository-wide checks that run as ordinary tests.
package lint

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// moduleRoot walks up from the test's directory to the go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

// pkg is one package of one directory, as its non-test files declare it.
type pkg struct {
	dir, name string
	docs      []string // the package doc comments of its files
}

// packages parses the package clause and doc comment of every non-test Go
// file under root, skipping what the go command skips (testdata, vendor,
// directories starting with "." or "_", nested modules), node_modules
// (JavaScript end-to-end tests) and files built only by "//go:build
// ignore".
func packages(t *testing.T, root string) []*pkg {
	t.Helper()
	byKey := map[string]*pkg{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path == root {
				return nil
			}
			if name == "testdata" || name == "vendor" || name == "node_modules" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir // another module
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		if ignored(f) {
			return nil
		}
		dir, _ := filepath.Rel(root, filepath.Dir(path))
		key := dir + " " + f.Name.Name
		p := byKey[key]
		if p == nil {
			p = &pkg{dir: filepath.ToSlash(dir), name: f.Name.Name}
			byKey[key] = p
		}
		if f.Doc != nil {
			p.docs = append(p.docs, f.Doc.Text())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]*pkg, 0, len(byKey))
	for _, p := range byKey {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].dir+" "+out[i].name < out[j].dir+" "+out[j].name })
	return out
}

// ignored reports whether f is excluded from every build ("//go:build
// ignore", as generators use).
func ignored(f *ast.File) bool {
	for _, cg := range f.Comments {
		if cg.Pos() >= f.Package {
			break
		}
		for _, c := range cg.List {
			if c.Text == "//go:build ignore" {
				return true
			}
		}
	}
	return false
}

// documented reports whether one of docs is the package comment of p: it
// starts "Package <name> " or, for a command, "Command ".
func documented(p *pkg) bool {
	for _, d := range p.docs {
		if strings.HasPrefix(d, "Package "+p.name+" ") {
			return true
		}
		if p.name == "main" && strings.HasPrefix(d, "Command ") {
			return true
		}
	}
	return false
}

func TestEveryPackageHasAComment(t *testing.T) {
	root := moduleRoot(t)
	pkgs := packages(t, root)
	if len(pkgs) < 10 {
		t.Fatalf("found only %d packages under %s; is the walk broken?", len(pkgs), root)
	}
	for _, p := range pkgs {
		if !documented(p) {
			want := `"// Package ` + p.name + ` ..."`
			if p.name == "main" {
				want = `"// Command <name> ..."`
			}
			t.Errorf("%s (package %s) has no package comment: add %s to one of its files, saying what the package is for", p.dir, p.name, want)
		}
	}
}

func TestDocumented(t *testing.T) {
	tests := []struct {
		name string
		docs []string
		want bool
	}{
		{"sse", []string{"Package sse reads and writes Server-Sent Events.\n"}, true},
		{"sse", nil, false},
		{"sse", []string{"Sse reads events.\n"}, false},
		{"sse", []string{"Package ssex is another package.\n"}, false},
		{"sse", []string{"Copyright notice.\n", "Package sse does things.\n"}, true},
		{"main", []string{"Command switchyard is the router.\n"}, true},
		{"main", []string{"Package main runs things.\n"}, true},
		{"main", []string{"Runs things.\n"}, false},
		{"lib", []string{"Command lib is not a command.\n"}, false},
	}
	for _, tt := range tests {
		if got := documented(&pkg{name: tt.name, docs: tt.docs}); got != tt.want {
			t.Errorf("documented(%s, %q) = %v, want %v", tt.name, tt.docs, got, tt.want)
		}
	}
}
