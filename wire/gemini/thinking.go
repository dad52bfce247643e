package gemini

import (
	"strings"

	"switchyard/llm"
)

// thinkingBudgets maps an effort level onto Gemini 2.5 budgets (the
// values Google's own OpenAI-compatible endpoint uses); xhigh and max are
// the model's ceiling (thinkingRange).
var thinkingBudgets = map[llm.Effort]int{
	llm.EffortNone: 0, llm.EffortMinimal: 512, llm.EffortLow: 1024, llm.EffortMedium: 8192,
	llm.EffortHigh: 24576,
}

// dynamicThinkingBudget is the budget that lets the model decide.
const dynamicThinkingBudget = -1

// thinkingRange is the range of positive thinkingBudget a Gemini 2.5
// model accepts (ai.google.dev/gemini-api/docs/thinking): Pro 128–32768
// (it cannot stop thinking: "Budget 0 is invalid. This model only works
// in thinking mode."), Flash-Lite 512–24576 ("The thinking budget 128 is
// invalid. Please choose a value between 512 and 24576."), Flash
// 0–24576, whose floor is kept at Pro's 128 here.
func thinkingRange(model string) (floor, ceiling int) {
	switch {
	case strings.Contains(model, "-pro"):
		return 128, 32768
	case strings.Contains(model, "flash-lite"):
		return 512, 24576
	}
	return 128, 24576
}

// fromReasoning maps req.Reasoning onto thinkingConfig: a level for
// Gemini 3 (an effort, or the level nearest a budget, as the model takes
// it: gemini3Level; adaptive leaves the model's dynamic default), a
// budget for earlier models (an effort's from thinkingBudgets, xhigh and
// max the model's ceiling, at most half of the token limit: halfOfLimit;
// an explicit one clamped to the model's thinkingRange; adaptive -1;
// Anthropic's between_tools low's).
// "none" is budget 0, except on a Pro model, which cannot stop thinking
// and gets the least it accepts, 128. A client that wants to see the
// thinking (Reasoning.Show) gets includeThoughts: the model's thought
// summaries.
func fromReasoning(req *llm.Request, g *GenerationConfig) {
	r := req.Reasoning
	model := req.ModelID()
	if r == nil {
		defaultThinking(model, req.MaxTokens, g)
		return
	}
	if isGemini3(model) {
		switch {
		case !r.Adaptive:
			g.ThinkingConfig = &ThinkingConfig{ThinkingLevel: gemini3Level(model, r.Level()), IncludeThoughts: r.Show}
		case r.Show:
			g.ThinkingConfig = &ThinkingConfig{IncludeThoughts: true}
		}
		return
	}
	floor, ceiling := thinkingRange(model)
	budget := dynamicThinkingBudget
	switch {
	case r.BudgetTokens > 0:
		budget = min(max(r.BudgetTokens, floor), ceiling)
	case r.Effort == llm.EffortXHigh, r.Effort == llm.EffortMax:
		budget = ceiling
	case r.Effort != "":
		budget = thinkingBudgets[r.Effort]
	case r.BetweenTools: // Anthropic's least thinking short of none
		budget = thinkingBudgets[llm.EffortLow]
	}
	if r.BudgetTokens == 0 && budget > 0 {
		budget = halfOfLimit(model, budget, req.MaxTokens)
	}
	if budget == 0 && strings.Contains(model, "-pro") {
		budget = floor
	}
	g.ThinkingConfig = &ThinkingConfig{ThinkingBudget: &budget, IncludeThoughts: r.Show && budget != 0}
}

// halfOfLimit is an effort's budget on a Gemini 2.5 model under the
// request's token limit (nil: none): at most half of it, as for Claude's
// thinking, since maxOutputTokens counts the thoughts and a budget at or
// over it can spend the limit whole and answer nothing; below the
// model's floor, 0 (fromReasoning gives a Pro model, which cannot stop
// thinking, its floor).
func halfOfLimit(model string, budget int, limit *int) int {
	if limit == nil || budget <= *limit/2 {
		return budget
	}
	if floor, _ := thinkingRange(model); *limit/2 < floor {
		return 0
	}
	return *limit / 2
}

// defaultThinkingCap is the most the dynamic thinking of Gemini 2.5 spends
// when the request sets no budget.
const defaultThinkingCap = 8192

// defaultThinking bounds the thinking of a request that asked for none on
// a Gemini 2.5 model that thinks by default (Flash and Pro; Flash-Lite
// does not): maxOutputTokens counts the thoughts, and the default dynamic
// thinking, up to 8,192 tokens, can spend a small limit whole and answer
// nothing (finishReason MAX_TOKENS, no parts). The budget is half of the
// limit, as for Claude's thinking, so the answer keeps at least the other
// half; below the floor of 128 Flash stops thinking and Pro, which cannot,
// gets the floor. Without a limit, or with room for the whole default, the
// model keeps its default. Gemini 3's levels do not bound tokens: it keeps
// its default too.
func defaultThinking(model string, limit *int, g *GenerationConfig) {
	model = strings.TrimPrefix(model, "models/")
	if limit == nil || *limit/2 >= defaultThinkingCap || !strings.HasPrefix(model, "gemini-2.5-") ||
		strings.HasPrefix(model, "gemini-2.5-flash-lite") {
		return
	}
	floor, _ := thinkingRange(model)
	budget := *limit / 2
	if budget < floor {
		budget = 0
		if strings.Contains(model, "-pro") {
			budget = floor
		}
	}
	g.ThinkingConfig = &ThinkingConfig{ThinkingBudget: &budget}
}

// Gemini 3's thinking levels, weakest first.
const (
	LevelMinimal = "MINIMAL"
	LevelLow     = "LOW"
	LevelMedium  = "MEDIUM"
	LevelHigh    = "HIGH"
)

var (
	levelsAll     = []string{LevelMinimal, LevelLow, LevelMedium, LevelHigh}
	levelsLowHigh = []string{LevelLow, LevelHigh}
	levelsNoMin   = []string{LevelLow, LevelMedium, LevelHigh}
)

// ThinkingLevels returns the thinkingLevel values a Gemini 3 model takes,
// weakest first, nil for a model without levels (before Gemini 3). Gemini
// 3 Pro takes LOW and HIGH ("Thinking level MEDIUM is not supported for
// this model."), later Pro models LOW to HIGH (no MINIMAL: they cannot stop
// thinking), Gemini 3.7 Flash LOW to HIGH ("'minimal' is not a supported
// thinking level for this model", can1357/oh-my-pi#10543), other Flash
// models all four (ai.google.dev/gemini-api/docs/thinking).
func ThinkingLevels(model string) []string {
	model = strings.TrimPrefix(model, "models/")
	switch {
	case !isGemini3(model):
		return nil
	case strings.HasPrefix(model, "gemini-3-pro"):
		return levelsLowHigh
	case strings.Contains(model, "-pro"), strings.HasPrefix(model, "gemini-3.7-flash"):
		return levelsNoMin
	}
	return levelsAll
}

// gemini3Level is the thinkingLevel sent model for an effort: none and
// minimal are MINIMAL, xhigh and max HIGH, else the effort's level; a
// level the model does not take (ThinkingLevels) becomes the strongest it
// takes that is not stronger, else its weakest (the rule OpenAI's
// efforts follow), so none on Gemini 3 Pro is LOW.
func gemini3Level(model string, e llm.Effort) string {
	asked := strings.ToUpper(string(e))
	switch e {
	case llm.EffortNone, llm.EffortMinimal:
		asked = LevelMinimal
	case llm.EffortXHigh, llm.EffortMax:
		asked = LevelHigh
	}
	rank := levelRank(asked)
	levels := ThinkingLevels(model)
	if rank < 0 || len(levels) == 0 {
		return asked
	}
	sent := levels[0]
	for _, l := range levels[1:] {
		if levelRank(l) <= rank {
			sent = l
		}
	}
	return sent
}

// levelRank is the place of a thinkingLevel, MINIMAL 0 to HIGH 3; -1 for
// another value.
func levelRank(level string) int {
	for i, l := range levelsAll {
		if l == level {
			return i
		}
	}
	return -1
}

// DroppedReasoningEffort is the name x-switchyard-route's dropped= gives
// a reasoning effort sent to a Gemini 3 model as another level (the name
// OpenAI's changed efforts have too).
const DroppedReasoningEffort = "reasoning_effort"

// DroppedReasoning returns DroppedReasoningEffort when the reasoning
// effort of req goes to its Gemini 3 model as another level
// (gemini3Level: none as MINIMAL, xhigh as HIGH, minimal as LOW on a Pro
// model), or effort none to a Gemini 2.5 Pro model, which cannot stop
// thinking and is sent its least budget (fromReasoning); nil otherwise:
// no effort, a budget, adaptive, another effort before Gemini 3.
func DroppedReasoning(req *llm.Request) []string {
	r := req.Reasoning
	if r == nil || r.Adaptive || r.Effort == "" {
		return nil
	}
	if !isGemini3(req.ModelID()) {
		if r.Effort == llm.EffortNone && strings.Contains(req.ModelID(), "-pro") {
			return []string{DroppedReasoningEffort}
		}
		return nil
	}
	if gemini3Level(req.ModelID(), r.Effort) == strings.ToUpper(string(r.Effort)) {
		return nil
	}
	return []string{DroppedReasoningEffort}
}
