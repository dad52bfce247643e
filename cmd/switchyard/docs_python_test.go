package main

import (
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// checkPython is the check python3 makes of each snippet of a JSON array
// read from stdin: it parses; every name it reads is imported, assigned
// or a builtin (else copying it gives a NameError); and an api_key it
// writes out is ASCII (the SDKs' HTTP client, httpx, encodes headers as
// ASCII: "sk-…" is a UnicodeEncodeError before any request). It prints
// a JSON array of each snippet's problems.
const checkPython = `
import ast, builtins, json, sys

def problems(src):
    try:
        tree = ast.parse(src)
    except SyntaxError as e:
        return ["line %s: %s" % (e.lineno, e.msg)]
    defined = set(dir(builtins))
    for n in ast.walk(tree):
        if isinstance(n, (ast.Import, ast.ImportFrom)):
            defined.update((a.asname or a.name).split(".")[0] for a in n.names)
        elif isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load):
            defined.add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(n.name)
        elif isinstance(n, ast.arg):
            defined.add(n.arg)
        elif isinstance(n, ast.ExceptHandler) and n.name:
            defined.add(n.name)
    out = sorted({"line %d: %s is not defined (an import missing?)" % (n.lineno, n.id)
        for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id not in defined})
    for n in ast.walk(tree):
        if isinstance(n, ast.keyword) and n.arg in ("api_key", "auth_token") and isinstance(n.value, ast.Constant) \
                and isinstance(n.value.value, str) and not n.value.value.isascii():
            out.append("line %d: %s=%r is not ASCII: httpx cannot send it in a header" % (n.value.lineno, n.arg, n.value.value))
    return out

print(json.dumps([problems(s) for s in json.load(sys.stdin)]))
`

// TestDocPythonSnippets: every ```python block of the documents parses
// with python3, reads no name it does not import or assign, and writes
// out an ASCII api_key. No Python SDK is installed here, so the blocks
// do not run; their calls were checked by hand against openai-python's
// and anthropic-sdk-python's signatures. Skipped without python3.
func TestDocPythonSnippets(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	var blocks []docBlock
	var snippets []string
	for _, b := range docBlocks(t, "python", "py") {
		if !b.skipped() {
			blocks, snippets = append(blocks, b), append(snippets, b.text)
		}
	}
	found, err := checkPythonSnippets(python, snippets)
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range blocks {
		if len(found[i]) > 0 {
			t.Errorf("%s: the Python snippet is wrong:\n%s\n--- the snippet:\n%s", b.where(), strings.Join(found[i], "\n"), b.text)
		}
	}
	t.Logf("%d Python snippets checked", len(blocks))
	if len(blocks) < 5 {
		t.Errorf("only %d Python snippets found: is the extraction broken?", len(blocks))
	}
}

// checkPythonSnippets runs checkPython on snippets (one python3 for
// all) and returns each one's problems. Its bound is a hang's.
func checkPythonSnippets(python string, snippets []string) ([][]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	in, err := json.Marshal(snippets)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, python, "-c", checkPython)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	if err != nil {
		return nil, errorf("python3 %v: %s", err, out)
	}
	var found [][]string
	if err := json.Unmarshal(out, &found); err != nil || len(found) != len(snippets) {
		return nil, errorf("python3 answered %q (%v)", out, err)
	}
	return found, nil
}

// TestCheckPythonSnippets: the check refuses a snippet that does not
// parse, one that reads a name it never imports, and a non-ASCII key.
func TestCheckPythonSnippets(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	snippets := []string{
		"from openai import OpenAI\nclient = OpenAI(api_key=\"sk-x\")\nfor c in client.x(): print(c)\n",
		"client = OpenAI(\n",
		"client = anthropic.Anthropic(api_key=\"sk-x\")\n",
		"from openai import OpenAI\nOpenAI(api_key=\"sk-…\")\n",
	}
	found, err := checkPythonSnippets(python, snippets)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"", "line 1", "anthropic is not defined", "not ASCII"} {
		if got := strings.Join(found[i], "\n"); want == "" && got != "" || !strings.Contains(got, want) {
			t.Errorf("%q: %q, want %q", snippets[i], got, want)
		}
	}
}
