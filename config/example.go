package config

import (
	_ "embed"
	"slices"
)

//go:embed example.yaml
var example []byte

// Example returns a commented switchyard.yaml to start from. It parses
// cleanly once SWITCHYARD_API_KEY, OPENAI_API_KEY, ANTHROPIC_API_KEY and
// GEMINI_API_KEY are set. The caller may modify the returned slice.
func Example() []byte { return slices.Clone(example) }
