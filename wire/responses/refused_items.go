package responses

import "switchyard/llm"

// hostedItems are the input item types of OpenAI's hosted tools, which
// run on OpenAI's side, and the tool each belongs to: the router runs
// none of them (it answers on every provider kind), so it cannot take
// their calls back.
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
	"program":               "programmatic tool calling",
	"program_output":        "programmatic tool calling",
}

// supportedItems lists the input item types the router takes, for the
// refusal of any other.
const supportedItems = "'message', 'function_call', 'function_call_output', 'custom_tool_call', 'custom_tool_call_output', 'reasoning', 'compaction', " +
	"'configuration_update', 'additional_tools', 'compaction_trigger' (the last item), and the calls and outputs of the local_shell, shell and apply_patch tools ('local_shell_call', 'local_shell_call_output', " +
	"'shell_call', 'shell_call_output', 'apply_patch_call', 'apply_patch_call_output')"

// refusedItem is the error of an input item of type typ the router does
// not take, at path: a hosted tool's item says why.
func refusedItem(typ, path string) *llm.Error {
	if tool, ok := hostedItems[typ]; ok {
		return unsupported(path+".type", "Input items of type '%s' are not supported: they belong to OpenAI's hosted tool '%s', which runs on OpenAI's side, and this router (which answers on every provider) runs no hosted tool. "+
			"Send what the tool gave as text in a message, or declare a function tool, run it yourself and send its 'function_call' and 'function_call_output'. This router takes %s.", typ, tool, supportedItems)
	}
	return unsupported(path+".type", "Input items of type '%s' are not supported by this router; it supports %s.", typ, supportedItems)
}
