package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const limitsBase = "providers: {p: {kind: openai, api_key: k}}\ndeployments: {d: {provider: p, model: gpt-4o-mini}}\n"

// TestParseBOM: a file an editor saved with a UTF-8 byte order mark
// parses as the same file without it.
func TestParseBOM(t *testing.T) {
	for _, text := range []string{limitsBase, strings.ReplaceAll(limitsBase, "\n", "\r\n")} {
		c := mustParse(t, append([]byte("\ufeff"), text...), nil)
		if _, ok := c.Deployments["d"]; !ok {
			t.Fatalf("deployment d missing: %+v", c.Deployments)
		}
	}
}

// TestParseRefusesTooDeep: a text nested past MaxDepth is refused by
// position before it is parsed (goccy/go-yaml's parser holds each
// node's path: memory grows with the square of the depth, and 200 KB of
// brackets took over 16 GB), in flow and in block style, under an
// ignored x- key too.
func TestParseRefusesTooDeep(t *testing.T) {
	n := 100_000
	blockSeq := strings.Repeat("- ", n) + "1\n"
	var blockMap strings.Builder
	for i := range MaxDepth + 2 {
		blockMap.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	for name, text := range map[string]string{
		"flow sequences": "x-deep: " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n",
		"flow mappings":  "x-deep: " + strings.Repeat("{a: ", n) + "1" + strings.Repeat("}", n) + "\n",
		"block sequence": "x-deep:\n" + blockSeq,
		"block mappings": "x-deep:\n" + blockMap.String(),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(limitsBase+text), nil)
			errs, ok := err.(Errors)
			if !ok || len(errs) != 1 {
				t.Fatalf("err = %v, want one error", err)
			}
			if e := errs[0]; !strings.Contains(e.Problem, "nested") || e.Line < 3 {
				t.Fatalf("error = %v, want one naming the nesting on a line of the x-deep value", e)
			}
		})
	}
}

// TestParseKeepsDepthAllowed: nesting up to MaxDepth parses.
func TestParseKeepsDepthAllowed(t *testing.T) {
	depth := MaxDepth - 1 // x-deep is a level of its own
	text := "x-deep: " + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "\n"
	mustParse(t, []byte(limitsBase+text), nil)
}

// TestParseRefusesTooLarge: a text over MaxBytes is refused whole,
// saying the size and the limit.
func TestParseRefusesTooLarge(t *testing.T) {
	text := []byte(limitsBase + "x-pad: \"" + string(bytes.Repeat([]byte("a"), MaxBytes)) + "\"\n")
	_, err := Parse(text, nil)
	if err == nil || !strings.Contains(err.Error(), "over the limit") {
		t.Fatalf("err = %v, want the size refused", err)
	}
}

// TestLoadReadsAtMostMaxBytes: a file past MaxBytes is refused having
// read no more than the limit (a --config pointed at /dev/zero or a disk
// image would otherwise be read whole into memory), as a read error
// saying so.
func TestLoadReadsAtMostMaxBytes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "switchyard.yaml")
	if err := os.WriteFile(path, []byte(limitsBase), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, 64*MaxBytes); err != nil { // sparse: 256 MiB of zeros
		t.Fatal(err)
	}
	_, err := Load(path)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), path) {
		t.Fatalf("Load = %v; want ErrTooLarge naming the file", err)
	}
	if data, err := ReadFile(path); data != nil || !errors.Is(err, ErrTooLarge) {
		t.Fatalf("ReadFile = %d bytes, %v", len(data), err)
	}
}
