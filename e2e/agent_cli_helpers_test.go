package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"testing"
	"time"
)

// This file holds what the tests of real agent CLIs (Claude Code, Codex,
// Qwen Code, opencode) share: running one bounded, and reading its JSON
// lines.

// runAgentCLI runs name with args in dir and env, bounded by three minutes
// (a hang's bound, not a timing check: at one minute, a Qwen Code and an
// opencode run were killed on a 2-core machine loaded about three times
// over, their answers mostly in), and returns its standard output; the
// CLI failing fails the test with what (the command as the failure names
// it) and its output.
func runAgentCLI(t *testing.T, what, dir string, env []string, name string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\nstdout: %.3000s\nstderr: %.3000s", what, err, out, stderr.Bytes())
	}
	return out
}

// jsonLines decodes out, one JSON value of type T a line (blank lines
// skipped); a line that is not one fails the test, naming what.
func jsonLines[T any](t *testing.T, what string, out []byte) []T {
	t.Helper()
	var vs []T
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s: a line is not JSON: %v: %.500s", what, err, sc.Bytes())
		}
		vs = append(vs, v)
	}
	return vs
}
