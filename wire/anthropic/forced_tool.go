package anthropic

// relaxToolChoice rewrites a forced tool choice (any, or tool with a
// name) for a model that refuses forced tool use (Traits.NoForcedTool,
// which answers it with a 400: `tool_choice: type "tool" and "any" are
// not supported for this model.`), as Anthropic's migration guides
// advise: tool_choice auto, and the prompt says when the tool applies. A
// final system block asks for a tool call (ForcedToolText); for a named
// tool, the client's other custom tools are left out, so that the model
// can call that one alone, as forcing it allowed — unless an earlier
// assistant turn called one of them, which the conversation then still
// declares. disable_parallel_tool_use is kept. The answer may still be
// text: the model is asked, not forced (ReasoningDrops reports
// "tool_choice").
func relaxToolChoice(out *MessagesRequest) {
	tc := out.ToolChoice
	if tc == nil || tc.Type != ToolChoiceAny && tc.Type != ToolChoiceTool {
		return
	}
	name := ""
	if tc.Type == ToolChoiceTool {
		name = tc.Name
		if !callsOtherTools(out.Messages, name) {
			out.Tools = onlyTool(out.Tools, name)
		}
	}
	out.ToolChoice = &ToolChoice{Type: ToolChoiceAuto, DisableParallelToolUse: tc.DisableParallelToolUse}
	out.System = append(out.System, ContentBlock{Type: BlockText, Text: ForcedToolText(name)})
}

// ForcedToolText is the system text that asks for the tool call a forced
// tool choice would have made: of the named tool, or ("") of any tool.
func ForcedToolText(name string) string {
	if name == "" {
		return "Answer by calling one of the available tools, not with text."
	}
	return "Answer by calling the `" + name + "` tool, not with text."
}

// onlyTool returns tools less the custom tools other than name; the
// Anthropic-defined and server tools stay.
func onlyTool(tools []Tool, name string) []Tool {
	out := make([]Tool, 0, len(tools))
	for _, t := range tools {
		if t.Name == name || t.Type != "" && t.Type != "custom" {
			out = append(out, t)
		}
	}
	return out
}

// callsOtherTools reports whether an assistant turn of msgs calls a tool
// other than name.
func callsOtherTools(msgs []Message, name string) bool {
	for _, m := range msgs {
		if m.Role != "assistant" {
			continue
		}
		for _, b := range m.Content {
			if b.Type == BlockToolUse && b.Name != name {
				return true
			}
		}
	}
	return false
}
