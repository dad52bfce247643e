package anthropic

import "switchyard/llm"

// toolsToLLM translates the request's tools: a client tool into a
// function tool (input_schema → parameters; strict and the SDKs' tool
// settings kept), an Anthropic-defined client tool by definedToolToLLM,
// a server tool or a toolset kept whole for Claude
// (AnthropicToolOptions.Server; a toolset, which has no name, named by its
// type).
func toolsToLLM(tools []Tool) []llm.Tool {
	if len(tools) == 0 {
		return nil
	}
	out := make([]llm.Tool, len(tools))
	for i, t := range tools {
		if len(t.Raw) > 0 { // a server tool, for Claude alone
			out[i] = llm.Tool{Type: "function", Name: toolKey(&tools[i]), Cache: CacheToLLM(t.CacheControl),
				Anthropic: &llm.AnthropicToolOptions{Server: t.Raw}}
			continue
		}
		if d, ok := LookupDefinedTool(t.Type); ok {
			out[i] = definedToolToLLM(&tools[i], d)
			continue
		}
		out[i] = llm.Tool{Type: "function", Name: t.Name, Description: t.Description, Parameters: t.InputSchema,
			Cache: CacheToLLM(t.CacheControl)}
		if t.Strict {
			out[i].Strict = &t.Strict
		}
		if t.EagerInputStreaming != nil || t.DeferLoading != nil || t.AllowedCallers != nil || len(t.InputExamples) > 0 {
			out[i].Anthropic = &llm.AnthropicToolOptions{EagerInputStreaming: t.EagerInputStreaming, DeferLoading: t.DeferLoading,
				AllowedCallers: t.AllowedCallers, InputExamples: t.InputExamples}
		}
	}
	return out
}

// toolChoiceToLLM translates tool_choice (auto, any → required, tool →
// that function, none) and its disable_parallel_tool_use, returned as
// the request's parallel_tool_calls.
func toolChoiceToLLM(tc *ToolChoice) (*llm.ToolChoice, *bool) {
	if tc == nil {
		return nil, nil
	}
	var parallel *bool
	if tc.DisableParallelToolUse {
		parallel = new(bool)
	}
	switch tc.Type {
	case ToolChoiceAny:
		return &llm.ToolChoice{Mode: llm.ToolChoiceRequired}, parallel
	case ToolChoiceTool:
		return &llm.ToolChoice{Mode: llm.ToolChoiceFunction, Name: tc.Name}, parallel
	case ToolChoiceNone:
		return &llm.ToolChoice{Mode: llm.ToolChoiceNone}, nil
	}
	return &llm.ToolChoice{Mode: llm.ToolChoiceAuto}, parallel
}

// OutputSchemaName is the schema name a json_schema response format gets
// (OpenAI requires one; the Messages API's output_config has none).
const OutputSchemaName = "output"
