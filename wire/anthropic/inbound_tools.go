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

// resultsAt is where the tool messages of a user turn go in msgs: at the
// end, but before the user messages that follow the tool messages there.
// The API merges consecutive user turns, so a turn's tool results may be
// split across messages; the text a first part held after its results (a
// user message) must not come between the tool messages, which OpenAI's
// Chat Completions requires to follow their calls with nothing in between.
func resultsAt(msgs []llm.Message) int {
	k := len(msgs)
	for k > 0 && msgs[k-1].Role == llm.RoleUser {
		k--
	}
	if k > 0 && k < len(msgs) && msgs[k-1].Role == llm.RoleTool {
		return k
	}
	return len(msgs)
}

// toolResultToLLM returns the tool message of a tool_result block: its
// text, image, document and search_result blocks as parts, in order (each
// upstream encoder puts a tool message's media where its API takes them:
// Claude in the tool_result, as sent); its tool_reference blocks (a
// client's own tool search naming deferred tools) are the message's
// llm.Block values, for Claude alone. The block's breakpoint marks the
// message's last part.
func toolResultToLLM(b *ContentBlock, i, j int) (llm.Message, error) {
	m := llm.Message{Role: llm.RoleTool}
	var refs []llm.Block
	at := 0
	for k := range b.Content {
		c := &b.Content[k]
		switch c.Type {
		case BlockToolReference:
			refs = append(refs, llm.Block{Raw: c.Raw, At: at})
		case BlockText:
			m.Content = append(m.Content, textPart(c))
			at += len(c.Text)
		case BlockImage:
			m.Content = append(m.Content, imageToLLM(c))
		case BlockDocument:
			m.Content = append(m.Content, documentToLLM(c))
		case BlockSearchResult:
			m.Content = append(m.Content, searchResultToLLM(c))
		default:
			return llm.Message{}, unsupportedBlock(c.Type, i, j)
		}
	}
	if len(m.Content) == 0 {
		m.Content = []llm.Part{{Type: llm.PartText, Text: ""}}
	}
	if ttl := CacheToLLM(b.CacheControl); ttl != llm.NoCache {
		m.Content[len(m.Content)-1].SetCache(ttl)
	}
	m.StringContent = len(m.Content) == 1 && m.Content[0].Type == llm.PartText && len(refs) == 0
	m.SetToolCallID(OriginalToolID(b.ToolUseID))
	if b.IsError {
		m.SetToolError(true)
	}
	m.SetBlocks(refs)
	return m, nil
}
