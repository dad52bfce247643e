package anthropic

import "testing"

// TestHasWebSearch checks which Claude models have the web search tool,
// by Anthropic's list: not Claude 3 nor the first 3.5 Sonnet; 3.5 Haiku,
// the new 3.5 Sonnet, 3.7 Sonnet and every later model, in each
// platform's spelling; an unknown id is taken to have it.
func TestHasWebSearch(t *testing.T) {
	for _, tt := range []struct {
		model string
		want  bool
	}{
		{"claude-3-haiku-20240307", false},
		{"claude-3-opus-20240229", false},
		{"claude-3-opus-latest", false},
		{"claude-3-sonnet-20240229", false},
		{"anthropic.claude-3-haiku-20240307-v1:0", false},
		{"claude-3-5-sonnet-20240620", false},
		{"anthropic.claude-3-5-sonnet-20240620-v1:0", false},
		{"claude-3-5-sonnet-20241022", true},
		{"claude-3-5-sonnet-latest", true},
		{"claude-3-5-sonnet-v2@20241022", true},
		{"claude-3-5-haiku-20241022", true},
		{"claude-3-7-sonnet-20250219", true},
		{"claude-sonnet-4-20250514", true},
		{"claude-opus-4-20250514", true},
		{"claude-opus-4-1", true},
		{"claude-haiku-4-5", true},
		{"us.anthropic.claude-sonnet-4-5-20250929-v1:0", true},
		{"claude-opus-5-5", true},
		{"claude-fable-5-2", true},
		{"claude-nova-7", true}, // not a family the table knows: a future model
		{"my-model", true},
	} {
		if got := HasWebSearch(tt.model); got != tt.want {
			t.Errorf("HasWebSearch(%q) = %v, want %v", tt.model, got, tt.want)
		}
	}
}
