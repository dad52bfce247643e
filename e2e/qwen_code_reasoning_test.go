package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// qwenReasoningSettings is qwenSettings with the CLI's reasoning setting,
// which it sends as OpenRouter's reasoning object on Chat Completions
// (reasoning: {"effort": "high"}) to every model but GPT-5 ones.
var qwenReasoningSettings = strings.Replace(qwenSettings, `"security":`,
	`"model": {"generationConfig": {"reasoning": {"effort": "high"}}},
  "security":`, 1)

// TestQwenCodeCLIReasoning runs the Qwen Code CLI with its reasoning
// setting on an OpenAI reasoning model (o3-mini, which refuses the object
// itself), Claude and Gemini: each run is answered, and each upstream was
// sent effort high in its own terms, never the object; the thinking is
// shown (Gemini's includeThoughts), as the object does not exclude it.
func TestQwenCodeCLIReasoning(t *testing.T) {
	t.Parallel()
	cli := qwenCLIOrSkip(t)
	for _, tc := range []struct{ model, path, field, want string }{
		{"o3-mini", "/chat/completions", "reasoning_effort", `"high"`},
		{"claude-haiku-4-5", "/v1/messages", "thinking", `{"type":"enabled","budget_tokens":16384}`},
		// high's 16384, bounded to half the CLI's max_tokens (8192 for Gemini 2.5)
		{"gemini-2.5-flash", ":streamGenerateContent", "generationConfig", `{"includeThoughts":true,"thinkingBudget":4096}`},
	} {
		t.Run(tc.model, func(t *testing.T) {
			t.Parallel()
			e, tp := newTapEnv(t, nil)
			px := newEgressProxy(t, e.URL)
			home := t.TempDir()
			env := qwenCLIEnv(t, home, e.URL, px.URL, tc.model)
			if err := os.WriteFile(filepath.Join(home, ".qwen", "settings.json"), []byte(qwenReasoningSettings), 0o600); err != nil {
				t.Fatal(err)
			}
			from := e.recordCount(t)
			out := runQwenCLI(t, cli, t.TempDir(), env, "Say hello.", "--core-tools", "glob", "--output-format", "json",
				"--exclude-tools", "agent,skill,tool_call,tool_search")
			_, res := qwenEvents(t, out)
			checkQwenResult(t, res, 1)
			checkQwenRouted(t, e, px, from, tc.model, res)
			body := tp.lastBody(t, tc.path)
			if got := string(body[tc.field]); !strings.Contains(got, tc.want) || body["reasoning"] != nil {
				t.Errorf("upstream %s %s (want %s), reasoning %s", tc.field, got, tc.want, body["reasoning"])
			}
		})
	}
}
