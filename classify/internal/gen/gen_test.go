package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestWrittenDataUpToDate checks that the committed written-here examples
// are exactly what the generator makes.
func TestWrittenDataUpToDate(t *testing.T) {
	files, err := render()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "testdata", "written")
	committed, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(committed) != len(files) {
		t.Errorf("%d committed files, generator makes %d", len(committed), len(files))
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go run ./classify/internal/gen", name)
		}
	}
}
