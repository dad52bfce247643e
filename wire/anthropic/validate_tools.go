package anthropic

import (
	"bytes"
	"encoding/json"

	"switchyard/llm"
)

// The checks of Validate on what is not the conversation: tools,
// tool_choice, thinking and cache_control breakpoints.

func checkTools(req *MessagesRequest) *llm.Error {
	names := map[string]bool{}
	for i, t := range req.Tools {
		if !toolName.MatchString(t.Name) {
			return rejectf("tools.%d.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'", i)
		}
		if names[t.Name] {
			return rejectf("tools: Tool names must be unique.")
		}
		names[t.Name] = true
		var schema struct {
			Type *string `json:"type"`
		}
		if len(bytes.TrimSpace(t.InputSchema)) == 0 || json.Unmarshal(t.InputSchema, &schema) != nil {
			return rejectf("tools.%d.custom.input_schema: Field required", i)
		}
		if schema.Type == nil || *schema.Type != "object" {
			return rejectf("tools.%d.custom.input_schema.type: Input should be 'object'", i)
		}
	}
	return checkToolChoice(req.ToolChoice, names, len(req.Tools))
}

func checkToolChoice(tc *ToolChoice, names map[string]bool, tools int) *llm.Error {
	if tc == nil {
		return nil
	}
	switch tc.Type {
	case ToolChoiceAuto, ToolChoiceAny, ToolChoiceNone:
	case ToolChoiceTool:
		if !names[tc.Name] {
			return rejectf("tool_choice.tool.name: Tool '%s' not found in provided tools", tc.Name)
		}
	default:
		return rejectf("tool_choice: Input tag '%s' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'", tc.Type)
	}
	if tools == 0 && tc.Type != ToolChoiceNone {
		return rejectf("tool_choice: tool_choice may only be specified while providing tools.")
	}
	return nil
}

func checkThinking(req *MessagesRequest) *llm.Error {
	th := req.Thinking
	if th == nil {
		return nil
	}
	switch th.Type {
	case "disabled", "adaptive":
		return nil
	case "enabled":
	default:
		return rejectf("thinking: Input tag '%s' found using 'type' does not match any of the expected tags: 'enabled', 'disabled', 'adaptive'", th.Type)
	}
	if th.BudgetTokens < 1024 {
		return rejectf("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024")
	}
	if *req.MaxTokens <= th.BudgetTokens {
		return rejectf("`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size")
	}
	if t := req.Temperature; t != nil && *t != 1 {
		return rejectf("`temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility")
	}
	return nil
}
