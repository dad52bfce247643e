package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// jsLangs are the fences of the documents' JavaScript and TypeScript
// snippets.
var jsLangs = []string{"js", "javascript", "mjs", "ts", "typescript"}

// nodeDir is e2e/node, where `make node-deps` installs node and the npm
// packages the snippets import (openai, @anthropic-ai/sdk, ai, …).
const nodeDir = "../../e2e/node"

// TestDocJSSnippets: every JavaScript and TypeScript block of the
// documents runs, as an ES module, with the node and npm packages of
// e2e/node against one demo router (serve --demo), and exits 0. A
// TypeScript block runs with node's type stripping. The router's
// documented addresses (http://127.0.0.1:8080, localhost:8080,
// wss://router.example.com) become the demo router's, and the values a
// snippet leaves to its reader — apiKey and key (a Switchyard key),
// model (a route) — are given. A block marked
// "<!-- example: skip (reason) -->" is not run.
func TestDocJSSnippets(t *testing.T) {
	node := docsNodeOrSkip(t)
	_, addr, stop := startServe(t, "--demo", "--sim-latency", "0", "--quiet", "--addr", "127.0.0.1:0", "--store", filepath.Join(t.TempDir(), "demo.db"))
	defer stop()
	run, skipped := 0, 0
	limit := make(chan struct{}, 2) // node's start-up and the SDKs' imports are the cost
	t.Run("blocks", func(t *testing.T) {
		for _, b := range docBlocks(t, jsLangs...) {
			if b.skipped() {
				skipped++
				t.Logf("%s: not run: %s", b.where(), b.mark)
				continue
			}
			run++
			t.Run(b.where(), func(t *testing.T) {
				t.Parallel()
				limit <- struct{}{}
				defer func() { <-limit }()
				if out, err := runJSSnippet(node, b, addr); err != nil {
					t.Errorf("%s: the %s snippet fails: %v\n%s\n--- the snippet:\n%s", b.where(), b.lang, err, out, b.text)
				}
			})
		}
	})
	t.Logf("%d JavaScript/TypeScript snippets run, %d marked skip", run, skipped)
	if run < 4 {
		t.Errorf("only %d snippets found: is the extraction broken?", run)
	}
}

// docsNodeOrSkip returns the node of e2e/node (else the PATH's) once the
// npm packages the snippets import are installed there; outside CI it
// skips when they are not.
func docsNodeOrSkip(t *testing.T) string {
	t.Helper()
	node, err := filepath.Abs(filepath.Join(nodeDir, "node_modules", ".bin", "node"))
	if _, serr := os.Stat(node); err != nil || serr != nil {
		node, err = exec.LookPath("node")
	}
	for _, pkg := range []string{"openai", "@anthropic-ai/sdk", "ai", "@openai/agents", "@langchain/openai"} {
		if err == nil {
			_, err = os.Stat(filepath.Join(nodeDir, "node_modules", pkg, "package.json"))
		}
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the documents' JavaScript snippets cannot run in CI: %v (run 'make node-deps')", err)
		}
		t.Skipf("node or an npm package is missing (%v); run 'make node-deps'", err)
	}
	return node
}

// runJSSnippet runs block b with node as an ES module read from stdin in
// e2e/node (so that its imports resolve there), the router at addr. Its
// bound is a hang's, not a timing check.
func runJSSnippet(node string, b docBlock, addr string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := []string{"--input-type=module", "-"}
	if b.lang == "ts" || b.lang == "typescript" {
		if err := nodeStripsTypes(node); err != nil {
			return nil, err
		}
		args = []string{"--experimental-strip-types", "--no-warnings=ExperimentalWarning", "--input-type=module-typescript", "-"}
	}
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = nodeDir
	cmd.Stdin = strings.NewReader(jsSnippetSource(b.text, addr))
	cmd.Env = append(snippetEnv(), "LANGCHAIN_TRACING_V2=false") // nothing leaves the machine
	return cmd.CombinedOutput()
}

// snippetEnv is the environment without the SDKs' own settings (a key
// or base URL there would be used instead of the snippet's).
func snippetEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "OPENAI_") && !strings.HasPrefix(name, "ANTHROPIC_") {
			env = append(env, kv)
		}
	}
	return env
}

// documentedRouter is the router's address in the documents.
var documentedRouter = regexp.MustCompile(`\b(http|ws)(s?)://(127\.0\.0\.1:8080|localhost:8080|router\.example\.com)`)

// jsSnippetSource is a snippet as it runs: the documented router's
// address replaced with addr (plain http or ws), after the values it
// leaves to its reader (globals, which a declaration of its own shadows).
func jsSnippetSource(snippet, addr string) string {
	const reader = "globalThis.apiKey = 'demo-key'; globalThis.key = 'demo-key'; globalThis.model = 'auto';\n"
	return reader + documentedRouter.ReplaceAllString(snippet, "${1}://"+addr)
}

// nodeStripsTypes reports why node cannot run TypeScript
// (--experimental-strip-types came in node 22.6), or nil.
func nodeStripsTypes(node string) error {
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return err
	}
	v := strings.Split(strings.TrimPrefix(strings.TrimSpace(string(out)), "v"), ".")
	major, _ := strconv.Atoi(v[0])
	minor := 0
	if len(v) > 1 {
		minor, _ = strconv.Atoi(v[1])
	}
	if major < 22 || major == 22 && minor < 6 {
		return errorf("node %s cannot strip TypeScript's types (22.6 or later can; 'make node-deps' installs 22)", strings.TrimSpace(string(out)))
	}
	return nil
}

// TestRunJSSnippet: a TypeScript snippet runs with its types stripped,
// the reader's values and the router's address filled in; one that
// throws fails.
func TestRunJSSnippet(t *testing.T) {
	node := docsNodeOrSkip(t)
	ts := docBlock{lang: "ts", text: "const k: string = apiKey;\nconst u: string = 'wss://router.example.com/v1/realtime';\n" +
		"if (k !== 'demo-key' || u !== 'ws://127.0.0.1:1/v1/realtime' || model !== 'auto') throw new Error(k + ' ' + u);\n"}
	if out, err := runJSSnippet(node, ts, "127.0.0.1:1"); err != nil {
		t.Errorf("the TypeScript snippet fails: %v\n%s", err, out)
	}
	js := docBlock{lang: "js", text: "import OpenAI from 'openai';\nthrow new Error(typeof OpenAI);\n"}
	if out, err := runJSSnippet(node, js, "127.0.0.1:1"); err == nil || !strings.Contains(string(out), "Error: function") {
		t.Errorf("a snippet that throws: %v\n%s", err, out)
	}
}
