package llm

import "encoding/json"

// OpenAIHosted is what a Responses API client asked of OpenAI's hosted
// tools (web_search, file_search, code_interpreter, image_generation,
// mcp, tool_search, computer_use_preview): tools that run on OpenAI's
// side, which only an OpenAI deployment called on the Responses API can
// serve (see Request.OpenAIHostedTools). The router passes them through
// as the client wrote them.
type OpenAIHosted struct {
	// Tools are the hosted tools' declarations (JSON objects), as sent.
	Tools []json.RawMessage
	// ToolChoice is a tool_choice naming a hosted tool ({"type":
	// "web_search"}, {"type":"mcp","server_label":…}), as sent; nil for
	// any other choice (Request.ToolChoice).
	ToolChoice json.RawMessage
	// Include are the include values that ask for a hosted tool's output
	// (web_search_call.action.sources, file_search_call.results,
	// code_interpreter_call.outputs…), as sent.
	Include []string
	// Params are request members only OpenAI's Responses API serves
	// (prompt, context_management, multi_agent, moderation), by name, as
	// sent.
	Params []RawParam
	// Beta reports that Params hold a member of OpenAI's beta Responses
	// API (multi_agent, moderation), which the upstream call names as
	// OpenAI's SDKs do (POST /responses?beta=true).
	Beta bool
	// BetaHeader is the OpenAI-Beta header the client sent with a beta
	// member ("responses_multi_agent=v1"), passed upstream; "" for none.
	BetaHeader string
	// Param is where the request first names a hosted tool
	// ("tools[1].type") or such a member ("prompt"), for errors.
	Param string
}

// RawParam is a request member passed upstream as the client wrote it.
type RawParam struct {
	Name  string
	Value json.RawMessage
}

// Hosted returns an assistant turn's hosted tool items, or nil.
//
// A hosted item is an output item of OpenAI's hosted tools
// (web_search_call, file_search_call, code_interpreter_call,
// image_generation_call, mcp_call, mcp_list_tools, mcp_approval_request,
// tool_search_call…) kept byte for byte as the Responses API wrote it
// (or the client sent it back), at its place in the turn (Block.At,
// Calls, Thoughts; Marker unused). Only the Responses API's encoders
// (the router's answer to a Responses client, the upstream request to an
// OpenAI Responses deployment) write them; a request holding one goes to
// such a deployment only (Request.OpenAIHostedTools).
func (m *Message) Hosted() []Block {
	if m.Extra == nil {
		return nil
	}
	return m.Extra.Hosted
}

// SetHosted sets an assistant turn's hosted tool items (m keeps items,
// not a copy).
func (m *Message) SetHosted(items []Block) {
	m.setExtra(func(e *MessageExtra) { e.Hosted = items })
}

// TextAnnotations returns a Responses API answer's output_text
// annotations (a JSON array of url_citation, file_citation,
// container_file_citation… objects in the Responses API's shape), or nil.
func (m *Message) TextAnnotations() json.RawMessage {
	if m.Extra == nil {
		return nil
	}
	return m.Extra.TextAnnotations
}

// SetTextAnnotations sets an answer's Responses API annotations.
func (m *Message) SetTextAnnotations(a json.RawMessage) {
	m.setExtra(func(e *MessageExtra) { e.TextAnnotations = a })
}

// OnlyResponsesAPI reports whether only OpenAI's Responses API serves r,
// whatever the model: it asks for the ultrafast tier (which Chat
// Completions does not take) or carries OpenAI hosted tools or items.
func (r *Request) OnlyResponsesAPI() bool {
	return r.ServiceTier == TierUltrafast || r.OpenAIHostedTools()
}

// OpenAIHostedTools reports whether r holds what only an OpenAI
// deployment called on the Responses API can serve: a hosted tool's
// declaration (OpenAIHosted) or a hosted tool's item in its conversation
// (Message.Hosted).
func (r *Request) OpenAIHostedTools() bool {
	if r.OpenAIHosted != nil {
		return true
	}
	for i := range r.Messages {
		if e := r.Messages[i].Extra; e != nil && len(e.Hosted) > 0 {
			return true
		}
	}
	return false
}

// addHosted folds a hosted item delta in, as addBlock does a provider
// block's.
func (acc *choiceAcc) addHosted(bd *BlockDelta) {
	if bd.Index == len(acc.hosted) && bd.Index < maxBlocks && len(bd.Start) > 0 {
		acc.hosted = append(acc.hosted, Block{Raw: bd.Start, At: acc.content.Len(), Calls: len(acc.calls), Thoughts: len(acc.thinking)})
	}
	if bd.Index >= 0 && bd.Index < len(acc.hosted) && len(bd.Whole) > 0 {
		acc.hosted[bd.Index].Raw = bd.Whole
	}
}
