package responses

import "switchyard/llm"

// hostedItems are the item types of OpenAI's hosted tools, which run on
// OpenAI's side, and the tool each belongs to: passed through as they
// came (hosted.go), to an OpenAI deployment called on the Responses API
// only.
var hostedItems = map[string]string{
	"web_search_call":       "web_search",
	"file_search_call":      "file_search",
	"computer_call":         "computer_use_preview",
	"computer_call_output":  "computer_use_preview",
	"code_interpreter_call": "code_interpreter",
	"image_generation_call": "image_generation",
	"mcp_list_tools":        "mcp",
	"mcp_approval_request":  "mcp",
	"mcp_approval_response": "mcp",
	"mcp_call":              "mcp",
	"tool_search_call":      "tool_search",
	"tool_search_output":    "tool_search",
	// multi_agent's (beta_params.go): the root agent's calls of its
	// multi-agent actions, their outputs, the messages between agents.
	ItemMultiAgentCall:       "multi_agent",
	ItemMultiAgentCallOutput: "multi_agent",
	ItemAgentMessage:         "multi_agent",
}

// supportedItems lists the input item types the router takes, for the
// refusal of any other.
const supportedItems = "'message', 'function_call', 'function_call_output', 'custom_tool_call', 'custom_tool_call_output', 'reasoning', 'compaction', " +
	"'configuration_update', 'additional_tools', 'compaction_trigger' (the last item), the calls and outputs of the local_shell, shell and apply_patch tools ('local_shell_call', 'local_shell_call_output', " +
	"'shell_call', 'shell_call_output', 'apply_patch_call', 'apply_patch_call_output'), and the items of OpenAI's hosted tools (web_search_call, file_search_call, code_interpreter_call, image_generation_call, " +
	"mcp_call, mcp_list_tools, mcp_approval_request, mcp_approval_response, tool_search_call, tool_search_output, computer_call, computer_call_output) and of multi_agent (multi_agent_call, multi_agent_call_output, agent_message): for OpenAI deployments on the Responses API"

// refusedItem is the error of an input item of type typ the router does
// not take, at path: programmatic tool calling's items say why.
func refusedItem(typ, path string) *llm.Error {
	if typ == "program" || typ == "program_output" {
		return unsupported(path+".type", "Input items of type '%s' are not supported: they belong to OpenAI's programmatic tool calling, which runs on OpenAI's side and which this router does not pass through. "+
			"This router takes %s.", llm.Clip(typ), supportedItems)
	}
	return unsupported(path+".type", "Input items of type '%s' are not supported by this router; it supports %s.", llm.Clip(typ), supportedItems)
}
