package responses

import (
	"strconv"

	"switchyard/internal/jsonw"
	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// appendInputItems appends msgs as input items; first is the index of
// msgs[0] in the request, for the paths of errors; tools are the
// request's (the client-executed ones' calls go as their items).
func appendInputItems(dst []byte, msgs []llm.Message, first int, tools []llm.Tool) ([]byte, error) {
	var custom map[string]bool // ids of the custom tools' calls
	native := nativeClientCalls(msgs, tools)
	n := 0
	comma := func(b []byte) []byte {
		if n > 0 {
			b = append(b, ',')
		}
		n++
		return b
	}
	for i := range msgs {
		m := &msgs[i]
		at := "messages[" + strconv.Itoa(first+i) + "]"
		switch m.Role {
		case llm.RoleAssistant:
			dst = appendAssistantItems(dst, m, native, &custom, comma)
		case llm.RoleTool:
			dst = comma(dst)
			var err error
			if dst, err = appendToolResult(dst, m, native[m.ToolCallID()] != "", custom[m.ToolCallID()], at); err != nil {
				return nil, err
			}
		default:
			if m.ControlOnly() {
				continue // Anthropic's controls alone: nothing to say here
			}
			dst = comma(dst)
			var err error
			if dst, err = appendUpstreamMessage(dst, m, at); err != nil {
				return nil, err
			}
		}
	}
	return dst, nil
}

// appendAssistantItems appends the items of the assistant message m: its
// reasoning items, hosted items and text, and its calls in order (the
// custom tools' call ids noted in *custom); comma separates each.
func appendAssistantItems(dst []byte, m *llm.Message, native map[string]string, custom *map[string]bool, comma func([]byte) []byte) []byte {
	for _, th := range m.Thinking() {
		if id, enc, ok := th.OpenAIReasoning(); ok {
			dst = comma(dst)
			dst = append(dst, `{"type":"reasoning","id":`...)
			dst = jsonw.String(dst, id)
			dst = append(dst, `,"summary":[],"encrypted_content":`...)
			dst = append(jsonw.String(dst, enc), '}')
		}
	}
	hosted, h := m.Hosted(), 0
	for ; h < len(hosted) && hosted[h].At == 0 && hosted[h].Calls == 0; h++ {
		dst = comma(dst)
		dst = append(dst, hosted[h].Raw...)
	}
	if text := assistantText(m); text != "" {
		dst = comma(dst)
		dst = append(dst, `{"type":"message","role":"assistant","content":`...)
		dst = append(jsonw.String(dst, text), '}')
	}
	for c, tc := range m.ToolCalls() {
		for ; h < len(hosted) && hosted[h].Calls <= c; h++ {
			dst = comma(dst)
			dst = append(dst, hosted[h].Raw...)
		}
		dst = comma(dst)
		if typ := native[tc.ID]; typ != "" {
			dst = appendNativeClientCall(dst, typ, &tc)
			continue
		}
		if tc.Type == llm.ToolCustom {
			if *custom == nil {
				*custom = make(map[string]bool, 1)
			}
			(*custom)[tc.ID] = true
			dst = appendUpstreamCall(dst, "custom_tool_call", "input", &tc)
			continue
		}
		dst = appendUpstreamCall(dst, "function_call", "arguments", &tc)
	}
	for ; h < len(hosted); h++ {
		dst = comma(dst)
		dst = append(dst, hosted[h].Raw...)
	}
	return dst
}

// appendToolResult appends the tool message m: the output item a
// client-executed tool's native call was answered with, else a
// function_call_output (custom_tool_call_output for a custom tool's call)
// whose output is the text of its one text part, or its parts when they
// are several or hold more than text (the images of a screenshot tool,
// say), as the client sent them.
func appendToolResult(dst []byte, m *llm.Message, native, custom bool, at string) ([]byte, error) {
	if native {
		return append(dst, m.ClientOutput()...), nil
	}
	typ := "function_call_output"
	if custom {
		typ = "custom_tool_call_output"
	}
	dst = append(append(append(dst, `{"type":"`...), typ...), `","call_id":`...)
	dst = jsonw.String(dst, m.ToolCallID())
	dst = append(dst, `,"output":`...)
	if textOnly(m) && len(m.Content) <= 1 {
		return append(jsonw.String(dst, m.Text()), '}'), nil
	}
	return appendUpstreamParts(dst, m, at)
}

// assistantText is what an assistant turn said: its text, or its refusal
// when it has none.
func assistantText(m *llm.Message) string {
	if text := m.Text(); text != "" {
		return text
	}
	return m.Refusal()
}

// appendUpstreamCall appends the tool call tc as an item of type typ
// whose input field is field.
func appendUpstreamCall(dst []byte, typ, field string, tc *llm.ToolCall) []byte {
	dst = append(append(append(dst, `{"type":"`...), typ...), `","call_id":`...)
	dst = jsonw.String(dst, tc.ID)
	dst = jsonw.String(append(dst, `,"name":`...), tc.Name)
	dst = append(append(append(dst, ',', '"'), field...), '"', ':')
	return append(jsonw.String(dst, tc.Arguments), '}')
}

// appendUpstreamMessage appends a user, system or developer message item.
func appendUpstreamMessage(dst []byte, m *llm.Message, at string) ([]byte, error) {
	dst = append(dst, `{"type":"message","role":`...)
	dst = jsonw.String(dst, string(m.Role))
	dst = append(dst, `,"content":`...)
	if textOnly(m) && m.Role != llm.RoleUser {
		return append(jsonw.String(dst, m.Text()), '}'), nil
	}
	return appendUpstreamParts(dst, m, at)
}

// appendUpstreamParts appends m's content as an array of input parts and
// closes the item.
func appendUpstreamParts(dst []byte, m *llm.Message, at string) ([]byte, error) {
	dst = append(dst, '[')
	for j := range m.Content {
		if j > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, err = appendUpstreamPart(dst, &m.Content[j], at+".content["+strconv.Itoa(j)+"]"); err != nil {
			return nil, err
		}
	}
	return append(dst, ']', '}'), nil
}

// appendUpstreamPart appends a content part as an input part.
func appendUpstreamPart(dst []byte, p *llm.Part, at string) ([]byte, error) {
	switch p.Type {
	case llm.PartText:
		dst = append(dst, `{"type":"input_text","text":`...)
		return append(jsonw.String(dst, p.Text), '}'), nil
	case llm.PartImage:
		dst = append(dst, `{"type":"input_image","image_url":`...)
		dst = jsonw.String(dst, p.ImageURL())
		dst = append(dst, `,"detail":`...)
		detail := p.ImageDetail()
		if detail == "" {
			detail = "auto"
		}
		return append(jsonw.String(dst, detail), '}'), nil
	case llm.PartDocument:
		if d := p.Extra.Document; d != nil {
			return appendUpstreamDocument(dst, d, at)
		}
	case llm.PartOther:
		if ref, ok := wire.FileRefOf(p); ok && !ref.Image {
			dst = append(dst, `{"type":"input_file","file_id":`...)
			return append(jsonw.String(dst, ref.ID), '}'), nil
		}
		if name, data, ok := wire.FileDataOf(p); ok { // a file other than a PDF, by its bytes
			dst = append(dst, `{"type":"input_file"`...)
			if name != "" {
				dst = jsonw.String(append(dst, `,"filename":`...), name)
			}
			return append(jsonw.String(append(dst, `,"file_data":`...), data), '}'), nil
		}
	}
	return nil, unsupportedPart(at)
}

// appendUpstreamDocument appends a document as input parts: its heading
// (title and context, or a search result's title and source: another
// format's, which the Responses API has no field for) as an input_text
// part, then a PDF by its bytes or URL as an input_file part, a
// plain-text document as input_text (after its heading, in one part), a
// document given as content as its text and image parts.
func appendUpstreamDocument(dst []byte, d *llm.Document, at string) ([]byte, error) {
	heading := d.Heading()
	if d.Text != "" {
		text := d.Text
		if heading != "" {
			text = heading + "\n\n" + text
		}
		dst = append(dst, `{"type":"input_text","text":`...)
		return append(jsonw.String(dst, text), '}'), nil
	}
	if heading != "" && (d.Data != "" || d.URL != "" || len(d.Content) > 0) {
		dst = append(dst, `{"type":"input_text","text":`...)
		dst = append(jsonw.String(dst, heading), '}', ',')
	}
	switch {
	case d.Data != "" && d.MediaType == llm.MediaTypePDF:
		name := d.Filename
		if name == "" {
			name = "document.pdf"
		}
		dst = append(dst, `{"type":"input_file","filename":`...)
		dst = jsonw.String(dst, name)
		dst = append(dst, `,"file_data":"data:application/pdf;base64,`...)
		return append(append(dst, d.Data...), '"', '}'), nil
	case d.URL != "":
		dst = append(dst, `{"type":"input_file","file_url":`...)
		return append(jsonw.String(dst, d.URL), '}'), nil
	case len(d.Content) > 0:
		return appendContentDocument(dst, d.Content, at)
	}
	return nil, unsupportedPart(at)
}

// appendContentDocument appends the text and image parts of a document
// given as content.
func appendContentDocument(dst []byte, parts []llm.Part, at string) ([]byte, error) {
	for i := range parts {
		if i > 0 {
			dst = append(dst, ',')
		}
		if p := &parts[i]; p.Type != llm.PartText && p.Type != llm.PartImage {
			return nil, unsupportedPart(at)
		}
		var err error
		if dst, err = appendUpstreamPart(dst, &parts[i], at); err != nil {
			return nil, err
		}
	}
	return dst, nil
}

// unsupportedPart is the error of a part the Responses API has no shape
// for (audio, a document given as content…).
func unsupportedPart(at string) *llm.Error {
	return unsupported(at, "This content part cannot be sent to an OpenAI Responses API deployment: it takes text, images (input_image), PDF files (input_file) and plain-text documents.")
}
