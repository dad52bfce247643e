package anthropic

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"switchyard/llm"
)

// ImageMediaTypes are the media types the API accepts for base64 images.
var ImageMediaTypes = []string{"image/jpeg", "image/png", "image/gif", "image/webp"}

// imageSource maps an image URL: a data: URI to a base64 source, an
// http(s) URL to a url source.
func imageSource(u string) (*ImageSource, error) {
	lower := strings.ToLower(u)
	switch {
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"):
		return &ImageSource{Type: "url", URL: u}, nil
	case !strings.HasPrefix(lower, "data:"):
		return nil, errors.New("image URLs must be http(s) URLs or data: URIs")
	}
	meta, data, ok := strings.Cut(u[len("data:"):], ",")
	if !ok {
		return nil, errors.New("malformed data: URI (no comma)")
	}
	mediaType, enc, _ := strings.Cut(meta, ";")
	mediaType = strings.ToLower(strings.TrimSpace(mediaType))
	if mediaType == "image/jpg" {
		mediaType = "image/jpeg"
	}
	if !strings.EqualFold(enc, "base64") {
		return nil, errors.New("data: URI images must be base64-encoded")
	}
	if !knownMediaType(mediaType) {
		return nil, fmt.Errorf("image media type %q is not supported by Anthropic (use %s)", mediaType, strings.Join(ImageMediaTypes, ", "))
	}
	return &ImageSource{Type: "base64", MediaType: mediaType, Data: data}, nil
}

func knownMediaType(t string) bool {
	for _, m := range ImageMediaTypes {
		if m == t {
			return true
		}
	}
	return false
}

// ValidBase64 reports whether s is standard base64 (with padding).
func ValidBase64(s string) bool {
	_, err := base64.StdEncoding.DecodeString(s)
	return err == nil
}

var objectSchema = json.RawMessage(`{"type":"object"}`)

func convertTools(tools []llm.Tool) ([]Tool, error) {
	if len(tools) == 0 {
		return nil, nil
	}
	out := make([]Tool, 0, len(tools))
	for i, t := range tools {
		if t.Type != "" && t.Type != "function" {
			return nil, invalid(fmt.Sprintf("tools[%d].type", i), "tool type %q is not supported by Anthropic models; only function tools are", llm.Clip(t.Type))
		}
		if t.Name == "" {
			return nil, invalid(fmt.Sprintf("tools[%d].function.name", i), "a tool needs a name")
		}
		if o := t.Anthropic; o != nil && len(o.Server) > 0 {
			out = append(out, serverTool(o.Server))
			continue
		}
		if o := t.Anthropic; o != nil && o.Defined != "" {
			out = append(out, Tool{Type: o.Defined, Name: t.Name, CacheControl: CacheFromLLM(t.Cache), Strict: t.Strict != nil && *t.Strict,
				DeferLoading: o.DeferLoading, AllowedCallers: o.AllowedCallers, InputExamples: o.InputExamples, MaxCharacters: o.MaxCharacters})
			continue
		}
		schema, err := inputSchema(t.Parameters)
		if err == nil {
			schema, err = renameProperties(schema, map[string]string{})
		}
		if err != nil {
			return nil, invalid(fmt.Sprintf("tools[%d].function.parameters", i), "tool parameters must be a JSON Schema object: %v", err)
		}
		wt := Tool{Name: t.Name, Description: t.Description, InputSchema: schema, CacheControl: CacheFromLLM(t.Cache)}
		if o := t.Anthropic; o != nil {
			wt.EagerInputStreaming, wt.DeferLoading, wt.AllowedCallers, wt.InputExamples = o.EagerInputStreaming, o.DeferLoading, o.AllowedCallers, o.InputExamples
		}
		out = append(out, wt)
	}
	return out, nil
}

// inputSchema returns the tool's schema, {"type":"object"} when none, and
// adds the "type":"object" the API requires when the schema omits it.
func inputSchema(params json.RawMessage) (json.RawMessage, error) {
	p := bytes.TrimSpace(params)
	if len(p) == 0 || bytes.Equal(p, []byte("null")) {
		return objectSchema, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(p, &obj); err != nil {
		return nil, err
	}
	if obj == nil {
		return objectSchema, nil
	}
	if _, ok := obj["type"]; ok {
		return json.RawMessage(p), nil
	}
	obj["type"] = json.RawMessage(`"object"`)
	return json.Marshal(obj)
}

func convertToolChoice(req *llm.Request, tools []Tool) (*ToolChoice, error) {
	noParallel := req.ParallelToolCalls != nil && !*req.ParallelToolCalls
	tc := req.ToolChoice
	if tc == nil {
		if noParallel && len(tools) > 0 {
			return &ToolChoice{Type: ToolChoiceAuto, DisableParallelToolUse: true}, nil
		}
		return nil, nil
	}
	var out ToolChoice
	switch tc.Mode {
	case llm.ToolChoiceAuto, "":
		out.Type = ToolChoiceAuto
	case llm.ToolChoiceNone:
		if len(tools) == 0 {
			return nil, nil // nothing to forbid; the API rejects tool_choice without tools
		}
		return &ToolChoice{Type: ToolChoiceNone}, nil
	case llm.ToolChoiceRequired:
		out.Type = ToolChoiceAny
	case llm.ToolChoiceFunction:
		if !hasTool(tools, tc.Name) && !addedTool(req, tc.Name) {
			return nil, invalid("tool_choice", "tool_choice names function %q, which is not among the request's tools", llm.Clip(tc.Name))
		}
		out.Type, out.Name = ToolChoiceTool, tc.Name
	default:
		return nil, invalid("tool_choice", "unknown tool_choice %q", llm.Clip(string(tc.Mode)))
	}
	if len(tools) == 0 && !addedTool(req, tc.Name) {
		if out.Type == ToolChoiceAuto {
			return nil, nil
		}
		return nil, invalid("tool_choice", "tool_choice %q needs tools in the request", llm.Clip(string(tc.Mode)))
	}
	out.DisableParallelToolUse = noParallel
	return &out, nil
}

// addedTool reports whether a request with tool changes (whose Claude
// deployments are sent the tools as declared, Request.AnthropicTools)
// has a tool of name in effect at its end (Request.Tools): added in the
// conversation, Claude is offered it there, and a tool_choice may force
// it.
func addedTool(req *llm.Request, name string) bool {
	return req.AnthropicTools != nil && name != "" && slices.ContainsFunc(req.Tools, func(t llm.Tool) bool { return t.Name == name })
}

func hasTool(tools []Tool, name string) bool {
	for _, t := range tools {
		if t.Name == name {
			return true
		}
	}
	return false
}

// The JSON-mode instructions FromLLM adds as a final system block. The
// simulator recognises them with ParseJSONInstruction.
const (
	jsonObjectInstruction = "Respond with a single valid JSON object and nothing else: no prose before or after it and no Markdown code fences."
	jsonSchemaInstruction = "Respond with a single JSON value that conforms to the JSON Schema below, and nothing else: no prose before or after it and no Markdown code fences."
	jsonSchemaMarker      = "\nJSON Schema:\n"
)

func jsonInstruction(rf *llm.ResponseFormat) (ContentBlock, bool) {
	switch rf.Type {
	case llm.FormatJSONObject:
		return ContentBlock{Type: BlockText, Text: jsonObjectInstruction}, true
	case llm.FormatJSONSchema:
		var b strings.Builder
		b.WriteString(jsonSchemaInstruction)
		if rf.Name != "" {
			fmt.Fprintf(&b, "\nSchema name: %s", rf.Name)
		}
		if rf.Description != "" {
			fmt.Fprintf(&b, "\nSchema description: %s", strings.ReplaceAll(rf.Description, "\n", " "))
		}
		schema := bytes.TrimSpace(rf.Schema)
		if len(schema) == 0 {
			schema = []byte("{}")
		}
		b.WriteString(jsonSchemaMarker)
		b.Write(schema)
		return ContentBlock{Type: BlockText, Text: b.String()}, true
	}
	return ContentBlock{}, false
}

// ParseJSONInstruction reports whether the system block text is FromLLM's
// JSON-mode instruction and returns the schema it quotes (nil for
// json_object).
func ParseJSONInstruction(text string) (isJSON bool, schema json.RawMessage) {
	switch {
	case text == jsonObjectInstruction:
		return true, nil
	case strings.HasPrefix(text, jsonSchemaInstruction):
		if _, s, ok := strings.Cut(text, jsonSchemaMarker); ok && json.Valid([]byte(s)) {
			return true, json.RawMessage(s)
		}
		return true, nil
	}
	return false, nil
}

// applyExtra passes through the extra fields that are Anthropic's own.
func applyExtra(out *MessagesRequest, extra map[string]json.RawMessage) error {
	if raw, ok := extra["thinking"]; ok {
		var th Thinking
		if err := json.Unmarshal(raw, &th); err != nil || th.Type == "" {
			return invalid("thinking", "thinking must be an object like {\"type\":\"enabled\",\"budget_tokens\":2048}")
		}
		out.Thinking = &th
	}
	if raw, ok := extra["top_k"]; ok {
		var k int
		if err := json.Unmarshal(raw, &k); err != nil || k < 0 {
			return invalid("top_k", "top_k must be a non-negative integer")
		}
		out.TopK = &k
	}
	return nil
}

// clientPartType is the type a content part had as the client sent it:
// a pass-through part's own "type" ("input_audio", "file"…), not the
// canonical "other".
func clientPartType(p *llm.Part) string {
	var t struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(p.Raw(), &t) == nil && t.Type != "" {
		return t.Type
	}
	return string(p.Type)
}
