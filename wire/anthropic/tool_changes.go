package anthropic

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"switchyard/llm"
)

// Mid-conversation tool changes: a role "system" message of messages may
// hold tool_addition and tool_removal blocks, which offer the model a
// tool (or withdraw one) from that point of the conversation onward
// without editing tools, so the cached prefix before them holds. A block
// names its tool by reference (tool_reference: a tool of tools, or one an
// earlier block defined) or, under InlineToolsBeta, defines it by value
// (tool_definition: a tools entry).
//
// A Claude API deployment is sent the request's tools and the blocks as
// the client wrote them, where they stood. No other provider has them, so
// the router emulates them: every other deployment is offered the tool
// set in effect at the end of the conversation (ToolSet) — the model
// answers the last turn, which is where that set applies — and is sent
// none of the blocks.

// The tool change blocks' types.
const (
	BlockToolAddition = "tool_addition"
	BlockToolRemoval  = "tool_removal"
)

// ToolChangesBeta is the beta of tool_addition and tool_removal blocks
// naming tools by reference; InlineToolsBeta is the one of blocks that
// define a tool by value (tool_definition), which also lets them name a
// tool defined earlier in messages.
const (
	ToolChangesBeta = "mid-conversation-tool-changes-2026-07-01"
	InlineToolsBeta = "inline-tools-2026-09-15"
)

// The error codes (error.details.error_code) of tool changes the API
// refuses: a reference to a tool not defined at that point of the
// conversation (the router defines no MCP server, so every MCP reference
// is one), and a tool defined under a name a tool of another kind holds.
const (
	CodeToolReferenceUnresolved = "tool_reference_unresolved"
	CodeToolNameConflict        = "tool_name_conflict"
)

// isToolChange reports whether typ is a tool change block's.
func isToolChange(typ string) bool { return typ == BlockToolAddition || typ == BlockToolRemoval }

// toolChange is a tool_addition or tool_removal block, decoded.
type toolChange struct {
	Type         string        `json:"type"`
	Tool         changeTarget  `json:"tool"`
	CacheControl *CacheControl `json:"cache_control,omitempty"`
}

// changeTarget is a block's tool: a reference (tool_reference with Name;
// mcp_tool_reference with ServerName and Name; mcp_toolset_reference
// with ServerName) or a tool_definition with Definition.
type changeTarget struct {
	Type       string          `json:"type"`
	Name       string          `json:"name,omitempty"`
	ServerName string          `json:"server_name,omitempty"`
	Definition json.RawMessage `json:"definition,omitempty"`
}

// HasToolChanges reports whether a message of req holds a tool change
// block.
func HasToolChanges(req *MessagesRequest) bool {
	for i := range req.Messages {
		for j := range req.Messages[i].Content {
			if isToolChange(req.Messages[i].Content[j].Type) {
				return true
			}
		}
	}
	return false
}

// toolKey is the name a tool is referred to by: its name, or for a
// toolset, which has none, its type.
func toolKey(t *Tool) string {
	if t.Name == "" {
		return t.Type
	}
	return t.Name
}

// customKind reports whether t is a tool the client defines (custom),
// not an Anthropic-defined or server tool: a tool defined again under an
// available tool's name must be of the same kind.
func customKind(t *Tool) bool { return t.Type == "" || t.Type == "custom" }

// toolSet is the walk of a conversation's tool changes.
type toolSet struct {
	on    []Tool          // in effect, in the order offered
	known map[string]Tool // every tool declared or defined so far, by toolKey
}

// ToolSet returns the tools in effect at the end of req's conversation:
// its tools, with the tool_addition and tool_removal blocks of its
// system messages applied in order (an addition of a tool already
// offered, or a removal of one not offered, changes nothing; a tool
// defined again under its own name replaces it in place). It returns
// req.Tools itself when nothing changes them. Errors are *llm.Error of
// kind invalid_request worded as the API words them: a block outside a
// system message or without its beta, a malformed block, a reference to
// a tool not defined at that point (CodeToolReferenceUnresolved), a
// definition the tools array would refuse, or one under the name of an
// available tool of another kind (CodeToolNameConflict).
func ToolSet(req *MessagesRequest) ([]Tool, *llm.Error) {
	if !HasToolChanges(req) {
		return req.Tools, nil
	}
	s := toolSet{on: slices.Clone(req.Tools), known: make(map[string]Tool, len(req.Tools))}
	for i := range req.Tools {
		s.known[toolKey(&req.Tools[i])] = req.Tools[i]
	}
	for i := range req.Messages {
		m := &req.Messages[i]
		for j := range m.Content {
			if b := &m.Content[j]; isToolChange(b.Type) {
				if err := s.apply(req, b, m.Role, i, j); err != nil {
					return nil, err
				}
			}
		}
	}
	return s.on, nil
}

// apply applies block b, content j of message i (of role).
func (s *toolSet) apply(req *MessagesRequest, b *ContentBlock, role string, i, j int) *llm.Error {
	if role != "system" {
		return rejectf("messages.%d.content.%d: %s blocks can only be in system messages", i, j, b.Type)
	}
	if !slices.Contains(req.Betas, ToolChangesBeta) && !slices.Contains(req.Betas, InlineToolsBeta) {
		return rejectf("messages.%d.content.%d: %s blocks require the anthropic-beta header %s", i, j, b.Type, ToolChangesBeta)
	}
	var c toolChange
	d := json.NewDecoder(bytes.NewReader(b.Raw))
	d.DisallowUnknownFields()
	if err := d.Decode(&c); err != nil {
		return rejectf("messages.%d.content.%d.%s.%s", i, j, b.Type, decodeError(err).Message)
	}
	prefix := fmt.Sprintf("messages.%d.content.%d.%s.tool: ", i, j, b.Type)
	at := func(format string, args ...any) *llm.Error { return rejectf(prefix+format, args...) }
	switch t := &c.Tool; {
	case t.Type == "tool_reference" && t.Name != "" && t.ServerName == "" && t.Definition == nil:
		return s.reference(b.Type, t.Name, at)
	case (t.Type == "mcp_tool_reference" || t.Type == "mcp_toolset_reference") && t.ServerName != "" && t.Definition == nil:
		e := at("MCP server '%s' is not defined at this point of the conversation (this router serves no MCP servers)", llm.Clip(t.ServerName))
		e.Code = CodeToolReferenceUnresolved
		return e
	case t.Type == "tool_definition" && b.Type == BlockToolAddition && t.Name == "" && t.ServerName == "":
		if !slices.Contains(req.Betas, InlineToolsBeta) {
			return at("tool_definition requires the anthropic-beta header %s", InlineToolsBeta)
		}
		return s.define(t.Definition, at)
	case t.Type == "tool_reference", t.Type == "mcp_tool_reference", t.Type == "mcp_toolset_reference", t.Type == "tool_definition" && b.Type == BlockToolAddition:
		return at("Field required, or Extra inputs are not permitted, for a tool of type '%s'", llm.Clip(t.Type))
	}
	tags := "'tool_reference', 'mcp_tool_reference', 'mcp_toolset_reference'"
	if b.Type == BlockToolAddition {
		tags += ", 'tool_definition'"
	}
	return at("Input tag '%s' found using 'type' does not match any of the expected tags: %s", llm.Clip(c.Tool.Type), tags)
}

// reference adds (for a tool_addition) or withdraws the tool named name.
func (s *toolSet) reference(typ, name string, at func(string, ...any) *llm.Error) *llm.Error {
	t, ok := s.known[name]
	if !ok {
		e := at("tool '%s' is not defined at this point of the conversation: name a tool of tools or one an earlier tool_addition defined", llm.Clip(name))
		e.Code = CodeToolReferenceUnresolved
		return e
	}
	k := slices.IndexFunc(s.on, func(o Tool) bool { return toolKey(&o) == name })
	switch {
	case typ == BlockToolAddition && k < 0:
		s.on = append(s.on, t)
	case typ == BlockToolRemoval && k >= 0:
		s.on = slices.Delete(s.on, k, k+1)
	}
	return nil
}

// define adds the tool raw defines (a tools entry), checked as tools
// would check it.
func (s *toolSet) define(raw json.RawMessage, at func(string, ...any) *llm.Error) *llm.Error {
	var t Tool
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if len(bytes.TrimSpace(raw)) == 0 {
		return at("definition: Field required")
	}
	if err := d.Decode(&t); err != nil {
		return at("definition: %s", decodeError(err).Message)
	}
	if err := checkTools(&MessagesRequest{Tools: []Tool{t}}); err != nil {
		return at("definition: %s", err.Message)
	}
	key := toolKey(&t)
	k := slices.IndexFunc(s.on, func(o Tool) bool { return toolKey(&o) == key })
	if k >= 0 && customKind(&s.on[k]) != customKind(&t) {
		e := at("tool '%s' is already available as a tool of another kind", llm.Clip(key))
		e.Code = CodeToolNameConflict
		return e
	}
	s.known[key] = t
	if k >= 0 {
		s.on[k] = t
	} else {
		s.on = append(s.on, t)
	}
	return nil
}

// checkToolChanges is ToolSet's check, for Validate.
func checkToolChanges(req *MessagesRequest) *llm.Error {
	_, err := ToolSet(req)
	return err
}

// requestTools translates the request's tools: with no tool changes its
// tools (and nil declared); with some, the tool set in effect at the
// end (ToolSet) and the tools as declared (never nil), for Claude.
func requestTools(req *MessagesRequest) (tools, declared []llm.Tool, err error) {
	if !HasToolChanges(req) {
		return toolsToLLM(req.Tools), nil, nil
	}
	set, e := ToolSet(req)
	if e != nil {
		return nil, nil, e
	}
	declared = toolsToLLM(req.Tools)
	if declared == nil {
		declared = []llm.Tool{}
	}
	return toolsToLLM(set), declared, nil
}

// systemWithChanges returns the blocks of system message m for a Claude
// deployment: its text blocks with its tool changes woven back in where
// they stood (llm.Block.At, a byte offset into the message's text).
func systemWithChanges(m *llm.Message) Blocks {
	changes := m.ToolChanges()
	out := make(Blocks, 0, len(m.Content)+len(changes))
	at, k := 0, 0
	for _, p := range m.Content {
		for ; k < len(changes) && changes[k].At <= at; k++ {
			out = append(out, changeBlock(changes[k].Raw))
		}
		if p.Type == llm.PartText && !BlankStop(p.Text) {
			out = append(out, ContentBlock{Type: BlockText, Text: p.Text, CacheControl: CacheFromLLM(p.Cache())})
		}
		at += len(p.Text)
	}
	for ; k < len(changes); k++ {
		out = append(out, changeBlock(changes[k].Raw))
	}
	return out
}

// changeBlock is a tool change block kept raw, with its type.
func changeBlock(raw json.RawMessage) ContentBlock {
	var h struct {
		Type string `json:"type"`
	}
	json.Unmarshal(raw, &h)
	return ContentBlock{Type: h.Type, Raw: raw}
}

// ToolAdditionBlock returns the tool_addition block that defines the
// function tool t by value (a tool_definition, under InlineToolsBeta):
// how a tool another API's client adds mid-conversation (the Responses
// API's additional_tools item) reaches a Claude deployment in place. A
// tool the tools array cannot take (a custom tool) is an error.
func ToolAdditionBlock(t llm.Tool) (json.RawMessage, error) {
	tools, err := convertTools([]llm.Tool{t})
	if err != nil {
		return nil, err
	}
	def, err := json.Marshal(tools[0])
	if err != nil {
		return nil, err
	}
	return json.Marshal(toolChange{Type: BlockToolAddition, Tool: changeTarget{Type: "tool_definition", Definition: def}})
}
