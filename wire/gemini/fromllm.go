package gemini

import (
	"bytes"
	"encoding/json"
	"slices"

	"switchyard/llm"
)

// SkipThoughtSignature is the sentinel Google documents for function calls
// whose thought signature is unknown (llm.SkipThoughtSignature).
const SkipThoughtSignature = llm.SkipThoughtSignature

// FromLLM translates a canonical chat request into a generateContent body.
//
// System and developer messages become systemInstruction; assistant turns
// become role "model" with functionCall parts for their tool calls; tool
// messages become user-role functionResponse parts named after the call
// they answer (their images after the turn's responses); consecutive turns of the same role are merged, as Gemini
// expects. Tool parameters and json_schema formats are sent as full JSON
// Schema (parametersJsonSchema / responseJsonSchema), which the API accepts
// without the lossy OpenAPI-subset conversion. The request's Model and Stream
// are not part of the body (they are in the URL).
//
// Errors are *llm.Error of kind invalid_request.
func FromLLM(req *llm.Request) (*GenerateContentRequest, error) {
	if req == nil {
		return nil, llm.Errorf(llm.KindInvalidRequest, "gemini: nil request")
	}
	out := &GenerateContentRequest{}
	b := contentBuilder{calls: map[string]string{}, gemini3: isGemini3(req.Model), model: req.ModelID()}
	msgs := llm.MergeRepeatedResults(req.Messages) // one function response per call
	for i := range msgs {
		if msgs[i].Role != llm.RoleTool {
			b.flushMedia()
		}
		if err := b.add(&msgs[i], i, out); err != nil {
			return nil, err
		}
	}
	b.flushMedia()
	if len(b.contents) == 0 && out.SystemInstruction != nil {
		// A system prompt alone, which OpenAI answers: Gemini needs a user
		// turn, so the prompt is that turn.
		b.contents = []Content{{Role: "user", Parts: out.SystemInstruction.Parts}}
		out.SystemInstruction = nil
	}
	if len(b.contents) == 0 && slices.ContainsFunc(req.Messages, isTurn) {
		// Turns of empty text alone, which OpenAI answers: Gemini refuses
		// empty parts and turns, and needs a user turn.
		b.contents = []Content{{Role: RoleUser, Parts: []Part{{Text: OpeningUserText}}}}
	}
	if len(b.contents) == 0 {
		return nil, &llm.Error{Kind: llm.KindInvalidRequest, Param: "messages",
			Message: "gemini needs at least one message with content"}
	}
	out.Contents = userBeforeCall(b.contents)
	tools, err := fromTools(req.Tools)
	if err != nil {
		return nil, err
	}
	out.Tools = tools
	if out.ToolConfig, err = fromToolChoice(req.ToolChoice, len(req.Tools) > 0); err != nil {
		return nil, err
	}
	if out.GenerationConfig, err = fromGenerationConfig(req); err != nil {
		return nil, err
	}
	return out, nil
}

// contentBuilder accumulates contents, merging consecutive same-role turns
// and remembering which function each tool call id named.
type contentBuilder struct {
	contents []Content
	calls    map[string]string // tool_call_id → function name
	gemini3  bool
	// model is the request's model (llm.Request.ModelID): a call's
	// signature another model made is not sent it.
	model string
	// media are the images and documents of the tool messages just
	// added, put after their function responses (flushMedia).
	media []Part
}

func (b *contentBuilder) add(m *llm.Message, i int, out *GenerateContentRequest) error {
	switch m.Role {
	case llm.RoleSystem, llm.RoleDeveloper:
		parts, err := textOnly(m, i)
		if err != nil {
			return err
		}
		if len(parts) > 0 {
			if out.SystemInstruction == nil {
				out.SystemInstruction = &Content{}
			}
			out.SystemInstruction.Parts = append(out.SystemInstruction.Parts, parts...)
		}
		return nil
	case llm.RoleUser:
		parts, err := userParts(m, i)
		if err != nil {
			return err
		}
		b.append(RoleUser, parts)
	case llm.RoleAssistant:
		parts, err := b.modelParts(m, i)
		if err != nil {
			return err
		}
		b.append(RoleModel, parts)
	case llm.RoleTool:
		part, err := b.functionResponse(m, i)
		if err != nil {
			return err
		}
		media, err := resultMedia(m, i)
		if err != nil {
			return err
		}
		b.append(RoleUser, []Part{part})
		b.media = append(b.media, media...)
	default:
		return &llm.Error{Kind: llm.KindInvalidRequest, Param: msgParam(i, "role"),
			Message: "gemini: unsupported message role " + string(m.Role)}
	}
	return nil
}

func (b *contentBuilder) append(role string, parts []Part) {
	if len(parts) == 0 {
		return // Gemini rejects a turn with no parts
	}
	if n := len(b.contents); n > 0 && b.contents[n-1].Role == role {
		b.contents[n-1].Parts = append(b.contents[n-1].Parts, parts...)
		return
	}
	b.contents = append(b.contents, Content{Role: role, Parts: parts})
}

// OpeningUserText is the text of the user turn put before a conversation
// that opens with the model's function call: Gemini requires a function
// call turn to come right after a user turn (or a function response).
const OpeningUserText = "."

// userBeforeCall puts a minimal user turn before contents that open with a
// model turn holding a function call.
func userBeforeCall(contents []Content) []Content {
	if contents[0].Role != RoleModel || !slices.ContainsFunc(contents[0].Parts, func(p Part) bool { return p.FunctionCall != nil }) {
		return contents
	}
	return append([]Content{{Role: RoleUser, Parts: []Part{{Text: OpeningUserText}}}}, contents...)
}

// isTurn reports whether m is a user or assistant message.
func isTurn(m llm.Message) bool { return m.Role == llm.RoleUser || m.Role == llm.RoleAssistant }

func textOnly(m *llm.Message, i int) ([]Part, error) {
	var parts []Part
	for _, p := range m.Content {
		if p.Type != llm.PartText {
			return nil, &llm.Error{Kind: llm.KindInvalidRequest, Param: msgParam(i, "content"),
				Message: "gemini: system instructions may hold text only"}
		}
		if p.Text != "" {
			parts = append(parts, Part{Text: p.Text})
		}
	}
	return parts, nil
}

func userParts(m *llm.Message, i int) ([]Part, error) {
	var parts []Part
	for _, p := range m.Content {
		switch p.Type {
		case llm.PartText:
			if p.Text != "" {
				parts = append(parts, Part{Text: p.Text})
			}
		case llm.PartImage:
			part, err := imagePart(p.ImageURL())
			if err != nil {
				return nil, &llm.Error{Kind: llm.KindInvalidRequest, Param: msgParam(i, "content"), Message: err.Error()}
			}
			parts = append(parts, part)
		case llm.PartDocument:
			doc, err := documentParts(p.Document())
			if err != nil {
				return nil, &llm.Error{Kind: llm.KindInvalidRequest, Param: msgParam(i, "content"), Message: err.Error()}
			}
			parts = append(parts, doc...)
		default:
			part, err := otherPart(p.Raw())
			if err != nil {
				return nil, &llm.Error{Kind: llm.KindInvalidRequest, Param: msgParam(i, "content"), Message: err.Error()}
			}
			parts = append(parts, part)
		}
	}
	return parts, nil
}

func (b *contentBuilder) modelParts(m *llm.Message, i int) ([]Part, error) {
	var parts []Part
	text := resultText(m)
	if text == "" {
		text = m.Refusal()
	}
	if text != "" {
		parts = append(parts, Part{Text: text})
	}
	for j, tc := range m.ToolCalls() {
		args := llm.ArgumentsObject(tc.Arguments)
		name := FunctionName(tc.Name)
		if tc.ID != "" {
			b.calls[tc.ID] = name
		}
		p := Part{FunctionCall: &FunctionCall{ID: tc.ID, Name: name, Args: args}}
		switch sig := tc.SignatureFor(b.model); {
		case sig != "":
			p.ThoughtSignature = sig // the model's own, kept for it
		case b.gemini3 && j == 0:
			// Only the first call of a turn carries a signature.
			p.ThoughtSignature = SkipThoughtSignature
		}
		parts = append(parts, p)
	}
	return parts, nil
}

func (b *contentBuilder) functionResponse(m *llm.Message, i int) (Part, error) {
	name := b.calls[m.ToolCallID()]
	if name == "" {
		name = FunctionName(m.Name())
	}
	if name == "" {
		return Part{}, &llm.Error{Kind: llm.KindInvalidRequest, Param: msgParam(i, "tool_call_id"),
			Message: "gemini: tool message answers tool_call_id " + m.ToolCallID() +
				" that no earlier assistant message made; Gemini needs the function name"}
	}
	text := resultText(m)
	response := responseObject(text)
	if m.ToolError() {
		response = errorObject(text)
	}
	return Part{FunctionResponse: &FunctionResponse{ID: m.ToolCallID(), Name: name, Response: response}}, nil
}

// errorObject is the response of a call whose tool failed (an Anthropic
// client's tool_result with is_error): {"error": v}, the key Gemini's API
// reads as the call's error details ("Use "output" key to specify
// function output and "error" key to specify error details"), v the
// result's JSON when it is JSON without a "$ref" key (see responseObject),
// else its text.
func errorObject(s string) json.RawMessage {
	if t := bytes.TrimSpace([]byte(s)); json.Valid(t) && len(t) > 0 && !hasRefKey(t) {
		b, _ := json.Marshal(map[string]json.RawMessage{"error": t})
		return b
	}
	b, _ := json.Marshal(map[string]string{"error": s})
	return b
}

// responseObject wraps a tool result as the JSON object Gemini requires:
// an object as is, other JSON as {"result": v}, plain text as
// {"content": text}. JSON with a "$ref" key goes as text too: Gemini takes
// a "$ref" in a function response for a reference to one of the
// response's parts and refuses the request when it names none ("The
// referenced name `#/$defs/X` in function_response.response does not match
// to a display_name in the function_response.parts"; vercel/ai#14369,
// NousResearch/hermes-agent#93014), as a tool whose result is a JSON Schema
// has it.
func responseObject(s string) json.RawMessage {
	t := bytes.TrimSpace([]byte(s))
	if json.Valid(t) && len(t) > 0 && !hasRefKey(t) {
		if t[0] == '{' {
			return json.RawMessage(t)
		}
		b, _ := json.Marshal(map[string]json.RawMessage{"result": t})
		return b
	}
	b, _ := json.Marshal(map[string]string{"content": s})
	return b
}

// hasRefKey reports whether the JSON value b has an object key "$ref" at
// any depth. Only a value that holds the bytes $ref, or a \u escape that
// may spell them ("$\u0072ef", valid JSON that Gemini reads as $ref), is
// decoded.
func hasRefKey(b []byte) bool {
	if !bytes.Contains(b, []byte("$ref")) && !escapesRefByte(b) {
		return false
	}
	// Numbers as json.Number: a float64 overflows on 1e999, and a value
	// that did not decode passed as having no $ref. One that does not
	// decode still is text (true), the safe form.
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return true
	}
	return refKeyIn(v, 0)
}

// escapesRefByte reports whether b holds a \u escape of "$" or of an
// ASCII letter (\u0024, \u0040 to \u007f), which may spell "$ref".
// Escapes of text outside ASCII and of HTML's signs (\u003c) do not count.
func escapesRefByte(b []byte) bool {
	for {
		i := bytes.Index(b, []byte(`\u00`))
		if i < 0 || i+5 >= len(b) {
			return false
		}
		if c := b[i+4]; c >= '4' && c <= '7' || c == '2' && b[i+5] == '4' {
			return true
		}
		b = b[i+4:]
	}
}

func refKeyIn(v any, depth int) bool {
	if depth > 64 {
		return true // too deep to tell: text is the safe form
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if k == "$ref" || refKeyIn(e, depth+1) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if refKeyIn(e, depth+1) {
				return true
			}
		}
	}
	return false
}

func msgParam(i int, field string) string {
	return "messages[" + itoa(i) + "]." + field
}
