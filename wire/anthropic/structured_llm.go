package anthropic

import (
	"switchyard/llm"
)

// MaxStrictTools is the most strict tools the API takes in one request
// (the structured-outputs guide's limits).
const MaxStrictTools = 20

// nativeOutput reports whether req's deployment answers a JSON Schema
// natively: by its structured_output setting, else by its model id.
func nativeOutput(req *llm.Request) bool {
	switch req.StructuredOutput {
	case llm.StructuredNative:
		return true
	case llm.StructuredPrompt:
		return false
	}
	return NativeStructuredOutput(req.ModelID())
}

// applyFormat asks for req's response format: response_format
// json_schema as output_config.format when the deployment answers it
// natively, the schema can be sent as it is meant (NativeSchema) and the
// conversation does not end with a prefill (the API refuses a prefill
// with structured outputs, and the router resumes a broken stream with
// one); else, and for json_object (which native structured outputs
// cannot express: every object must close its properties), as the
// final system instruction.
func applyFormat(out *MessagesRequest, req *llm.Request) {
	rf := req.ResponseFormat
	if rf.Type == llm.FormatJSONSchema && nativeOutput(req) && !endsWithPrefill(out.Messages) {
		if schema, ok := NativeSchema(rf.Schema); ok {
			if out.OutputConfig == nil {
				out.OutputConfig = &OutputConfig{}
			}
			out.OutputConfig.Format = &OutputFormat{Type: FormatJSONSchema, Schema: schema}
			return
		}
	}
	if b, ok := jsonInstruction(rf); ok {
		out.System = append(out.System, b)
	}
}

// FormatJSONSchema is the one output_config.format type.
const FormatJSONSchema = "json_schema"

func endsWithPrefill(turns []Message) bool {
	return len(turns) > 0 && turns[len(turns)-1].Role == "assistant"
}

// applyStrict marks strict the tools whose OpenAI definition is strict,
// when the deployment takes strict tools natively and the tool's schema
// can be sent as it is meant (NativeSchema, which closes its objects);
// the others go without strict, as they always did. More strict tools
// than MaxStrictTools, which the API refuses, all go without.
func applyStrict(out []Tool, req *llm.Request) {
	if !nativeOutput(req) {
		return
	}
	strict := 0
	schemas := make([][]byte, len(out))
	for i, t := range req.Tools {
		if t.Strict == nil || !*t.Strict || out[i].Type != "" { // a defined tool's schema is Claude's own
			continue
		}
		if s, ok := NativeSchema(out[i].InputSchema); ok {
			schemas[i] = s
			strict++
		}
	}
	if strict > MaxStrictTools {
		return
	}
	for i, s := range schemas {
		if s != nil {
			out[i].InputSchema, out[i].Strict = s, true
		}
	}
}
