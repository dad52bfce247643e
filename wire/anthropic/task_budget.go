package anthropic

import (
	"bytes"
	"encoding/json"
	"slices"

	"switchyard/llm"
)

// This file is output_config.task_budget (beta, task-budgets-2026-03-13):
// {"type":"tokens","total":N,"remaining"?:M}, an advisory token budget
// for a whole agentic loop (thinking, tool calls, tool results and
// output) that Claude sees counting down and paces itself by; remaining
// carries the count over when a client compacts its context itself.
// Sources (read 2026-12-06): platform.claude.com/docs/en/build-with-claude/task-budgets
// (the minimum total of 20,000 tokens, the beta header, Claude Opus 4.7
// as the model it shipped with) and anthropic-sdk-go v2.17's
// BetaTokenTaskBudgetParam.

// TaskBudgetBeta is the anthropic-beta value a task budget is sent with.
const TaskBudgetBeta = "task-budgets-2026-03-13"

// MinTaskBudget is the smallest total the API takes.
const MinTaskBudget = 20000

// taskBudget is output_config.task_budget as decoded.
type taskBudget struct {
	Type      *string `json:"type"`
	Total     *int64  `json:"total"`
	Remaining *int64  `json:"remaining"`
}

// TaskBudgetOf checks output_config.task_budget as the API does (an
// object of type tokens, total at least MinTaskBudget, remaining, when
// set, between 0 and total, no other field) and returns it compacted, or
// nil when absent or null. Errors are *llm.Error of kind invalid_request
// with Param output_config.task_budget.
func TaskBudgetOf(oc *OutputConfig) (json.RawMessage, error) {
	if oc == nil {
		return nil, nil
	}
	raw := bytes.TrimSpace(oc.TaskBudget)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	const at = "output_config.task_budget"
	if raw[0] != '{' {
		return nil, budgetParam(rejectf("%s: Input should be a valid dictionary", at))
	}
	var tb taskBudget
	if err := strictObject(raw, &tb); err != nil {
		return nil, budgetParam(rejectf("%s.%s", at, err))
	}
	switch {
	case tb.Type == nil:
		return nil, budgetParam(rejectf("%s.type: Field required", at))
	case *tb.Type != "tokens":
		return nil, budgetParam(rejectf("%s.type: Input should be 'tokens'", at))
	case tb.Total == nil:
		return nil, budgetParam(rejectf("%s.total: Field required", at))
	case *tb.Total < MinTaskBudget:
		return nil, budgetParam(rejectf("%s.total: Input should be greater than or equal to %d", at, MinTaskBudget))
	case tb.Remaining != nil && *tb.Remaining < 0:
		return nil, budgetParam(rejectf("%s.remaining: Input should be greater than or equal to 0", at))
	case tb.Remaining != nil && *tb.Remaining > *tb.Total:
		return nil, budgetParam(rejectf("%s.remaining: must be less than or equal to total", at))
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return nil, budgetParam(rejectf("%s: Input should be a valid dictionary", at))
	}
	return b.Bytes(), nil
}

func budgetParam(e *llm.Error) *llm.Error {
	e.Param = "output_config.task_budget"
	return e
}

// TakesTaskBudget reports whether Claude model takes a task budget: Opus
// 4.7, with which the beta shipped, and every Claude model since
// (Version 407 and later), on Anthropic's API (the beta header is the
// Claude API's).
func TakesTaskBudget(model string) bool {
	return ModelTraits(model).Version >= 407 && onClaudeAPI(model)
}

// applyTaskBudget sends req's task budget to a model that takes it
// (TakesTaskBudget), with TaskBudgetBeta; another model is sent neither
// (the gateway names task_budget dropped).
func applyTaskBudget(out *MessagesRequest, req *llm.Request) {
	if req.AnthropicTaskBudget == nil || !TakesTaskBudget(req.ModelID()) {
		return
	}
	if out.OutputConfig == nil {
		out.OutputConfig = &OutputConfig{}
	}
	out.OutputConfig.TaskBudget = req.AnthropicTaskBudget
	if !slices.Contains(out.Betas, TaskBudgetBeta) {
		out.Betas = append(slices.Clip(out.Betas), TaskBudgetBeta)
	}
}

// checkTaskBudget is TaskBudgetOf as a check of Validate.
func checkTaskBudget(req *MessagesRequest) *llm.Error {
	if _, err := TaskBudgetOf(req.OutputConfig); err != nil {
		return llm.AsError(err)
	}
	return nil
}
