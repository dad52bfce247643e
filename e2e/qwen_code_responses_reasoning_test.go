package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQwenCodeCLIResponsesReasoning runs the Qwen Code CLI's Responses
// protocol (--auth-type openai-responses) with its reasoning setting
// (reasoning {effort high, summary auto}, include
// reasoning.encrypted_content, store false) in a tool loop on an OpenAI
// reasoning model, Claude and Gemini: the second turn sends back what
// the first answered, as the CLI replays it (which reasoning items it
// holds is not checked here); each run is answered from the tool's
// result, and the
// upstream was sent the reasoning in its own terms (o3-mini on Chat
// Completions, where api auto calls it, reasoning_effort high).
func TestQwenCodeCLIResponsesReasoning(t *testing.T) {
	t.Parallel()
	cli := qwenCLIOrSkip(t)
	for _, tc := range []struct{ model, path, field, want string }{
		{"o3-mini", "/chat/completions", "reasoning_effort", `"high"`}, // api auto: o3-mini is served on Chat Completions
		{"claude-haiku-4-5", "/v1/messages", "thinking", `"enabled"`},
		{"gemini-2.5-flash", ":streamGenerateContent", "generationConfig", `"includeThoughts":true`},
	} {
		t.Run(tc.model, func(t *testing.T) {
			t.Parallel()
			e, tp := newTapEnv(t, nil)
			px := newEgressProxy(t, e.URL)
			home, work := t.TempDir(), t.TempDir()
			env := qwenCLIEnv(t, home, e.URL, px.URL, tc.model)
			if err := os.WriteFile(filepath.Join(home, ".qwen", "settings.json"), []byte(qwenReasoningSettings), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Join(work, "example"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(work, "example", "example"), []byte(qwenNotes+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			from := e.recordCount(t)
			out := runQwenCLI(t, cli, work, env, "Find my notes with grep_search.", "--auth-type", "openai-responses",
				"--core-tools", "grep_search", "--max-session-turns", "3", "--output-format", "stream-json",
				"--exclude-tools", "agent,skill,tool_call,tool_search")
			events, res := qwenEvents(t, out)
			checkQwenResult(t, res, 2)
			checkQwenGrep(t, events, res)
			checkQwenRouted(t, e, px, from, tc.model, res)
			body := tp.lastBody(t, tc.path)
			if got := string(body[tc.field]); !strings.Contains(got, tc.want) {
				t.Errorf("upstream %s %s (want %s)", tc.field, got, tc.want)
			}
		})
	}
}
