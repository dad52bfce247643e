package openai

import "switchyard/llm"

// OpenAI's Chat Completions end an answer whose call a tool_choice forced
// by name with finish_reason "stop", not "tool_calls" (complete and
// streamed: the captures of OpenAI's API in vllm-project/vllm#25054,
// which aligned vLLM with them; "required" ends with "tool_calls"). A
// client that loops on "tool_calls", or reads an Anthropic stop_reason
// of tool_use, must not be handed that "stop" as the end of the turn.

// namedChoice reports whether req's tool_choice forces a call by name.
func namedChoice(req *llm.Request) bool {
	return req.ToolChoice != nil && req.ToolChoice.Mode == llm.ToolChoiceFunction && req.ToolChoice.Allowed == nil
}

// toolOptionWithoutTools returns the tool option req sets without tools
// (tool_choice, else parallel_tool_calls), which OpenAI's API refuses
// then: "Invalid value for 'parallel_tool_calls': 'parallel_tool_calls'
// is only allowed when 'tools' are specified." (the words peers quote,
// tool_choice checked first: QuantumNous/new-api's relay tests); "" when
// none.
func toolOptionWithoutTools(req *llm.Request) string {
	switch {
	case len(req.Tools) > 0:
		return ""
	case req.ToolChoice != nil:
		return "tool_choice"
	case req.ParallelToolCalls != nil:
		return "parallel_tool_calls"
	}
	return ""
}
