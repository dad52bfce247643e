package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/config"
	wire "switchyard/wire/anthropic"
)

// claudeCLIPerTurnModel is the CLI's default model, one with per-turn
// effort: the CLI sends its effort on a system message of messages
// (output_config) with the per-turn-control beta.
const claudeCLIPerTurnModel = "claude-opus-5-5"

// TestClaudeCodeCLIPerTurn: the real Claude Code CLI on Claude Opus 5.5
// sends its effort per turn; the router takes its first request (no 400
// and resend without the beta), and answers it on a Claude deployment
// of that model (sent the per-turn output_config in place, with the
// beta), on one of Claude Opus 4.7, which has no per-turn effort (sent
// neither: the effort goes top-level), and on OpenAI.
func TestClaudeCodeCLIPerTurn(t *testing.T) {
	t.Parallel()
	cli := claudeCLIOrSkip(t)
	for _, tc := range []struct {
		name, deployment, path string
		check                  func(t *testing.T, up tapped)
	}{
		{"opus 5.5", claudeCLIPerTurnModel, "/v1/messages", func(t *testing.T, up tapped) {
			if e, top, beta := perTurnSent(t, up); e == "" || !beta {
				t.Errorf("per-turn effort %q, top-level %q, beta %v; want it in place, with the beta", e, top, beta)
			}
		}},
		{"opus 4.7", "claude-opus-4-7", "/v1/messages", func(t *testing.T, up tapped) {
			if e, top, beta := perTurnSent(t, up); e != "" || beta || top == "" {
				t.Errorf("per-turn effort %q, top-level %q, beta %v; want the effort top-level alone", e, top, beta)
			}
		}},
		{"openai", "gpt-4o-mini", "/chat/completions", func(t *testing.T, up tapped) {
			if strings.Contains(string(up.body), "output_config") {
				t.Errorf("OpenAI was sent output_config: %.500s", up.body)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, tp := newTapEnv(t, func(c *config.Config) {
				for _, m := range []string{claudeCLIPerTurnModel, "claude-opus-4-7"} {
					c.Deployments[m] = &config.Deployment{Name: m, Provider: "anthropic", Model: m}
				}
				if tc.deployment != claudeCLIPerTurnModel { // the CLI's model names a route to it
					delete(c.Deployments, claudeCLIPerTurnModel)
					c.Routes[claudeCLIPerTurnModel] = &config.Route{Name: claudeCLIPerTurnModel, Deployments: []string{tc.deployment}}
				}
			})
			px := newEgressProxy(t, e.URL)
			from := e.recordCount(t)
			out := runClaudeCLI(t, cli, t.TempDir(), claudeCLIEnv(t.TempDir(), e.URL, px.URL), "Say hello.",
				"--model", claudeCLIPerTurnModel, "--no-session-persistence", "--tools", "", "--output-format", "json")
			var res claudeCLIResult
			if err := json.Unmarshal(out, &res); err != nil {
				t.Fatalf("--output-format json: %v: %.1000s", err, out)
			}
			checkClaudeCLIResult(t, res, 1)
			checkClaudeCLIRouted(t, e, px, from, tc.deployment) // every request answered 200
			if n := e.recordCount(t) - from; n != 1 {
				t.Errorf("the router saw %d requests, want 1 (the CLI's first, taken)", n)
			}
			var upstream []tapped
			for _, r := range tp.requests() {
				if strings.HasSuffix(strings.SplitN(r.path, "?", 2)[0], tc.path) {
					upstream = append(upstream, r)
				}
			}
			if len(upstream) != 1 {
				t.Fatalf("%d upstream requests to %s, want 1", len(upstream), tc.path)
			}
			tc.check(t, upstream[0])
		})
	}
}

// perTurnSent reads a Claude deployment's request: the effort of its last
// system message that has one, its top-level effort, and whether its
// anthropic-beta header names the per-turn beta.
func perTurnSent(t *testing.T, up tapped) (turn, top string, beta bool) {
	t.Helper()
	var body struct {
		Messages     []wire.Message     `json:"messages"`
		OutputConfig *wire.OutputConfig `json:"output_config"`
	}
	if err := json.Unmarshal(up.body, &body); err != nil {
		t.Fatal(err)
	}
	for _, m := range body.Messages {
		if m.Role == "system" && m.OutputConfig != nil {
			turn = m.OutputConfig.Effort
		}
	}
	if body.OutputConfig != nil {
		top = body.OutputConfig.Effort
	}
	return turn, top, strings.Contains(strings.Join(up.header.Values("anthropic-beta"), ","), wire.PerTurnControlBeta)
}
