package gemini

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"switchyard/llm"
)

// TestFromReasoning: efforts, budgets and adaptive map onto a 2.5
// budget or a Gemini 3 level.
func TestFromReasoning(t *testing.T) {
	for _, c := range []struct {
		model  string
		r      llm.Reasoning
		budget int    // for 2.5; -2 means no budget
		level  string // for 3
	}{
		{"gemini-2.5-flash", llm.Reasoning{Effort: llm.EffortLow}, 1024, ""},
		{"gemini-2.5-flash", llm.Reasoning{Effort: llm.EffortNone}, 0, ""},
		{"gemini-2.5-pro", llm.Reasoning{Effort: llm.EffortNone}, 128, ""},
		{"gemini-2.5-pro", llm.Reasoning{Effort: llm.EffortMax}, 32768, ""}, // Pro's ceiling
		{"gemini-2.5-pro", llm.Reasoning{Effort: llm.EffortHigh}, 24576, ""},
		{"gemini-2.5-pro", llm.Reasoning{BudgetTokens: 30000}, 30000, ""},
		{"gemini-2.5-pro", llm.Reasoning{BudgetTokens: 60000}, 32768, ""},
		{"gemini-2.5-flash", llm.Reasoning{Effort: llm.EffortMax}, 24576, ""},
		// Flash-Lite takes 512–24576 or 0 ("The thinking budget 128 is
		// invalid. Please choose a value between 512 and 24576.").
		{"gemini-2.5-flash-lite", llm.Reasoning{BudgetTokens: 200}, 512, ""},
		{"gemini-2.5-flash-lite", llm.Reasoning{Effort: llm.EffortNone}, 0, ""},
		{"gemini-2.5-flash-lite", llm.Reasoning{Effort: llm.EffortMax}, 24576, ""},
		{"gemini-2.5-flash", llm.Reasoning{BudgetTokens: 200}, 200, ""},
		{"gemini-2.5-flash", llm.Reasoning{BudgetTokens: 5000}, 5000, ""},
		{"gemini-2.5-flash", llm.Reasoning{BudgetTokens: 60000}, 24576, ""},
		{"gemini-2.5-flash", llm.Reasoning{Adaptive: true}, -1, ""},
		{"gemini-2.5-flash", llm.Reasoning{BetweenTools: true}, 1024, ""},
		{"gemini-3-flash", llm.Reasoning{BetweenTools: true}, -2, "LOW"},
		{"gemini-3-pro-preview", llm.Reasoning{Effort: llm.EffortHigh}, -2, "HIGH"},
		{"gemini-3-flash", llm.Reasoning{Effort: llm.EffortMinimal}, -2, "MINIMAL"},
		{"gemini-3-flash", llm.Reasoning{BudgetTokens: 2048}, -2, "LOW"},
		{"gemini-3-flash", llm.Reasoning{BudgetTokens: 20000}, -2, "HIGH"},
		{"gemini-3-flash-preview", llm.Reasoning{Effort: llm.EffortMedium}, -2, "MEDIUM"},
		{"gemini-3-flash", llm.Reasoning{Effort: llm.EffortNone}, -2, "MINIMAL"},
		// Gemini 3 Pro takes LOW and HIGH, 3.1 Pro LOW to HIGH ("Thinking
		// level MINIMAL is not supported for this model."), 3.7 Flash no
		// MINIMAL: the strongest level taken not above the one asked, else
		// the weakest.
		{"gemini-3-pro-preview", llm.Reasoning{Effort: llm.EffortMinimal}, -2, "LOW"},
		{"gemini-3-pro-preview", llm.Reasoning{Effort: llm.EffortNone}, -2, "LOW"},
		{"gemini-3-pro-preview", llm.Reasoning{Effort: llm.EffortMedium}, -2, "LOW"},
		{"gemini-3-pro-preview", llm.Reasoning{Effort: llm.EffortMax}, -2, "HIGH"},
		{"gemini-3.1-pro-preview", llm.Reasoning{Effort: llm.EffortMinimal}, -2, "LOW"},
		{"gemini-3.1-pro-preview", llm.Reasoning{Effort: llm.EffortMedium}, -2, "MEDIUM"},
		{"models/gemini-3.1-pro-preview", llm.Reasoning{Effort: llm.EffortNone}, -2, "LOW"},
		{"gemini-3.7-flash", llm.Reasoning{Effort: llm.EffortMinimal}, -2, "LOW"},
		{"gemini-3.5-flash", llm.Reasoning{Effort: llm.EffortMinimal}, -2, "MINIMAL"},
	} {
		r := c.r
		var g GenerationConfig
		fromReasoning(&llm.Request{Model: c.model, Reasoning: &r}, &g)
		tc := g.ThinkingConfig
		switch {
		case tc == nil:
			t.Errorf("%s %+v: no thinkingConfig", c.model, c.r)
		case c.budget > -2 && (tc.ThinkingBudget == nil || *tc.ThinkingBudget != c.budget || tc.ThinkingLevel != ""):
			t.Errorf("%s %+v: got %+v, want budget %d", c.model, c.r, tc, c.budget)
		case c.budget == -2 && (tc.ThinkingBudget != nil || tc.ThinkingLevel != c.level):
			t.Errorf("%s %+v: got %+v, want level %s", c.model, c.r, tc, c.level)
		}
	}
	var g GenerationConfig
	fromReasoning(&llm.Request{Model: "gemini-3-pro", Reasoning: &llm.Reasoning{Adaptive: true}}, &g)
	fromReasoning(&llm.Request{Model: "gemini-2.5-pro"}, &g)
	if g.ThinkingConfig != nil {
		t.Errorf("adaptive on Gemini 3, or no reasoning: got %+v, want the model's default", g.ThinkingConfig)
	}
}

// An effort's budget on Gemini 2.5 leaves the answer half of the token
// limit, as Claude's does: an Anthropic client's effort with Claude
// Code's 16000 (high would be 24576) or an OpenAI client's with a small
// max_tokens. An explicit budget is kept as asked; a limit too small for
// the model's floor stops Flash thinking and gives Pro its floor.
func TestEffortBudgetLeavesTheAnswerRoom(t *testing.T) {
	for _, c := range []struct {
		model string
		r     llm.Reasoning
		limit int // 0: none
		want  int
	}{
		{"gemini-2.5-flash", llm.Reasoning{Effort: llm.EffortHigh}, 16000, 8000},
		{"gemini-2.5-flash", llm.Reasoning{Effort: llm.EffortHigh}, 64000, 24576},
		{"gemini-2.5-flash", llm.Reasoning{Effort: llm.EffortHigh}, 0, 24576},
		{"gemini-2.5-pro", llm.Reasoning{Effort: llm.EffortMax}, 32000, 16000},
		{"gemini-2.5-pro", llm.Reasoning{Effort: llm.EffortLow}, 200, 128},
		{"gemini-2.5-flash", llm.Reasoning{Effort: llm.EffortLow}, 200, 0},
		{"gemini-2.5-flash-lite", llm.Reasoning{Effort: llm.EffortLow}, 1000, 0},
		{"gemini-2.5-flash", llm.Reasoning{BetweenTools: true}, 1000, 500},
		{"gemini-2.5-flash", llm.Reasoning{BudgetTokens: 20000}, 16000, 20000},
		{"gemini-2.5-flash", llm.Reasoning{Adaptive: true}, 1000, -1},
	} {
		r := c.r
		req := &llm.Request{Model: c.model, Reasoning: &r}
		if c.limit > 0 {
			req.MaxTokens = &c.limit
		}
		var g GenerationConfig
		fromReasoning(req, &g)
		if tc := g.ThinkingConfig; tc == nil || tc.ThinkingBudget == nil || *tc.ThinkingBudget != c.want {
			got := "none"
			if tc != nil && tc.ThinkingBudget != nil {
				got = fmt.Sprint(*tc.ThinkingBudget)
			}
			t.Errorf("%s %+v, limit %d: budget %s, want %d", c.model, c.r, c.limit, got, c.want)
		}
	}
}

// TestDefaultThinkingLeavesTheAnswerRoom: a request that asks for no
// reasoning but sets a limit gets a thinking budget of at most half of it
// on a Gemini 2.5 model that thinks by default (maxOutputTokens counts the
// thoughts, and the default dynamic thinking can spend the whole limit and
// answer nothing); below Pro's floor Flash stops thinking and Pro gets the
// floor. No limit, a limit with room for the default's 8,192, Flash-Lite
// (no thinking by default), Gemini 3 and other models keep the default.
func TestDefaultThinkingLeavesTheAnswerRoom(t *testing.T) {
	for _, c := range []struct {
		model, base string
		limit       int // 0: none
		budget      int // -2: no thinkingConfig
	}{
		{"gemini-2.5-flash", "", 100, 0},
		{"gemini-2.5-flash", "", 300, 150},
		{"gemini-2.5-flash", "", 4096, 2048},
		{"gemini-2.5-flash", "", 16383, 8191},
		{"gemini-2.5-flash", "", 16384, -2},
		{"gemini-2.5-flash", "", 0, -2},
		{"gemini-2.5-pro", "", 100, 128},
		{"gemini-2.5-pro", "", 1000, 500},
		{"models/gemini-2.5-pro", "", 1000, 500},
		{"my-tuned-flash", "gemini-2.5-flash", 1000, 500}, // base_model decides
		{"gemini-2.5-pro", "my-own-model", 1000, -2},
		{"gemini-2.5-flash-lite", "", 100, -2},
		{"gemini-3-pro-preview", "", 100, -2},
		{"gemini-2.0-flash", "", 100, -2},
	} {
		req := &llm.Request{Model: c.model, BaseModel: c.base}
		if c.limit > 0 {
			req.MaxTokens = &c.limit
		}
		var g GenerationConfig
		fromReasoning(req, &g)
		tc := g.ThinkingConfig
		switch {
		case c.budget == -2 && tc != nil:
			t.Errorf("%s (%s) limit %d: got %+v, want the model's default", c.model, c.base, c.limit, tc)
		case c.budget > -2 && (tc == nil || tc.ThinkingBudget == nil || *tc.ThinkingBudget != c.budget):
			t.Errorf("%s (%s) limit %d: got %+v, want budget %d", c.model, c.base, c.limit, tc, c.budget)
		}
	}
}

// A client that wants to see the thinking gets includeThoughts, on 2.5
// (unless thinking is off) and on Gemini 3 (adaptive too); others do not.
func TestIncludeThoughts(t *testing.T) {
	for _, c := range []struct {
		model string
		r     llm.Reasoning
		want  bool
	}{
		{"gemini-2.5-flash", llm.Reasoning{Effort: llm.EffortLow, Show: true}, true},
		{"gemini-2.5-flash", llm.Reasoning{Effort: llm.EffortLow}, false},
		{"gemini-2.5-flash", llm.Reasoning{Effort: llm.EffortNone, Show: true}, false},
		{"gemini-3-flash", llm.Reasoning{Effort: llm.EffortHigh, Show: true}, true},
		{"gemini-3-flash", llm.Reasoning{Adaptive: true, Show: true}, true},
	} {
		r := c.r
		var g GenerationConfig
		fromReasoning(&llm.Request{Model: c.model, Reasoning: &r}, &g)
		if got := g.ThinkingConfig != nil && g.ThinkingConfig.IncludeThoughts; got != c.want {
			t.Errorf("%s %+v: includeThoughts %v, want %v", c.model, c.r, got, c.want)
		}
	}
	var g GenerationConfig
	fromReasoning(&llm.Request{Model: "gemini-3-flash", Reasoning: &llm.Reasoning{Adaptive: true}}, &g)
	if g.ThinkingConfig != nil {
		t.Errorf("adaptive without showing: %+v", g.ThinkingConfig)
	}
}

// Thought parts become one thinking block when the client asked to see
// the thinking, streamed and complete; they never join the answer's text.
func TestThoughtsShown(t *testing.T) {
	body := `data: {"candidates":[{"content":{"role":"model","parts":[{"text":"**Plan**\n","thought":true},{"text":"Weigh it.","thought":true}]},"index":0}]}` + "\r\n\r\n" +
		`data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Yes."}]},"finishReason":"STOP","index":0}]}` + "\r\n\r\n"
	sr := NewStreamReader(strings.NewReader(body), "m")
	sr.t.Thinking = true
	chunks, err := readAll(sr)
	if err != io.EOF {
		t.Fatal(err)
	}
	var thought, text string
	for _, c := range chunks {
		for _, ch := range c.Choices {
			if th := ch.Delta.Thinking; th != nil {
				if th.Index != 0 || th.Signature != "" {
					t.Errorf("thinking delta %+v", th)
				}
				thought += th.Text
			}
			text += ch.Delta.Content
		}
	}
	if thought != "**Plan**\nWeigh it." || text != "Yes." {
		t.Errorf("thought %q, text %q", thought, text)
	}
	resp, err := ToLLM(&GenerateContentResponse{Candidates: []Candidate{{Content: &Content{Role: "model", Parts: []Part{
		{Text: "hmm", Thought: true}, {Text: "Yes."}}}, FinishReason: "STOP"}}}, "m")
	if err != nil {
		t.Fatal(err)
	}
	if m := resp.Choices[0].Message; m.Text() != "Yes." || len(m.Thinking()) != 1 || m.Thinking()[0].Text != "hmm" {
		t.Errorf("complete: %q, thinking %+v", m.Text(), m.Thinking())
	}
}

// TestDroppedReasoning: an effort sent to a Gemini 3 model as another
// level is named, and none to Gemini 2.5 Pro, which cannot stop thinking;
// one sent as asked, a budget, adaptive and Gemini 2.5's other efforts
// are not.
func TestDroppedReasoning(t *testing.T) {
	for _, c := range []struct {
		model string
		r     *llm.Reasoning
		want  bool
	}{
		{"gemini-3-pro-preview", &llm.Reasoning{Effort: llm.EffortMinimal}, true},
		{"gemini-3-pro-preview", &llm.Reasoning{Effort: llm.EffortMedium}, true},
		{"gemini-3-pro-preview", &llm.Reasoning{Effort: llm.EffortHigh}, false},
		{"gemini-3.1-pro-preview", &llm.Reasoning{Effort: llm.EffortMedium}, false},
		{"gemini-3-flash-preview", &llm.Reasoning{Effort: llm.EffortMinimal}, false},
		{"gemini-3-flash-preview", &llm.Reasoning{Effort: llm.EffortNone}, true},
		{"gemini-3-flash-preview", &llm.Reasoning{Effort: llm.EffortXHigh}, true},
		{"gemini-3-pro-preview", &llm.Reasoning{BudgetTokens: 1024}, false},
		{"gemini-3-pro-preview", &llm.Reasoning{Adaptive: true}, false},
		{"gemini-2.5-pro", &llm.Reasoning{Effort: llm.EffortNone}, true}, // cannot stop thinking: sent 128
		{"gemini-2.5-flash", &llm.Reasoning{Effort: llm.EffortNone}, false},
		{"gemini-2.5-pro", &llm.Reasoning{Effort: llm.EffortLow}, false},
		{"gemini-3-pro-preview", nil, false},
	} {
		got := DroppedReasoning(&llm.Request{Model: c.model, Reasoning: c.r})
		if (len(got) == 1 && got[0] == "reasoning_effort") != c.want || len(got) > 1 {
			t.Errorf("%s %+v: %v, want named %v", c.model, c.r, got, c.want)
		}
	}
}
