package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// qwenResponsesCase is a model the Qwen Code CLI's Responses protocol is
// run on: the upstream path it is served on and a field of that
// request with what it must hold, and how many reasoning items (each
// with the router's encrypted_content) the CLI sends back on turn 2.
type qwenResponsesCase struct {
	model, path, field, want string
	items                    int
}

// qwenResponsesCases: o3-mini is served on Chat Completions (api auto),
// which shows no reasoning: the CLI gets no reasoning item and sends
// none. Claude's thinking and Gemini 2.5 Pro's thought summary come back
// as a reasoning item, which the CLI sends back. The simulated Gemini
// 2.5 Flash shows no thoughts: no item either.
var qwenResponsesCases = []qwenResponsesCase{
	{"o3-mini", "/chat/completions", "reasoning_effort", `"high"`, 0},
	{"claude-haiku-4-5", "/v1/messages", "thinking", `"enabled"`, 1},
	{"gemini-2.5-pro", ":streamGenerateContent", "generationConfig", `"includeThoughts":true`, 1},
	{"gemini-2.5-flash", ":streamGenerateContent", "generationConfig", `"includeThoughts":true`, 0},
}

// TestQwenCodeCLIResponsesReasoning runs the Qwen Code CLI's Responses
// protocol (--auth-type openai-responses) with its reasoning setting
// (reasoning {effort high, summary auto}, include
// reasoning.encrypted_content, store false) in a tool loop on an OpenAI
// reasoning model, Claude and Gemini: each run is answered from the
// tool's result, and the upstream was sent the reasoning in its own
// terms (o3-mini on Chat Completions, where api auto calls it,
// reasoning_effort high). On turn 2 the CLI sends back each reasoning
// item it got with encrypted_content (its id, encrypted_content and
// summary: Qwen Code's openaiResponsesContentGenerator keeps them as a
// thought part's thoughtSignature and replays them as reasoning items),
// which the router puts back for the model that wrote it (Claude's
// signed thinking on its assistant turn; Gemini's signature on its
// call), on another replica sharing the key too.
// The same turn sent again to the other models is answered (no 400),
// the other families' upstreams sent none of the first model's
// reasoning (a thinking Claude going without: dropped=reasoning).
func TestQwenCodeCLIResponsesReasoning(t *testing.T) {
	t.Parallel()
	cli := qwenCLIOrSkip(t)
	for _, tc := range qwenResponsesCases {
		t.Run(tc.model, func(t *testing.T) {
			t.Parallel()
			e, tp := newTapEnv(t, withSharedKey)
			px := newEgressProxy(t, e.URL)
			ct, front := newClientTap(t, e.URL)
			home, work := t.TempDir(), t.TempDir()
			env := qwenCLIEnv(t, home, front, px.URL, tc.model)
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

			turn := lastResponsesBody(t, ct)
			items := reasoningItemsOf(t, turn)
			if len(items) != tc.items {
				t.Errorf("the CLI sent back %d reasoning items, want %d: %+v", len(items), tc.items, items)
			}
			secrets := checkReplayedItems(t, items)
			secrets = append(secrets, checkOwnReasoning(t, tp, tc, turn)...)
			if tc.items > 0 {
				// Another replica, sharing the key but not this one's
				// thinking memory: only the item carries Claude's thinking
				// and Gemini's signature.
				replica, rtp := newTapEnv(t, withSharedKey)
				got, route := replayTurn(t, replica, turn, tc.model)
				if got.Status != "completed" || strings.Contains(route, "dropped=reasoning") {
					t.Errorf("the turn sent to another replica: %s, route %q", got.RawJSON(), route)
				}
				checkOwnReasoning(t, rtp, tc, turn)
			}
			for _, other := range qwenResponsesCases {
				switch {
				case other.model == tc.model:
				case other.path == tc.path: // the same family (Gemini 2.5): its signature may go back
					checkForeignReasoning(t, e, tp, turn, other, nil)
				default:
					checkForeignReasoning(t, e, tp, turn, other, secrets)
				}
			}
		})
	}
}
