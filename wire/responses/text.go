package responses

import (
	"encoding/json"

	"switchyard/llm"
)

// textParam is the text option: the output's format and verbosity.
type textParam struct {
	Format    json.RawMessage `json:"format"`
	Verbosity *string         `json:"verbosity"`
}

// formatParam is text.format.
type formatParam struct {
	Type        string          `json:"type"`
	Name        *string         `json:"name"`
	Description *string         `json:"description"`
	Schema      json.RawMessage `json:"schema"`
	Strict      *bool           `json:"strict"`
}

// decodeText decodes text: text.format becomes the canonical response
// format (JSON mode), text.verbosity travels in Extra.
func decodeText(cr *createRequest, out *Request) error {
	if isNull(cr.Text) {
		return nil
	}
	var tp textParam
	if err := decodeStrict(cr.Text, "text", &tp); err != nil {
		return err
	}
	if v := tp.Verbosity; v != nil {
		switch *v {
		case "low", "medium", "high":
			out.Verbosity = *v
			passThrough(out.Chat, "verbosity", v)
		default:
			return invalid("text.verbosity", "Invalid value: '%s'. Supported values are: 'low', 'medium' and 'high'.", llm.Clip(*v))
		}
	}
	if isNull(tp.Format) {
		return nil
	}
	if first(tp.Format) != '{' {
		return invalid("text.format", "Invalid type for 'text.format': expected an object, but got %s instead.", kindOf(tp.Format))
	}
	var f formatParam
	if err := decodeStrict(tp.Format, "text.format", &f); err != nil {
		return err
	}
	rf, err := responseFormat(&f, "text.format")
	if err != nil {
		return err
	}
	out.Chat.ResponseFormat = rf
	return nil
}

// responseFormat checks the text format f, at the path at
// ("text.format"), and returns its canonical form.
func responseFormat(f *formatParam, at string) (*llm.ResponseFormat, error) {
	extra := f.Name != nil || f.Description != nil || f.Schema != nil || f.Strict != nil
	switch f.Type {
	case "text", "json_object":
		if extra {
			return nil, invalid(at, "Invalid '%s': the format '%s' takes no other field than 'type'.", at, llm.Clip(f.Type))
		}
		return &llm.ResponseFormat{Type: llm.ResponseFormatType(f.Type)}, nil
	case "json_schema":
	case "":
		return nil, invalid(at+".type", "Missing required parameter: '%s.type'.", at)
	default:
		return nil, invalid(at+".type", "Invalid value: '%s'. Supported values are: 'text', 'json_object' and 'json_schema'.", llm.Clip(f.Type))
	}
	switch {
	case f.Name == nil || *f.Name == "":
		return nil, invalid(at+".name", "Missing required parameter: '%s.name'.", at)
	case !validName(*f.Name):
		return nil, invalid(at+".name", "Invalid '%s.name': expected 1 to 64 letters, digits, underscores and dashes, but got '%s'.", at, llm.Clip(*f.Name))
	case isNull(f.Schema):
		return nil, invalid(at+".schema", "Missing required parameter: '%s.schema'.", at)
	case first(f.Schema) != '{':
		return nil, invalid(at+".schema", "Invalid type for '%s.schema': expected a JSON Schema object, but got %s instead.", at, kindOf(f.Schema))
	}
	rf := &llm.ResponseFormat{Type: llm.FormatJSONSchema, Name: *f.Name, Schema: append(json.RawMessage(nil), f.Schema...), Strict: f.Strict}
	if f.Description != nil {
		rf.Description = *f.Description
	}
	return rf, nil
}

// reasoningParam is the reasoning option.
type reasoningParam struct {
	Effort          *string `json:"effort"`
	Summary         *string `json:"summary"`
	GenerateSummary *string `json:"generate_summary"`
	// Context and Mode say which reasoning items a model re-reads and
	// how it runs (OpenAI's own models): checked, then left out.
	Context *string `json:"context"`
	Mode    *string `json:"mode"`
}

// decodeReasoning decodes reasoning: the effort becomes Chat.Reasoning,
// with the summary asked for (which an OpenAI Responses API deployment is
// asked for in turn).
func decodeReasoning(cr *createRequest, out *Request) error {
	if isNull(cr.Reasoning) {
		return nil
	}
	var rp reasoningParam
	if err := decodeStrict(cr.Reasoning, "reasoning", &rp); err != nil {
		return err
	}
	if e := rp.Effort; e != nil {
		switch *e {
		case "none", "minimal", "low", "medium", "high", "xhigh", "max":
			out.ReasoningEffort = *e
			// Show: the thinking comes back, as a reasoning item (reasoning.go)
			out.Chat.Reasoning = &llm.Reasoning{Effort: llm.Effort(*e), Show: true}
		default:
			return invalid("reasoning.effort", "Invalid value: '%s'. Supported values are: 'none', 'minimal', 'low', 'medium', 'high', 'xhigh' and 'max'.", llm.Clip(*e))
		}
	}
	if c := rp.Context; c != nil && *c != "auto" && *c != "current_turn" && *c != "all_turns" {
		return invalid("reasoning.context", "Invalid value: '%s'. Supported values are: 'auto', 'current_turn' and 'all_turns'.", llm.Clip(*c))
	}
	for i, s := range []*string{rp.Summary, rp.GenerateSummary} {
		if s == nil {
			continue
		}
		if *s != "auto" && *s != "concise" && *s != "detailed" {
			return invalid([]string{"reasoning.summary", "reasoning.generate_summary"}[i], "Invalid value: '%s'. Supported values are: 'auto', 'concise' and 'detailed'.", llm.Clip(*s))
		}
		out.ReasoningSummary = *s
	}
	if out.Chat.Reasoning != nil {
		out.Chat.Reasoning.Summary = out.ReasoningSummary
	}
	return nil
}
