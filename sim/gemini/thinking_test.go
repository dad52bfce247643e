package gemini

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"switchyard/sim"
	wire "switchyard/wire/gemini"
)

func thinkingCatalog() sim.Catalog {
	return sim.NewCatalog(
		sim.Profile{Model: "gemini-2.5-pro", MaxOutputTokens: 65536},
		sim.Profile{Model: "gemini-2.5-flash-lite", MaxOutputTokens: 65536},
		sim.Profile{Model: "gemini-2.0-flash"},
	)
}

// TestThoughtsSpendTheOutputLimit: a Gemini 2.5 or 3 model thinks by
// default (dynamic thinking; 2.5 Flash-Lite does not), and its thoughts
// count against maxOutputTokens: a small limit is spent on thinking and the
// candidate comes back as the real API sends it, content with a role and no
// parts, finishReason MAX_TOKENS, no candidatesTokenCount. A budget that
// leaves room, or thinking turned off, answers.
func TestThoughtsSpendTheOutputLimit(t *testing.T) {
	h := New(thinkingCatalog(), nil)
	const q = `{"contents":[{"parts":[{"text":"What is the capital of France?"}]}]`
	raw := func(model, body string) []byte {
		t.Helper()
		resp, b := call(t, h, http.MethodPost, "/v1beta/models/"+model+":generateContent", "AIzaGood", body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", model, resp.StatusCode, b)
		}
		return b
	}

	b := raw("gemini-2.5-pro", q+`,"generationConfig":{"maxOutputTokens":50}}`)
	var shape struct {
		Candidates []struct{ Content map[string]any } `json:"candidates"`
	}
	if err := json.Unmarshal(b, &shape); err != nil || len(shape.Candidates) != 1 ||
		len(shape.Candidates[0].Content) != 1 || shape.Candidates[0].Content["role"] != "model" {
		t.Errorf("thinking spent the limit: want content with a role and no parts, got %s", b)
	}
	var out wire.GenerateContentResponse
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	c, u := out.Candidates[0], out.UsageMetadata
	if c.FinishReason != wire.FinishMaxTokens || u.ThoughtsTokenCount != 50 || u.CandidatesTokenCount != 0 ||
		u.TotalTokenCount != u.PromptTokenCount+50 {
		t.Errorf("limit 50 on default thinking: finish %s, usage %+v", c.FinishReason, u)
	}

	free := generate(t, h, "gemini-2.5-pro", q+`}`)
	if u := free.UsageMetadata; u.ThoughtsTokenCount == 0 || free.Candidates[0].Content.Parts[0].Text == "" {
		t.Errorf("no limit: want default thoughts and an answer, got %+v", u)
	}
	room := generate(t, h, "gemini-2.5-pro", q+`,"generationConfig":{"maxOutputTokens":50,"thinkingConfig":{"thinkingBudget":128}}}`)
	if u := room.UsageMetadata; room.Candidates[0].FinishReason != wire.FinishStop || u.ThoughtsTokenCount == 0 || u.ThoughtsTokenCount+u.CandidatesTokenCount > 50 {
		t.Errorf("budget 128 under limit 50: finish %s, usage %+v", room.Candidates[0].FinishReason, u)
	}
	for _, model := range []string{"gemini-2.5-flash-lite", "gemini-2.0-flash"} {
		got := generate(t, h, model, q+`,"generationConfig":{"maxOutputTokens":50}}`)
		if u := got.UsageMetadata; u.ThoughtsTokenCount != 0 || got.Candidates[0].FinishReason != wire.FinishStop {
			t.Errorf("%s thinks by default: finish %s, usage %+v", model, got.Candidates[0].FinishReason, u)
		}
	}

	resp, sb := call(t, h, http.MethodPost, "/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse", "AIzaGood", q+`,"generationConfig":{"maxOutputTokens":50}}`)
	if resp.StatusCode != 200 || !strings.Contains(string(sb), `"finishReason":"MAX_TOKENS"`) || strings.Contains(string(sb), `"text"`) {
		t.Errorf("stream with thinking spending the limit: %d %s", resp.StatusCode, sb)
	}
}

// TestThinkingConfigRefused: the simulator refuses the thinking settings
// the real models refuse, with their words: a budget outside the model's
// range (Flash-Lite 512–24576, Pro 128–32768 and never 0), a level on a
// Gemini 2.5 model, a level a Gemini 3 model does not take, a level and
// a budget together. What each model takes is answered.
func TestThinkingConfigRefused(t *testing.T) {
	h := New(sim.NewCatalog(
		sim.Profile{Model: "gemini-2.5-pro", MaxOutputTokens: 65536},
		sim.Profile{Model: "gemini-2.5-flash", MaxOutputTokens: 65536},
		sim.Profile{Model: "gemini-2.5-flash-lite", MaxOutputTokens: 65536},
		sim.Profile{Model: "gemini-3-pro-preview", MaxOutputTokens: 65536},
		sim.Profile{Model: "gemini-3.1-pro-preview", MaxOutputTokens: 65536},
		sim.Profile{Model: "gemini-3-flash-preview", MaxOutputTokens: 65536},
	), nil)
	body := func(tc string) string {
		return `{"contents":[{"parts":[{"text":"hi"}]}],"generationConfig":{"thinkingConfig":` + tc + `}}`
	}
	for _, c := range []struct {
		model, config string
		refusal       string // "" means answered
	}{
		{"gemini-2.5-flash-lite", `{"thinkingBudget":128}`, "The thinking budget 128 is invalid. Please choose a value between 512 and 24576."},
		{"gemini-2.5-flash-lite", `{"thinkingBudget":512}`, ""},
		{"gemini-2.5-flash-lite", `{"thinkingBudget":0}`, ""},
		{"gemini-2.5-flash-lite", `{"thinkingBudget":-1}`, ""},
		{"gemini-2.5-pro", `{"thinkingBudget":0}`, "Budget 0 is invalid. This model only works in thinking mode."},
		{"gemini-2.5-pro", `{"thinkingBudget":32768}`, ""},
		{"gemini-2.5-pro", `{"thinkingBudget":40000}`, "The thinking budget 40000 is invalid. Please choose a value between 128 and 32768."},
		{"gemini-2.5-flash", `{"thinkingBudget":24577}`, "The thinking budget 24577 is invalid. Please choose a value between 0 and 24576."},
		{"gemini-2.5-flash", `{"thinkingBudget":0}`, ""},
		{"gemini-2.5-flash", `{"thinkingLevel":"LOW"}`, "Thinking level is not supported for this model."},
		{"gemini-3-pro-preview", `{"thinkingLevel":"MINIMAL"}`, "Thinking level MINIMAL is not supported for this model. Please retry with other thinking level."},
		{"gemini-3-pro-preview", `{"thinkingLevel":"MEDIUM"}`, "Thinking level MEDIUM is not supported for this model. Please retry with other thinking level."},
		{"gemini-3-pro-preview", `{"thinkingLevel":"LOW"}`, ""},
		{"gemini-3.1-pro-preview", `{"thinkingLevel":"MEDIUM"}`, ""},
		{"gemini-3.1-pro-preview", `{"thinkingLevel":"MINIMAL"}`, "Thinking level MINIMAL is not supported for this model. Please retry with other thinking level."},
		{"gemini-3-flash-preview", `{"thinkingLevel":"MINIMAL"}`, ""},
		{"gemini-3-flash-preview", `{"thinkingLevel":"LOW","thinkingBudget":1024}`, "Unable to submit request because thinking_budget and thinking_level are not supported together."},
	} {
		resp, b := call(t, h, http.MethodPost, "/v1beta/models/"+c.model+":generateContent", "AIzaGood", body(c.config))
		switch {
		case c.refusal == "" && resp.StatusCode != http.StatusOK:
			t.Errorf("%s %s: %d %s, want it answered", c.model, c.config, resp.StatusCode, b)
		case c.refusal != "" && (resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), c.refusal)):
			t.Errorf("%s %s: %d %s, want 400 %q", c.model, c.config, resp.StatusCode, b, c.refusal)
		}
	}
}
