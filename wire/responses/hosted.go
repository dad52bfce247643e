package responses

import (
	"encoding/json"
	"slices"

	"switchyard/llm"
)

// OpenAI's hosted tools (builtinTools: web search, file search, code
// interpreter, image generation, remote MCP servers, tool search,
// computer use) run on OpenAI's side. The router passes them through to
// an OpenAI deployment called on the Responses API, and only there
// (llm.Request.OpenAIHostedTools, route's hosted_tools need): their
// declarations, a tool_choice naming one and the include values asking
// for their outputs go upstream as the client wrote them; their output
// items (hostedItems) and the answer's annotations come back as OpenAI
// wrote them, in place (llm.Message.Hosted, TextAnnotations).

// hostedItem adds an input item of a hosted tool (a web_search_call, an
// mcp_approval_response… sent back) as it came: a hosted item of the
// assistant turn before when that turn holds hosted items alone, else of
// a new assistant turn. Only an OpenAI Responses deployment takes the
// request then (llm.Request.OpenAIHostedTools), and gets it in place.
func (d *inputDecoder) hostedItem(raw json.RawMessage) {
	b := llm.Block{Raw: append(json.RawMessage(nil), raw...)}
	if n := len(d.msgs); n > 0 {
		last := &d.msgs[n-1]
		if h := last.Hosted(); last.Role == llm.RoleAssistant && len(h) > 0 && len(last.Content) == 0 && len(last.ToolCalls()) == 0 {
			last.SetHosted(appendOwned(&d.ownHosted, h, b))
			return
		}
	}
	m := llm.Message{Role: llm.RoleAssistant}
	m.SetHosted(appendOwned(&d.ownHosted, nil, b))
	d.msgs = append(d.msgs, m)
}

// hostedIncludes are the include values that ask for a hosted tool's
// output.
var hostedIncludes = map[string]bool{
	"web_search_call.action.sources": true, "web_search_call.results": true, "file_search_call.results": true,
	"code_interpreter_call.outputs": true, "computer_call_output.output.image_url": true,
}

// hostedTool keeps a hosted tool's declaration raw (it is an object with
// a known type: decodeTool checked it).
func hostedTool(req *llm.Request, raw json.RawMessage, path string) {
	h := hostedOf(req)
	if h.Param == "" {
		h.Param = path + ".type"
	}
	h.Tools = append(h.Tools, append(json.RawMessage(nil), raw...))
}

// hostedOf returns req's OpenAIHosted, set if it was nil.
func hostedOf(req *llm.Request) *llm.OpenAIHosted {
	if req.OpenAIHosted == nil {
		req.OpenAIHosted = &llm.OpenAIHosted{}
	}
	return req.OpenAIHosted
}

// hostedChoice reports whether raw is a tool_choice naming a hosted tool
// ({"type":"web_search_preview"}, {"type":"mcp","server_label":…}) and
// keeps it: the request must declare a hosted tool.
func hostedChoice(req *llm.Request, raw json.RawMessage) (bool, error) {
	if first(raw) != '{' {
		return false, nil
	}
	var h itemHeader
	if json.Unmarshal(raw, &h) != nil || h.Type == nil || !builtinTools[*h.Type] {
		return false, nil
	}
	if req.OpenAIHosted == nil {
		return true, invalid("tool_choice", "Invalid 'tool_choice': the hosted tool '%s' is not in 'tools'.", llm.Clip(*h.Type))
	}
	req.OpenAIHosted.ToolChoice = append(json.RawMessage(nil), raw...)
	return true, nil
}

// hostedInclude keeps the include values that ask for hosted tools'
// outputs, for a request that declares a hosted tool.
func hostedInclude(req *llm.Request, include []string) {
	if req.OpenAIHosted == nil {
		return
	}
	for _, inc := range include {
		if hostedIncludes[inc] {
			req.OpenAIHosted.Include = append(req.OpenAIHosted.Include, inc)
		}
	}
}

// hostedAddition is the error of a hosted tool added mid-conversation (an
// additional_tools item): the router passes hosted tools through in the
// request's tools only.
func hostedAddition(raw json.RawMessage, path string) error {
	var h itemHeader
	_ = json.Unmarshal(raw, &h)
	e := unsupported(path+".type", "The hosted tool '%s' cannot be added by an additional_tools item: declare it in the request's 'tools' (an OpenAI deployment called on the Responses API then runs it).", llm.Clip(deref(h.Type)))
	e.Code = "unsupported_value"
	return e
}

// appendHostedTools appends the tools of a request with hosted tools and
// its tool_choice (a hosted one as written).
func appendHostedTools(dst []byte, req *llm.Request) []byte {
	dst = appendAllTools(append(dst, `,"tools":`...), req)
	switch {
	case len(req.OpenAIHosted.ToolChoice) > 0:
		dst = append(append(dst, `,"tool_choice":`...), req.OpenAIHosted.ToolChoice...)
	case req.ToolChoice != nil:
		dst = appendToolChoice(append(dst, `,"tool_choice":`...), req.ToolChoice, req.Tools)
	}
	return dst
}

// appendAllTools appends req's tools: its function tools, then its
// hosted declarations as the client wrote them.
func appendAllTools(dst []byte, req *llm.Request) []byte {
	dst = appendTools(dst, req.Tools)
	if req.OpenAIHosted == nil {
		return dst
	}
	dst = dst[:len(dst)-1] // reopen the array
	for i, raw := range req.OpenAIHosted.Tools {
		if i > 0 || len(req.Tools) > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, raw...)
	}
	return append(dst, ']')
}

// appendAllToolChoice appends req's tool_choice, a hosted one as the
// client wrote it.
func appendAllToolChoice(dst []byte, req *llm.Request) []byte {
	if h := req.OpenAIHosted; h != nil && len(h.ToolChoice) > 0 {
		return append(dst, h.ToolChoice...)
	}
	return appendToolChoice(dst, req.ToolChoice, req.Tools)
}

// hostedItem yields a hosted tool item of the upstream's stream: its
// added event starts it (Start, the item as added), its done event
// completes it (Whole). An item whose added event did not come is
// started by its done event.
func (d *UpstreamDecoder) hostedItem(ev *upstreamEvent, out []*llm.Chunk) ([]*llm.Chunk, bool, error) {
	if d.hosted == nil {
		d.hosted = make(map[int]int, 2)
	}
	n, seen := d.hosted[ev.OutputIndex]
	if !seen {
		n = len(d.hosted)
		d.hosted[ev.OutputIndex] = n
	}
	item := append(json.RawMessage(nil), ev.Item...)
	bd := &llm.BlockDelta{Index: n}
	if !seen {
		bd.Start = item
	}
	if ev.Type == "response.output_item.done" {
		bd.Whole = item
		d.billed.Add(item)
	}
	if len(bd.Start) == 0 && len(bd.Whole) == 0 {
		return out, false, nil
	}
	ch := d.chunk()
	ch.Choices[0].Delta.Output = &llm.OutputDelta{Hosted: bd}
	return append(out, ch), false, nil
}

// annotations yields the annotations of a message item's text parts, as
// the upstream wrote them (Responses shape), when it has any.
func (d *UpstreamDecoder) annotations(it *upstreamItem, out []*llm.Chunk) []*llm.Chunk {
	var list []json.RawMessage
	for _, p := range it.Content {
		var part []json.RawMessage
		if json.Unmarshal(p.Annotations, &part) == nil {
			list = append(list, part...)
		}
	}
	if len(list) == 0 {
		return out
	}
	raw, _ := json.Marshal(list)
	ch := d.chunk()
	ch.Choices[0].Delta.Output = &llm.OutputDelta{TextAnnotations: raw}
	return append(out, ch)
}

// maxContainers bounds the containers a count tells apart.
const maxContainers = 64

// HostedCalls counts the hosted tool calls an answer made, which OpenAI
// bills beside its tokens: web searches, file searches, and code
// interpreter containers (each once). The UpstreamDecoder counts them
// into a response's usage; the gateway counts those a stream relayed
// before it broke, whose usage never came. The zero value counts none.
type HostedCalls struct {
	searches, fileSearches int
	containers             []string
}

// Add counts item, a hosted tool item done (as OutputDelta.Hosted.Whole
// holds it); another item, or a call still under way (its status
// in_progress, searching, interpreting), counts nothing.
func (h *HostedCalls) Add(item json.RawMessage) {
	var it struct {
		Type        string `json:"type"`
		Status      string `json:"status"`
		ContainerID string `json:"container_id"`
	}
	if json.Unmarshal(item, &it) != nil {
		return
	}
	switch it.Status {
	case "in_progress", "searching", "interpreting":
		return
	}
	switch it.Type {
	case "web_search_call":
		h.searches++
	case "file_search_call":
		h.fileSearches++
	case "code_interpreter_call":
		if !slices.Contains(h.containers, it.ContainerID) && len(h.containers) < maxContainers {
			h.containers = append(h.containers, it.ContainerID)
		}
	}
}

// AddTo adds the calls counted to u.
func (h *HostedCalls) AddTo(u *llm.Usage) {
	u.WebSearchRequests += h.searches
	u.FileSearchCalls += h.fileSearches
	u.ContainerSessions += len(h.containers)
}
