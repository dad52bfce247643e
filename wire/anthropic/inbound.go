package anthropic

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"switchyard/llm"
	openai "switchyard/wire/openai"
)

// This file is the inbound direction: a Messages API request from an
// Anthropic client, read into the canonical llm.Request that any
// deployment (of any wire format) can answer.

// DecodeRequest decodes, validates (DecodeMessagesRequest, Validate) and
// translates (RequestToLLM) the body of POST /v1/messages. A compaction
// request is refused (errCompactionRequest): the canonical request has
// no place for it, and only the API handler answers it; so is a request
// with a message thread (ErrThreadUnsupported), which only the API
// handler holds. Errors are *llm.Error of kind invalid_request.
func DecodeRequest(body []byte) (*llm.Request, error) {
	req, err := DecodeMessagesRequest(body, false)
	if err != nil {
		return nil, err
	}
	if err := Validate(req); err != nil {
		return nil, err
	}
	if c, _ := CompactionOf(req); c != nil {
		return nil, errCompactionRequest()
	}
	if req.Thread != nil {
		return nil, ErrThreadUnsupported()
	}
	return RequestToLLM(req)
}

// UnsupportedFields are the request fields the API knows but the router
// refuses: MCP servers, which Anthropic's servers would call.
var UnsupportedFields = []string{"mcp_servers"}

// RequestToLLM translates a decoded, valid request (Validate) into the
// canonical request:
//   - the system blocks become one system message, a part per block;
//   - a user turn's tool_result blocks become tool messages (in order,
//     before the turn's other content), its text, image and document
//     blocks one user message (images as data: URIs or their URL,
//     documents as llm.Document: every source, title, context and
//     citations configuration; search_result blocks as documents with
//     a SearchSource); the text, images, documents and search results
//     inside a tool_result are its tool message's parts, in order;
//   - an assistant turn's text becomes its content and its tool_use
//     blocks its tool calls (arguments: the input's JSON text); its
//     thinking and redacted_thinking blocks its thinking, in order and
//     unchanged (an Anthropic deployment gets them back, among the
//     turn's server tool blocks where they stood; no other does);
//     a final
//     assistant turn stays last, as a prefill for the deployments that
//     continue one;
//   - tools map to function tools (input_schema → parameters); tool_choice
//     auto → auto, any → required, tool → function, none → none;
//     disable_parallel_tool_use → parallel_tool_calls false;
//   - max_tokens, temperature, top_p, top_k, stop_sequences map one to
//     one, metadata.user_id → user; output_config.format (json_schema),
//     or the beta's output_format, → response_format json_schema; a
//     tool's strict → the function's strict;
//   - the stream always includes usage: message_delta reports it.
//
// Prompt-cache breakpoints are kept (see CacheToLLM): cache_control on a
// tool, a system block, a text or image block or a tool_use block marks
// the part, tool or tool call it becomes; on a tool_result block (or the
// last block of its content) the tool message's last part; a top-level
// cache_control (automatic caching) marks the last block of the last turn
// (ResolveAutoCache). The request is marked ClientCaching: the client
// chose its breakpoints, so no provider adds any.
//
// thinking becomes the canonical reasoning (ThinkingToLLM): enabled with
// its budget, adaptive, or for disabled none.
//
// service_tier maps onto the canonical tier (RequestTierToLLM).
//
// output_config.effort is OutputEffort, for Claude deployments; a system
// message's own (per-turn) output_config.effort is its TurnEffort, and the
// last one the request's TurnEffort (per_turn.go);
// output_config.task_budget is AnthropicTaskBudget (TaskBudgetOf). A
// compaction block opening the conversation becomes its summary as a
// user message, and Anthropic's own block AnthropicCompaction
// (liftCompaction); a router-made one must have been opened before
// (OpenCompactions).
// inference_geo is InferenceGeo (InferenceGeoToLLM): a request requiring
// "us" goes only to deployments that keep inference in the US.
// A tool_result's is_error marks its tool message (llm.Message.ToolError).
// Server tools (ServerToolTypes) are tools whose declaration is kept
// whole (llm.AnthropicToolOptions.Server); an assistant turn's server
// tool blocks (ServerBlockTypes) its llm.Block values, as sent and in
// place; container is AnthropicContainer: only Claude deployments serve
// a request holding any of them (llm.Request.AnthropicServerTools).
// Refused: the fields in UnsupportedFields and content blocks of types
// the canonical request cannot carry (server tool blocks in a user turn,
// a document or search result in an assistant turn). Errors are
// *llm.Error of kind invalid_request.
func RequestToLLM(req *MessagesRequest) (*llm.Request, error) {
	out := &llm.Request{
		Model: req.Model, MaxTokens: req.MaxTokens, Temperature: req.Temperature, TopP: req.TopP, TopK: req.TopK,
		Stop: req.StopSequences, Stream: req.Stream, IncludeUsage: req.Stream, ClientCaching: true,
		AnthropicBetas: req.Betas,
	}
	if req.Metadata != nil {
		out.User = req.Metadata.UserID
	}
	if err := refuseUnsupported(req); err != nil {
		return nil, err
	}
	tier, err := RequestTierToLLM(req.ServiceTier)
	if err != nil {
		return nil, err
	}
	out.ServiceTier = tier
	if out.InferenceGeo, err = InferenceGeoToLLM(req.InferenceGeo); err != nil {
		return nil, err
	}
	if out.Speed, err = SpeedToLLM(req.Speed); err != nil {
		return nil, err
	}
	if out.ContextManagement, err = contextManagement(req.ContextManagement); err != nil {
		return nil, err
	}
	if out.AnthropicTaskBudget, err = TaskBudgetOf(req.OutputConfig); err != nil {
		return nil, err
	}
	if err := fallbacksToLLM(out, req); err != nil {
		return nil, err
	}
	if req, out.AnthropicCompaction, err = liftCompaction(req); err != nil {
		return nil, err
	}
	if oc := req.OutputConfig; oc != nil && oc.Effort != "" {
		out.OutputEffort = llm.Effort(oc.Effort)
	}
	if c := bytes.TrimSpace(req.Container); len(c) > 0 && string(c) != "null" {
		out.AnthropicContainer = c
	}
	req = ResolveAutoCache(req)
	if out.Messages, err = messagesToLLM(out, req); err != nil {
		return nil, err
	}
	out.Reasoning = ThinkingToLLM(req.Thinking)
	out.ThinkingOff = req.Thinking != nil && req.Thinking.Type == ThinkingDisabled
	if out.Tools, out.AnthropicTools, err = requestTools(req); err != nil {
		return nil, err
	}
	out.AnthropicBilling = billingToLLM(req)
	out.ToolChoice, out.ParallelToolCalls = toolChoiceToLLM(req.ToolChoice)
	if f := req.Format(); f != nil {
		out.ResponseFormat = &llm.ResponseFormat{Type: llm.FormatJSONSchema, Name: OutputSchemaName, Schema: slices.Clone(f.Schema)}
	}
	return out, nil
}

// messagesToLLM returns req's system prompt and turns as messages; a
// system message among the turns stays in place (out.SystemInPlace), and
// its per-turn effort is the request's latest (out.TurnEffort).
func messagesToLLM(out *llm.Request, req *MessagesRequest) ([]llm.Message, error) {
	msgs := make([]llm.Message, 0, len(req.Messages)+1)
	if len(req.System) > 0 {
		msgs = append(msgs, systemMessage(req.System))
	}
	for i := range req.Messages {
		if m := &req.Messages[i]; m.Role == "system" {
			msgs = append(msgs, systemMessage(m.Content))
			if oc := m.OutputConfig; oc != nil && oc.Effort != "" {
				msgs[len(msgs)-1].SetTurnEffort(llm.Effort(oc.Effort))
				out.TurnEffort = llm.Effort(oc.Effort)
			}
			out.SystemInPlace = true
			continue
		}
		var err error
		if msgs, err = turnToLLM(msgs, &req.Messages[i], i); err != nil {
			return nil, err
		}
	}
	return msgs, nil
}

func refuseUnsupported(req *MessagesRequest) error {
	for _, f := range []struct {
		name string
		raw  json.RawMessage
	}{{"mcp_servers", req.MCPServers}} {
		if v := bytes.TrimSpace(f.raw); len(v) > 0 && string(v) != "null" {
			e := rejectf("%s: this router does not support %s: it runs on Anthropic's servers, which a routed request may not reach", f.name, f.name)
			e.Param = f.name
			return e
		}
	}
	return nil
}

// systemMessage is a system prompt, or a system message of messages: a
// part per text block, its tool changes (tool_changes.go) kept aside in
// place (llm.Message.ToolChanges).
func systemMessage(blocks Blocks) llm.Message {
	parts := make([]llm.Part, 0, len(blocks))
	var changes []llm.Block
	at := 0
	for i := range blocks {
		if isToolChange(blocks[i].Type) {
			changes = append(changes, llm.Block{Raw: blocks[i].Raw, At: at})
			continue
		}
		parts = append(parts, textPart(&blocks[i]))
		at += len(blocks[i].Text)
	}
	if len(parts) == 0 {
		parts = nil // tool changes alone: a message of no content, as before
	}
	m := llm.Message{Role: llm.RoleSystem, Content: parts, StringContent: len(blocks) == 1 && len(parts) == 1}
	if len(changes) > 0 {
		m.SetToolChanges(changes) // an extra allocated only for them
	}
	return m
}

// textPart is a text block as a part, with its breakpoint.
func textPart(b *ContentBlock) llm.Part {
	p := llm.Part{Type: llm.PartText, Text: b.Text}
	setPartCache(&p, b.CacheControl)
	return p
}

// turnToLLM appends the canonical messages of one turn.
func turnToLLM(msgs []llm.Message, m *Message, i int) ([]llm.Message, error) {
	if m.Role == "assistant" {
		am, err := assistantToLLM(m.Content, i)
		if err != nil || len(am.Content) == 0 && len(am.ToolCalls()) == 0 && len(am.Blocks()) == 0 {
			return msgs, err // an empty final turn (or one of thinking only) asks nothing
		}
		return append(msgs, am), nil
	}
	at := resultsAt(msgs)
	for j := range m.Content {
		b := &m.Content[j]
		if b.Type != BlockToolResult {
			continue
		}
		tm, err := toolResultToLLM(b, i, j)
		if err != nil {
			return nil, err
		}
		msgs = slices.Insert(msgs, at, tm)
		at++
	}
	parts, err := userParts(m.Content, i)
	if err != nil {
		return nil, err
	}
	if len(parts) == 0 {
		return msgs, nil
	}
	um := llm.Message{Role: llm.RoleUser, Content: parts}
	um.StringContent = len(m.Content) == 1 && len(parts) == 1 && parts[0].Type == llm.PartText
	return append(msgs, um), nil
}

// userParts converts a user turn's text, image and document blocks.
func userParts(blocks Blocks, i int) ([]llm.Part, error) {
	var parts []llm.Part
	for j := range blocks {
		b := &blocks[j]
		switch b.Type {
		case BlockToolResult:
		case BlockText:
			parts = append(parts, textPart(b))
		case BlockImage:
			parts = append(parts, imageToLLM(b))
		case BlockDocument:
			parts = append(parts, documentToLLM(b))
		case BlockSearchResult:
			parts = append(parts, searchResultToLLM(b))
		default:
			return nil, unsupportedBlock(b.Type, i, j)
		}
	}
	return parts, nil
}

func unsupportedBlock(typ string, i, j int) *llm.Error {
	e := rejectf("messages.%d.content.%d: content blocks of type '%s' are not supported by this router (it can send any deployment text, images, documents, search results, tool_use and tool_result blocks only)", i, j, llm.Clip(typ))
	e.Param = fmt.Sprintf("messages.%d.content.%d.type", i, j)
	return e
}

// imageToLLM returns an image block's part: a data: URI for a base64
// source, the URL for a url source; with the block's breakpoint.
func imageToLLM(b *ContentBlock) llm.Part {
	src, url := b.Source, b.Source.URL
	if src.Type == SourceFile {
		p := openai.ImageFilePart(src.FileID, "")
		p.SetCache(CacheToLLM(b.CacheControl))
		return p
	}
	if src.Type != "url" {
		url = "data:" + src.MediaType + ";base64," + src.Data
	}
	p := llm.ImagePart(url, "")
	p.SetCache(CacheToLLM(b.CacheControl))
	return p
}

func assistantToLLM(blocks Blocks, i int) (llm.Message, error) {
	m := llm.Message{Role: llm.RoleAssistant}
	var calls []llm.ToolCall
	var thinking []llm.Thinking
	var server []llm.Block
	var texts []llm.TextBlock // with server blocks, each text block and its citations
	hasServer := false
	for j := range blocks {
		hasServer = hasServer || isServerBlock(&blocks[j])
	}
	at := 0 // the turn's text so far
	for j := range blocks {
		b := &blocks[j]
		if isServerBlock(b) || b.Type == BlockFallback { // its place: the text, calls and thinking before it
			server = append(server, llm.Block{Raw: b.Raw, At: at, Calls: len(calls), Thoughts: len(thinking), Marker: b.Type == BlockFallback})
			continue
		}
		switch b.Type {
		case BlockText:
			m.Content = append(m.Content, textPart(b))
			if hasServer {
				texts = append(texts, llm.TextBlock{Start: at, Citations: citationList(b.Citations)})
			}
			at += len(b.Text)
		case BlockToolUse:
			calls = append(calls, llm.ToolCall{ID: OriginalToolID(b.ID), Type: "function", Name: b.Name, Arguments: inputText(b.Input),
				Cache: CacheToLLM(b.CacheControl)})
		case BlockThinking:
			thinking = append(thinking, llm.Thinking{Text: b.Thinking, Signature: b.Signature})
		case BlockRedactedThinking:
			thinking = append(thinking, llm.Thinking{Redacted: b.Data})
		default:
			return llm.Message{}, unsupportedBlock(b.Type, i, j)
		}
	}
	m.StringContent = len(blocks) == 1 && len(m.Content) == 1
	m.SetToolCalls(calls)
	m.SetThinking(thinking)
	m.SetBlocks(server)
	if len(server) > 0 {
		m.SetTextBlocks(texts) // a web search's citations go back to Claude
	}
	return m, nil
}

// citationList splits a text block's citations (a JSON array) into its
// elements; nil for none.
func citationList(raw json.RawMessage) []json.RawMessage {
	var list []json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &list) != nil || len(list) == 0 {
		return nil
	}
	return list
}

// inputText is a tool_use input as the arguments' JSON text ("{}" when
// absent).
func inputText(input json.RawMessage) string {
	if len(input) == 0 {
		return "{}"
	}
	return string(input)
}
