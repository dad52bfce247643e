package anthropic

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// perTurnBody is a Claude Code turn: a system message carrying its own
// output_config.effort after the first exchange, then one with the effort
// alone.
const perTurnBody = `{"model":"%s","max_tokens":100,"output_config":{"effort":"high"},"messages":[
	{"role":"user","content":"hi"},
	{"role":"assistant","content":"Hello!"},
	{"role":"system","content":"Reminder.","output_config":{"effort":"medium"}},
	{"role":"user","content":"more"},
	{"role":"assistant","content":"Sure."},
	{"role":"system","output_config":{"effort":"low"}},
	{"role":"user","content":"again"}]}`

// decodePerTurn decodes, validates and translates body under betas.
func decodePerTurn(t *testing.T, body string, betas ...string) (*llm.Request, error) {
	t.Helper()
	mr, err := DecodeMessagesRequest([]byte(body), false)
	if err != nil {
		return nil, err
	}
	mr.Betas = betas
	if err := Validate(mr); err != nil {
		return nil, err
	}
	return RequestToLLM(mr)
}

// A system message's output_config is taken under the per-turn beta
// (either name), refused as the API refuses an unknown field without it
// or on another role, and its effort checked.
func TestPerTurnOutputConfigValidation(t *testing.T) {
	body := strings.Replace(perTurnBody, "%s", "claude-opus-5-5", 1)
	for _, tc := range []struct {
		name, body string
		betas      []string
		want       string
	}{
		{"beta", body, []string{PerTurnControlBeta}, ""},
		{"sdk beta", body, []string{MidConversationOutputConfigBeta}, ""},
		{"no beta", body, nil, "messages.2.output_config: Extra inputs are not permitted"},
		{"user message", `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x","output_config":{"effort":"low"}}]}`,
			[]string{PerTurnControlBeta}, "messages.0.output_config: Extra inputs are not permitted"},
		{"bad effort", `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"system","content":"s","output_config":{"effort":"huge"}}]}`,
			[]string{PerTurnControlBeta}, "messages.1.output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'"},
		{"format", `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"system","content":"s","output_config":{"format":{}}}]}`,
			[]string{PerTurnControlBeta}, "format: Extra inputs are not permitted"},
		{"empty config with content", `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"system","content":"s","output_config":{}}]}`,
			[]string{PerTurnControlBeta}, ""},
		{"neither content nor effort", `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"system","output_config":{}}]}`,
			[]string{PerTurnControlBeta}, "messages.1: all messages must have non-empty content except for the optional final assistant message"},
	} {
		_, err := decodePerTurn(t, tc.body, tc.betas...)
		if got := errText(err); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := err.(*llm.Error); ok {
		return e.Message
	}
	return err.Error()
}

// A model with per-turn effort (Opus 5.5) is sent each system message's
// output_config in place, the top-level effort as sent and the beta; a
// model without it (Opus 5) is sent neither, and answers at the last
// per-turn effort.
func TestPerTurnOutputConfigUpstream(t *testing.T) {
	for _, tc := range []struct {
		model, effort, turns, betas string
	}{
		{"claude-opus-5-5", "high",
			`[{"role":"user","content":[{"type":"text","text":"hi"}]},{"role":"assistant","content":[{"type":"text","text":"Hello!"}]},` +
				`{"role":"system","content":[{"type":"text","text":"Reminder."}],"output_config":{"effort":"medium"}},` +
				`{"role":"user","content":[{"type":"text","text":"more"}]},{"role":"assistant","content":[{"type":"text","text":"Sure."}]},` +
				`{"role":"system","content":[],"output_config":{"effort":"low"}},{"role":"user","content":[{"type":"text","text":"again"}]}]`,
			PerTurnControlBeta},
		{"claude-opus-5", "low",
			`[{"role":"user","content":[{"type":"text","text":"hi"}]},{"role":"assistant","content":[{"type":"text","text":"Hello!"}]},` +
				`{"role":"system","content":[{"type":"text","text":"Reminder."}]},` +
				`{"role":"user","content":[{"type":"text","text":"more"}]},{"role":"assistant","content":[{"type":"text","text":"Sure."}]},` +
				`{"role":"user","content":[{"type":"text","text":"again"}]}]`,
			""},
	} {
		req, err := decodePerTurn(t, strings.Replace(perTurnBody, "%s", tc.model, 1), PerTurnControlBeta, InterleavedThinkingBeta)
		if err != nil {
			t.Fatal(err)
		}
		if req.TurnEffort != llm.EffortLow || req.Messages[2].TurnEffort() != llm.EffortMedium {
			t.Fatalf("%s: canonical turn effort %q, message %q", tc.model, req.TurnEffort, req.Messages[2].TurnEffort())
		}
		out, err := FromLLM(req)
		if err != nil {
			t.Fatal(err)
		}
		turns, _ := json.Marshal(out.Messages)
		if string(turns) != tc.turns {
			t.Errorf("%s: turns\n got %s\nwant %s", tc.model, turns, tc.turns)
		}
		if out.OutputConfig == nil || out.OutputConfig.Effort != tc.effort {
			t.Errorf("%s: output_config %+v, want effort %s", tc.model, out.OutputConfig, tc.effort)
		}
		if got := strings.Join(withoutBeta(out.Betas, InterleavedThinkingBeta), ","); got != tc.betas {
			t.Errorf("%s: betas %q, want %q", tc.model, got, tc.betas)
		}
	}
}

func withoutBeta(betas []string, b string) []string {
	var out []string
	for _, x := range betas {
		if x != b {
			out = append(out, x)
		}
	}
	return out
}

// A per-turn effort a model without effort cannot take is named dropped,
// as a top-level one is.
func TestPerTurnEffortDropped(t *testing.T) {
	req, err := decodePerTurn(t, strings.Replace(perTurnBody, "%s", "claude-haiku-4-5", 1), PerTurnControlBeta)
	if err != nil {
		t.Fatal(err)
	}
	req.OutputEffort = ""
	if got := ReasoningDrops(req); len(got) == 0 || got[0] != "effort" {
		t.Errorf("dropped %v, want effort first", got)
	}
}

// FuzzPerTurnRequest decodes requests under the per-turn beta: what is
// accepted translates, and what a Claude deployment is sent is itself
// valid under the betas it is sent.
func FuzzPerTurnRequest(f *testing.F) {
	f.Add(strings.Replace(perTurnBody, "%s", "claude-opus-5-5", 1))
	f.Add(strings.Replace(perTurnBody, "%s", "claude-sonnet-4-6", 1))
	f.Add(`{"model":"claude-fable-5-2","max_tokens":5,"messages":[{"role":"system","output_config":{"effort":"max"}},{"role":"user","content":"x"}]}`)
	f.Add(`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"system","content":[],"output_config":{"effort":null}}]}`)
	f.Fuzz(func(t *testing.T, body string) {
		req, err := decodePerTurn(t, body, PerTurnControlBeta)
		if err != nil {
			if e, ok := err.(*llm.Error); !ok || e.Kind != llm.KindInvalidRequest {
				t.Fatalf("error %T %v is not an invalid_request *llm.Error", err, err)
			}
			return
		}
		out, err := FromLLM(req)
		if err != nil {
			return // refused for the deployment, in the router's words
		}
		b, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		again, err := DecodeMessagesRequest(b, false)
		if err == nil {
			again.Betas = out.Betas
			err = Validate(again)
		}
		if err != nil {
			t.Fatalf("accepted %s, but a Claude deployment is sent %s, invalid: %v", body, b, err)
		}
	})
}

// The models with per-turn effort are those Claude Code 2.1.332's catalogue
// marks per_turn_effort.
func TestPerTurnEffortModels(t *testing.T) {
	for model, want := range map[string]bool{
		"claude-opus-5-5": true, "claude-sonnet-5-5": true, "claude-haiku-5-5": true, "claude-fable-5-1": true,
		"claude-fable-5-2": true, "claude-mythos-5-2": true, "us.anthropic.claude-opus-5-5-v1:0": true,
		"claude-opus-5": false, "claude-sonnet-5": false, "claude-fable-5": false, "claude-mythos-5-1": false,
		"claude-opus-4-7": false, "claude-haiku-4-5": false, "gpt-4o": false,
	} {
		if got := ModelTraits(model).PerTurnEffort; got != want {
			t.Errorf("%s: per-turn effort %v, want %v", model, got, want)
		}
	}
}

// The thinking sent is chosen for the effort the model answers at: the
// last per-turn effort, whether the model takes per-turn efforts in
// place (Sonnet 5.5, under the beta) or is sent the last as its effort
// (Opus 5, or Sonnet 5.5 without the beta), not the top-level one. The
// API checks between_tools (Sonnet 5.5: effort high or below) and
// disabled (Opus 5: high or below) against the turn's effort.
func TestPerTurnEffortChoosesThinking(t *testing.T) {
	for _, tc := range []struct {
		name, model, top, turn string
		betas                  []string
		thinking, dropped      string
	}{
		{"in place, turn xhigh over top low", "claude-sonnet-5-5", "low", "xhigh", []string{PerTurnControlBeta}, "", "between_tools"},
		{"in place, turn low over top xhigh", "claude-sonnet-5-5", "xhigh", "low", []string{PerTurnControlBeta}, `{"type":"between_tools"}`, ""},
		{"per-turn alone, in place", "claude-sonnet-5-5", "", "medium", []string{PerTurnControlBeta}, `{"type":"between_tools"}`, ""},
		{"no beta: the last as the effort", "claude-sonnet-5-5", "low", "max", nil, "", "between_tools"},
		{"no per-turn model: turn low over top max", "claude-opus-5", "max", "low", []string{PerTurnControlBeta}, `{"type":"disabled"}`, ""},
		{"no per-turn model: turn xhigh over top low", "claude-opus-5", "low", "xhigh", []string{PerTurnControlBeta}, "", "between_tools"},
	} {
		req := &llm.Request{Model: tc.model, OutputEffort: llm.Effort(tc.top), TurnEffort: llm.Effort(tc.turn), AnthropicBetas: tc.betas,
			Reasoning: &llm.Reasoning{BetweenTools: true}, Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")}}
		if tc.turn != "" {
			sys := llm.Message{Role: llm.RoleSystem}
			sys.SetTurnEffort(llm.Effort(tc.turn))
			req.Messages = append([]llm.Message{sys}, req.Messages...)
		}
		out, err := FromLLM(req)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got := ""
		if out.Thinking != nil {
			b, _ := json.Marshal(out.Thinking)
			got = string(b)
		}
		if got != tc.thinking {
			t.Errorf("%s: thinking %s, want %s", tc.name, got, tc.thinking)
		}
		if d := strings.Join(ReasoningDrops(req), ","); d != tc.dropped {
			t.Errorf("%s: dropped %q, want %q", tc.name, d, tc.dropped)
		}
	}
}
