package gateway

import (
	"switchyard/config"
	"switchyard/llm"
	"switchyard/wire/anthropic"
)

// taskBudgetDropped names "task_budget" when req carries an Anthropic
// client's output_config.task_budget and the deployment of kind running
// model is not sent it: any but a Claude deployment whose model takes it
// (anthropic.TakesTaskBudget). The budget is advisory (the model paces
// itself by it; nothing is cut at it), so the request is answered
// without: max_tokens still bounds each answer.
func taskBudgetDropped(kind, model string, req *llm.Request) []string {
	if req.AnthropicTaskBudget == nil || kind == config.KindAnthropic && anthropic.TakesTaskBudget(model) {
		return nil
	}
	return []string{"task_budget"}
}
