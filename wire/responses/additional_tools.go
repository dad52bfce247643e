package responses

import (
	"encoding/json"
	"slices"
	"strconv"

	"switchyard/llm"
	"switchyard/wire/anthropic"
)

// This file is the additional_tools input item: tools a developer makes
// available from that point of the conversation on, without editing
// tools (whose change would invalidate the whole prompt cache). It maps
// onto the router's mid-conversation tool changes (Anthropic's
// tool_addition blocks, llm.Message.ToolChanges): a Claude deployment is
// sent the request's tools and, where the item stood, a system turn of
// tool_addition blocks defining the added tools (InlineToolsBeta); every
// other deployment is offered the tool set in effect at the last turn
// (the tools and every addition) and not sent the item. The tools a
// custom tool is among (which Claude takes as a lowered function only)
// are offered that way to Claude too.

// ItemAdditionalTools is the additional_tools item's type.
const ItemAdditionalTools = "additional_tools"

// additionalToolsItem is an additional_tools input item.
type additionalToolsItem struct {
	Type  string          `json:"type"`
	ID    *string         `json:"id"`
	Role  *string         `json:"role"`
	Tools json.RawMessage `json:"tools"`
}

// addedTool is a tool an additional_tools item added, and its path.
type addedTool struct {
	tool llm.Tool
	path string
}

// additionalTools decodes an additional_tools item at path: a system
// message holding a tool_addition block per tool (nil blocks when one
// cannot be sent in place), its tools added to d.config.
func (d *inputDecoder) additionalTools(raw json.RawMessage, path string) error {
	var ai additionalToolsItem
	if err := decodeStrict(raw, path, &ai); err != nil {
		return err
	}
	if r := ai.Role; r != nil && *r != "developer" {
		return invalid(path+".role", "Invalid value: '%s'. Supported values are: 'developer'.", llm.Clip(*r))
	}
	switch {
	case isNull(ai.Tools):
		return invalid(path+".tools", "Missing required parameter: '%s.tools'.", path)
	case first(ai.Tools) != '[':
		return invalid(path+".tools", "Invalid type for '%s.tools': expected an array of tools, but got %s instead.", path, kindOf(ai.Tools))
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(ai.Tools, &raws); err != nil {
		return jsonError(err, path+".tools")
	}
	if len(raws) == 0 {
		return nil // adds nothing
	}
	blocks := make([]llm.Block, 0, len(raws))
	for j, r := range raws {
		at := path + ".tools[" + strconv.Itoa(j) + "]"
		t, err := decodeTool(r, at)
		if err != nil {
			return err
		}
		if t.Type == toolHosted {
			return hostedAddition(r, at)
		}
		if d.config != nil {
			d.config.added = append(d.config.added, addedTool{tool: t, path: at})
		}
		if b, err := anthropic.ToolAdditionBlock(t); err == nil && blocks != nil {
			blocks = append(blocks, llm.Block{Raw: b})
		} else {
			blocks = nil // a custom tool: offered as the set in effect
		}
	}
	m := llm.Message{Role: llm.RoleSystem}
	m.SetToolChanges(blocks)
	d.msgs = append(d.msgs, m)
	return nil
}

// applyAdded offers the tools c's items added after the request's own
// (out.Chat.Tools, decoded): a name already available is a 400 at the
// added tool's name. When every tool can be sent in place, a Claude
// deployment gets the request's tools (AnthropicTools) and the additions
// where they stood; otherwise the messages holding them are dropped and
// every deployment gets the set in effect.
func (c *turnConfig) applyAdded(out *Request) error {
	if len(c.added) == 0 {
		return nil
	}
	req := out.Chat
	declared := slices.Clip(req.Tools)
	inPlace := !llm.HasCustomTools(declared)
	tools := declared
	for _, a := range c.added {
		if hasTool(tools, a.tool.Name) {
			return invalid(a.path+".name", "Invalid '%s.name': a tool named '%s' is already available at this point of the conversation (in 'tools' or an earlier additional_tools item). Tool names must be unique.", a.path, llm.Clip(a.tool.Name))
		}
		tools = append(tools, a.tool)
	}
	for i := range req.Messages {
		if m := &req.Messages[i]; isAdditionMessage(*m) && len(m.ToolChanges()) == 0 {
			inPlace = false // a custom tool among the additions
		}
	}
	if inPlace {
		req.AnthropicTools = append(make([]llm.Tool, 0, len(declared)), declared...)
		if !slices.Contains(req.AnthropicBetas, anthropic.InlineToolsBeta) {
			req.AnthropicBetas = append(req.AnthropicBetas, anthropic.InlineToolsBeta)
		}
	} else {
		req.Messages = slices.DeleteFunc(req.Messages, isAdditionMessage)
	}
	req.Tools = tools
	return nil
}

// isAdditionMessage reports whether m is the message of an
// additional_tools item: a system message with no content.
func isAdditionMessage(m llm.Message) bool {
	return m.Role == llm.RoleSystem && len(m.Content) == 0
}
