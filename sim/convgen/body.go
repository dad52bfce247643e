package convgen

import (
	"encoding/json"
	"fmt"
	"strings"
)

// PNG is the image generated conversations hold: a 1×1 PNG, base64.
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

// PDF is the document generated conversations hold: the start of a PDF
// file ("%PDF-1.4\n%%EOF\n"), base64, as the APIs' checks read it.
const PDF = "JVBERi0xLjQKJSVFT0YK"

// pdfName is the file name a PDF goes by where the API takes one.
const pdfName = "report.pdf"

// Signature is the signature of the thinking blocks of Anthropic
// conversations (not one Claude issued: validators of the conversation's
// shape do not check it).
const Signature = "c2lnbmF0dXJl"

type obj = map[string]any

// Body is c as a request body of its API for model, unstreamed.
func (c *Conversation) Body(model string) []byte {
	var body obj
	switch c.API {
	case Chat:
		body = obj{"model": model, "messages": c.chatMessages(), "tools": c.chatTools()}
	case Messages:
		body = c.messagesBody(model)
	case Responses:
		body = obj{"model": model, "input": c.responsesInput(), "tools": c.responsesTools()}
	}
	if c.Reasoning {
		switch c.API {
		case Chat:
			body["reasoning_effort"] = "low"
		case Messages:
			body["thinking"] = obj{"type": "enabled", "budget_tokens": 1024}
			body["max_tokens"] = 2048
		case Responses:
			body["reasoning"] = obj{"effort": "low"}
		}
	}
	out, err := json.Marshal(body)
	if err != nil {
		panic(err) // maps of strings and lists only
	}
	return out
}

var anyObject = obj{"type": "object"}

func (c *Conversation) chatTools() []obj {
	var out []obj
	for _, n := range c.Tools {
		out = append(out, obj{"type": "function", "function": obj{"name": n, "parameters": anyObject}})
	}
	return out
}

func (c *Conversation) chatMessages() []obj {
	var out []obj
	for _, t := range c.Turns {
		m := obj{"role": string(t.Role)}
		if t.Name != "" {
			m["name"] = t.Name
		}
		switch {
		case t.Parts == nil && t.Role == Assistant:
			if len(t.Calls) > 0 && len(out)%2 == 0 {
				m["content"] = nil // null rather than absent, now and then
			}
		case t.Plain:
			m["content"] = t.Parts[0].Text
		default:
			m["content"] = chatParts(t.Parts)
		}
		if t.Refusal != "" {
			m["refusal"] = t.Refusal
		}
		if t.CallID != "" {
			m["tool_call_id"] = t.CallID
		}
		if len(t.Calls) > 0 {
			var calls []obj
			for _, c := range t.Calls {
				calls = append(calls, obj{"id": c.ID, "type": "function", "function": obj{"name": c.Name, "arguments": c.Args}})
			}
			m["tool_calls"] = calls
		}
		out = append(out, m)
	}
	return out
}

func chatParts(parts []Part) []obj {
	out := []obj{}
	for _, p := range parts {
		if p.Image {
			out = append(out, obj{"type": "image_url", "image_url": obj{"url": "data:image/png;base64," + PNG}})
			continue
		}
		if p.PDF {
			out = append(out, obj{"type": "file", "file": obj{"filename": pdfName, "file_data": "data:application/pdf;base64," + PDF}})
			continue
		}
		out = append(out, obj{"type": "text", "text": p.Text})
	}
	return out
}

func (c *Conversation) messagesBody(model string) obj {
	body := obj{"model": model, "max_tokens": 1024}
	var tools []obj
	for _, n := range c.Tools {
		tools = append(tools, obj{"name": n, "input_schema": anyObject})
	}
	body["tools"] = tools
	var system []string
	var msgs []obj
	for _, t := range c.Turns {
		switch t.Role {
		case System, Developer:
			if len(msgs) > 0 { // in place: the SDKs' SystemMessageParam
				msgs = append(msgs, obj{"role": "system", "content": messagesContent(t)})
				continue
			}
			for _, p := range t.Parts {
				system = append(system, p.Text)
			}
		case User:
			msgs = append(msgs, obj{"role": "user", "content": messagesContent(t)})
		case Assistant:
			msgs = append(msgs, obj{"role": "assistant", "content": messagesAssistant(t)})
		case Tool:
			msgs = appendResult(msgs, t)
		}
	}
	if len(system) > 0 {
		body["system"] = strings.Join(system, "\n")
	}
	body["messages"] = msgs
	return body
}

// messagesContent is a user turn's content, or a tool_result's.
func messagesContent(t Turn) any {
	if t.Plain {
		return t.Parts[0].Text
	}
	out := []obj{}
	for _, p := range t.Parts {
		if p.Image {
			out = append(out, obj{"type": "image", "source": obj{"type": "base64", "media_type": "image/png", "data": PNG}})
			continue
		}
		if p.PDF {
			out = append(out, obj{"type": "document", "source": obj{"type": "base64", "media_type": "application/pdf", "data": PDF}})
			continue
		}
		out = append(out, obj{"type": "text", "text": p.Text})
	}
	return out
}

func messagesAssistant(t Turn) any {
	if t.Plain && len(t.Calls) == 0 && t.Thinking == "" {
		return t.Parts[0].Text
	}
	out := []obj{}
	if t.Thinking != "" {
		out = append(out, obj{"type": "thinking", "thinking": t.Thinking, "signature": Signature})
	}
	for _, p := range t.Parts {
		out = append(out, obj{"type": "text", "text": p.Text})
	}
	for _, c := range t.Calls {
		out = append(out, obj{"type": "tool_use", "id": c.ID, "name": c.Name, "input": json.RawMessage(c.Args)})
	}
	return out
}

// appendResult adds t's tool_result to the last user message when it
// holds results and t does not start a new one.
func appendResult(msgs []obj, t Turn) []obj {
	r := obj{"type": "tool_result", "tool_use_id": t.CallID}
	if t.Parts != nil {
		r["content"] = messagesContent(t)
	}
	blocks := []obj{r}
	if t.Then != "" {
		blocks = append(blocks, obj{"type": "text", "text": t.Then})
	}
	if n := len(msgs); n > 0 && !t.Split && msgs[n-1]["role"] == "user" {
		if prev, ok := msgs[n-1]["content"].([]obj); ok && len(prev) > 0 && prev[0]["type"] == "tool_result" {
			msgs[n-1]["content"] = append(prev, blocks...)
			return msgs
		}
	}
	return append(msgs, obj{"role": "user", "content": blocks})
}

func (c *Conversation) responsesTools() []obj {
	var out []obj
	for _, n := range c.Tools {
		out = append(out, obj{"type": "function", "name": n, "parameters": anyObject})
	}
	return out
}

func (c *Conversation) responsesInput() []obj {
	var out []obj
	for _, t := range c.Turns {
		switch t.Role {
		case Tool:
			out = append(out, obj{"type": "function_call_output", "call_id": t.CallID, "output": responsesContent(t, "input_text")})
		case Assistant:
			if t.Thinking != "" {
				out = append(out, obj{"type": "reasoning", "id": fmt.Sprintf("rs_%d", len(out)),
					"summary": []obj{{"type": "summary_text", "text": t.Thinking}}})
			}
			if t.Parts != nil {
				out = append(out, obj{"type": "message", "role": "assistant", "content": responsesContent(t, "output_text")})
			}
			for _, c := range t.Calls {
				out = append(out, obj{"type": "function_call", "call_id": c.ID, "name": c.Name, "arguments": c.Args})
			}
		default:
			out = append(out, obj{"type": "message", "role": string(t.Role), "content": responsesContent(t, "input_text")})
		}
	}
	return out
}

func responsesContent(t Turn, text string) any {
	if t.Plain {
		return t.Parts[0].Text
	}
	out := []obj{}
	for _, p := range t.Parts {
		if p.Image {
			out = append(out, obj{"type": "input_image", "image_url": "data:image/png;base64," + PNG})
			continue
		}
		if p.PDF {
			out = append(out, obj{"type": "input_file", "filename": pdfName, "file_data": "data:application/pdf;base64," + PDF})
			continue
		}
		out = append(out, obj{"type": text, "text": p.Text})
	}
	return out
}

// String describes c for a failing test: its API, seed and turns.
func (c *Conversation) String() string {
	s := fmt.Sprintf("%s seed %d:", c.API, c.Seed)
	for _, t := range c.Turns {
		s += fmt.Sprintf("\n  %s", t.Role)
		if t.CallID != "" {
			s += " for " + t.CallID
		}
		for _, p := range t.Parts {
			switch {
			case p.Image:
				s += " [image]"
			case p.PDF:
				s += " [pdf]"
			default:
				s += fmt.Sprintf(" %q", p.Text)
			}
		}
		if t.Parts == nil && t.Role == Assistant {
			s += " (no content)"
		}
		if t.Thinking != "" {
			s += " thinking"
		}
		if t.Refusal != "" {
			s += " refusal"
		}
		for _, c := range t.Calls {
			s += " call:" + c.ID
		}
		if t.Then != "" {
			s += fmt.Sprintf(" then %q", t.Then)
		}
	}
	return s
}
