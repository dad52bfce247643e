package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// cliCommands are the command lines that make a flag set; the test
// checks that they reach every newFlagSet call in the code, so a new
// command's flags cannot go unlisted.
var cliCommands = [][]string{
	{"serve"}, {"sim"}, {"load"}, {"bench"},
	{"classify", "train"}, {"classify", "eval"}, {"classify", "cv"}, {"classify", "clusters"}, {"classify", "combine"},
	{"route", "explain"},
	{"guard", "scan"}, {"guard", "train"}, {"guard", "eval"},
	{"requests", "list"}, {"requests", "show"},
	{"learn", "fit"}, {"replay"}, {"replay", "--log"}, {"report"},
	{"drift", "run"}, {"drift", "report"}, {"drift", "pin"},
	{"keys", "create"}, {"keys", "list"}, {"keys", "revoke"}, {"keys", "rotate"},
	{"responses", "reencrypt"}, {"health"},
}

// cliFlagSets runs each of cliCommands with -h and returns the flag sets
// they made, by name, and the places in the code that made them.
func cliFlagSets(t *testing.T) (map[string]*flag.FlagSet, map[string]bool) {
	sets := map[string]*flag.FlagSet{}
	sites := map[string]bool{}
	onFlagSet = func(fs *flag.FlagSet) {
		sets[fs.Name()] = fs
		if _, file, line, ok := runtime.Caller(2); ok {
			sites[fmt.Sprintf("%s:%d", filepath.Base(file), line)] = true
		}
	}
	defer func() { onFlagSet = nil }()
	for _, c := range cliCommands {
		run(append(slices.Clone(c), "-h"), io.Discard, io.Discard)
	}
	return sets, sites
}

// flagSetCalls returns the places of the newFlagSet calls in the
// command's code.
func flagSetCalls(t *testing.T) []string {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var calls []string
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok {
				if id, ok := c.Fun.(*ast.Ident); ok && id.Name == "newFlagSet" {
					p := fset.Position(c.Pos())
					calls = append(calls, fmt.Sprintf("%s:%d", p.Filename, p.Line))
				}
			}
			return true
		})
	}
	return calls
}

var (
	cliHeading = regexp.MustCompile("`switchyard ([a-z -]+)`")
	cliFlagRow = regexp.MustCompile("^\\| `--([a-z0-9-]+)`")
)

// cliDocs reads docs/cli.md: each command's heading and the flags its
// table lists. A heading may name several commands of the same flags.
func cliDocs(t *testing.T) map[string][]string {
	b, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string][]string{}
	var cmds []string
	for i, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "## ") {
			cmds = nil
			for _, m := range cliHeading.FindAllStringSubmatch(line, -1) {
				if _, dup := docs[m[1]]; dup {
					t.Errorf("docs/cli.md:%d: switchyard %s has two sections", i+1, m[1])
				}
				docs[m[1]] = []string{}
				cmds = append(cmds, m[1])
			}
			continue
		}
		if m := cliFlagRow.FindStringSubmatch(line); m != nil {
			if cells := strings.Split(line, " | "); strings.TrimSpace(strings.TrimSuffix(cells[len(cells)-1], "|")) == "" {
				t.Errorf("docs/cli.md:%d: --%s has no meaning", i+1, m[1])
			}
			for _, c := range cmds {
				docs[c] = append(docs[c], m[1])
			}
		}
	}
	return docs
}

// TestCLIDocumented fails when docs/cli.md and the commands disagree: a
// command or flag it does not list, or one it lists that does not exist.
func TestCLIDocumented(t *testing.T) {
	sets, sites := cliFlagSets(t)
	for _, c := range flagSetCalls(t) {
		if !sites[c] {
			t.Errorf("%s makes a flag set no command line of cliCommands reaches: add the command", c)
		}
	}
	docs := cliDocs(t)
	for name, fs := range sets {
		listed, ok := docs[name]
		if !ok {
			t.Errorf("docs/cli.md has no section for switchyard %s", name)
			continue
		}
		fs.VisitAll(func(f *flag.Flag) {
			if !slices.Contains(listed, f.Name) {
				t.Errorf("docs/cli.md does not list switchyard %s --%s", name, f.Name)
			}
		})
		for _, l := range listed {
			if fs.Lookup(l) == nil {
				t.Errorf("docs/cli.md lists switchyard %s --%s, which does not exist", name, l)
			}
		}
	}
	for name, listed := range docs {
		if _, ok := sets[name]; !ok && len(listed) > 0 {
			t.Errorf("docs/cli.md lists flags of switchyard %s, which makes no flag set", name)
		}
	}
	for _, w := range topCommands(t) {
		if _, ok := docs[w]; !ok && !slices.ContainsFunc(mapKeys(docs), func(k string) bool { return strings.HasPrefix(k, w+" ") }) {
			t.Errorf("docs/cli.md has no section for switchyard %s", w)
		}
	}
}

func mapKeys(m map[string][]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// topCommands returns the commands run dispatches on, from main.go.
func topCommands(t *testing.T) []string {
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		fn, ok := n.(*ast.FuncDecl)
		if ok && fn.Name.Name != "run" {
			return false
		}
		if cc, ok := n.(*ast.CaseClause); ok && len(cc.List) > 0 {
			if lit, ok := cc.List[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if w := strings.Trim(lit.Value, `"`); w != "help" {
					out = append(out, w)
				}
			}
		}
		return true
	})
	if len(out) < 15 {
		t.Fatalf("found %d commands in main.go's run", len(out))
	}
	return out
}

// TestCLIDump prints every command's flags (SWITCHYARD_CLI_DUMP=1).
func TestCLIDump(t *testing.T) {
	if os.Getenv("SWITCHYARD_CLI_DUMP") == "" {
		t.Skip("SWITCHYARD_CLI_DUMP not set")
	}
	sets, _ := cliFlagSets(t)
	for _, c := range cliCommands {
		fs := sets[strings.Join(c, " ")]
		if fs == nil {
			continue
		}
		fmt.Printf("\n## `switchyard %s`\n\n| flag | default | meaning |\n|---|---|---|\n", fs.Name())
		fs.VisitAll(func(f *flag.Flag) {
			fmt.Printf("| `--%s` | `%s` | %s |\n", f.Name, f.DefValue, strings.ReplaceAll(f.Usage, "|", `\|`))
		})
	}
}
