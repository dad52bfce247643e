package anthropic

import (
	"bytes"
	"encoding/json"
	"slices"

	"switchyard/llm"
)

// The checks of Validate on what is not the conversation: tools,
// tool_choice, thinking and cache_control breakpoints.

func checkTools(req *MessagesRequest) *llm.Error {
	names := map[string]bool{}
	for i, t := range req.Tools {
		if t.Type != "" && t.Type != "custom" {
			handled, err := checkTypedTool(&req.Tools[i], i)
			if err != nil {
				return err
			}
			if handled {
				if names[toolKey(&t)] {
					return rejectf("tools: Tool names must be unique.")
				}
				names[toolKey(&t)] = true
				continue
			}
		}
		if !toolName.MatchString(t.Name) {
			return rejectf("tools.%d.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'", i)
		}
		if names[t.Name] {
			return rejectf("tools: Tool names must be unique.")
		}
		names[t.Name] = true
		var schema struct {
			Type     *string         `json:"type"`
			Required json.RawMessage `json:"required"`
		}
		if len(bytes.TrimSpace(t.InputSchema)) == 0 || json.Unmarshal(t.InputSchema, &schema) != nil {
			return rejectf("tools.%d.custom.input_schema: Field required", i)
		}
		if schema.Type == nil || *schema.Type != "object" {
			return rejectf("tools.%d.custom.input_schema.type: Input should be 'object'", i)
		}
		if r := bytes.TrimSpace(schema.Required); len(r) > 0 && r[0] != '[' {
			// "required": null included, which schema generators write for
			// a tool of optional parameters alone and the API refuses
			// (anthropics/claude-code#49637; agentica's changelog quotes
			// the API's answer).
			return rejectf("tools.%d.custom.input_schema.required: Input should be a valid list", i)
		}
		if ex := bytes.TrimSpace(t.InputExamples); len(ex) > 0 && string(ex) != "null" {
			var examples []map[string]json.RawMessage
			if json.Unmarshal(ex, &examples) != nil || slices.ContainsFunc(examples, func(m map[string]json.RawMessage) bool { return m == nil }) {
				return rejectf("tools.%d.custom.input_examples: Input should be a valid list of dictionaries", i)
			}
		}
	}
	return checkToolChoice(req, names)
}

// addedInEffect reports whether a request's mid-conversation tool changes
// leave a tool of name in effect at its end (ToolSet), name "" meaning
// any tool: a tool_choice may name a tool added in the conversation, as
// the model answering the last turn is offered it. A request without
// changes, or whose changes are invalid (checkToolChanges says why), has
// none.
func addedInEffect(req *MessagesRequest, name string) bool {
	if !HasToolChanges(req) {
		return false
	}
	set, err := ToolSet(req)
	return err == nil && slices.ContainsFunc(set, func(t Tool) bool { return name == "" || toolKey(&t) == name })
}

func checkToolChoice(req *MessagesRequest, names map[string]bool) *llm.Error {
	tc := req.ToolChoice
	if tc == nil {
		return nil
	}
	switch tc.Type {
	case ToolChoiceAuto, ToolChoiceAny, ToolChoiceNone:
	case ToolChoiceTool:
		if !names[tc.Name] && !addedInEffect(req, tc.Name) {
			return rejectf("tool_choice.tool.name: Tool '%s' not found in provided tools", llm.Clip(tc.Name))
		}
	default:
		return rejectf("tool_choice: Input tag '%s' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'", llm.Clip(tc.Type))
	}
	if len(req.Tools) == 0 && tc.Type != ToolChoiceNone && !addedInEffect(req, "") {
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
	case ThinkingDisabled:
		return nil
	case ThinkingAdaptive:
		return checkThinkingSampling(req)
	case ThinkingBetweenTools:
		// It "takes no other field" (Sonnet 5.5's migration guide; the
		// wording is pydantic's, as for the other thinking types).
		switch {
		case th.BudgetTokens != 0:
			return rejectf("thinking.between_tools.budget_tokens: Extra inputs are not permitted")
		case th.Display != "":
			return rejectf("thinking.between_tools.display: Extra inputs are not permitted")
		}
		return checkThinkingSampling(req)
	case ThinkingEnabled:
	default:
		return rejectf("thinking: Input tag '%s' found using 'type' does not match any of the expected tags: 'enabled', 'disabled', 'adaptive', 'between_tools'", llm.Clip(th.Type))
	}
	if th.BudgetTokens < minBudget {
		return rejectf("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024")
	}
	// nil: count_tokens, which has no max_tokens; interleaved thinking's
	// budget spans the turn, so it may exceed max_tokens
	if req.MaxTokens != nil && *req.MaxTokens <= th.BudgetTokens && !interleaved(req.Betas) {
		return rejectf("`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size")
	}
	return checkThinkingSampling(req)
}

// checkThinkingSampling checks what thinking rules out: a temperature
// other than 1, top_k, a top_p below 0.95, and a tool_choice that forces
// a tool.
func checkThinkingSampling(req *MessagesRequest) *llm.Error {
	const doc = " Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#"
	switch {
	case req.Temperature != nil && *req.Temperature != 1:
		return rejectf("`temperature` may only be set to 1 when thinking is enabled." + doc + "feature-compatibility")
	case req.TopK != nil:
		return rejectf("`top_k` must be unset when thinking is enabled." + doc + "important-considerations-when-using-extended-thinking")
	case req.TopP != nil && *req.TopP < 0.95:
		return rejectf("`top_p` must be greater than or equal to 0.95 or unset when thinking is enabled." + doc + "feature-compatibility")
	case req.ToolChoice != nil && (req.ToolChoice.Type == ToolChoiceAny || req.ToolChoice.Type == ToolChoiceTool):
		return rejectf("Thinking may not be enabled when tool_choice forces tool use.")
	}
	return nil
}

// Format returns the request's structured-output format: output_config's
// format, else the beta's output_format; nil for none.
func (r *MessagesRequest) Format() *OutputFormat {
	if oc := r.OutputConfig; oc != nil && oc.Format != nil {
		return oc.Format
	}
	return r.OutputFormat
}

// checkOutputFormat checks structured outputs as the API does: the format
// (output_config.format, or the beta's output_format, not both) is a
// json_schema with a schema the API takes (SchemaProblem), and so is the
// input_schema of every strict tool.
func checkOutputFormat(req *MessagesRequest) *llm.Error {
	field, f := "output_config.format", (*OutputFormat)(nil)
	if oc := req.OutputConfig; oc != nil {
		f = oc.Format
		if e := oc.Effort; e != "" && !slices.Contains(effortsAll, llm.Effort(e)) {
			return rejectf("output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'")
		}
	}
	if req.OutputFormat != nil {
		if f != nil {
			return rejectf("output_format: cannot be used together with output_config.format; use output_config.format alone")
		}
		field, f = "output_format", req.OutputFormat
	}
	if f != nil {
		if f.Type != FormatJSONSchema {
			return rejectf("%s.type: Input tag '%s' found using 'type' does not match any of the expected tags: 'json_schema'", field, llm.Clip(f.Type))
		}
		switch schema := bytes.TrimSpace(f.Schema); {
		case len(schema) == 0:
			return rejectf("%s.schema: Field required", field)
		case schema[0] != '{':
			return rejectf("%s.schema: Input should be a valid dictionary", field)
		}
		if p := SchemaProblem(f.Schema); p != "" {
			return rejectf("%s.schema: %s", field, p)
		}
	}
	for i, t := range req.Tools {
		if !t.Strict || t.Type != "" && t.Type != "custom" {
			continue
		}
		if p := SchemaProblem(t.InputSchema); p != "" {
			return rejectf("tools.%d.custom.input_schema: %s", i, p)
		}
	}
	return nil
}
