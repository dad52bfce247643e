package gemini

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"switchyard/sim"
	wire "switchyard/wire/gemini"
)

// The checks below mirror the real API's 400 INVALID_ARGUMENT answers; the
// messages follow its "* Field.path: problem" style.

var funcName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$`)

var mimeTypes = []string{wire.MIMEText, wire.MIMEJSON, wire.MIMEEnum, "application/xml", "application/yaml", "text/x-python"}

// validate returns the error message for an invalid request, or "".
func validate(req *wire.GenerateContentRequest, p *sim.Profile) string {
	if msg := ContentsError(req, p.Model); msg != "" {
		return msg
	}
	if msg := validateResponseRefs(req.Contents, p.Model); msg != "" {
		return msg
	}
	declared, msg := validateTools(req.Tools)
	if msg != "" {
		return msg
	}
	if msg := validateGoogleSearch(req.Tools); msg != "" {
		return msg
	}
	if len(declared) > 0 && usesGoogleSearch(req) && wire.RefusesSearchWithTools(p.Model) {
		// Gemini before 3 (google/adk-python#53, #134).
		return "Tool use with function calling is unsupported"
	}
	if msg := validateToolConfig(req.ToolConfig, declared); msg != "" {
		return msg
	}
	if msg := validateGeneration(req.GenerationConfig, p); msg != "" {
		return msg
	}
	if msg := validateModelFeatures(req, p); msg != "" {
		return msg
	}
	if len(declared) > 0 && jsonAnswer(req.GenerationConfig) && wire.RefusesJSONWithTools(p.Model) &&
		(req.ToolConfig == nil || req.ToolConfig.FunctionCallingConfig == nil || req.ToolConfig.FunctionCallingConfig.Mode != wire.ModeNone) {
		return "Function calling with a response mime type: 'application/json' is unsupported"
	}
	return validateLogprobs(req.GenerationConfig, p)
}

// validateModelFeatures refuses what the model lacks, as Gemini refuses
// it for Gemma: a system instruction ("Developer instruction is not
// enabled for models/gemma-3-27b-it", reported in 0xPlaygrounds/rig#788
// and lobehub/lobehub#7128) and function declarations.
func validateModelFeatures(req *wire.GenerateContentRequest, p *sim.Profile) string {
	if p.NoSystemInstruction && req.SystemInstruction != nil {
		return "Developer instruction is not enabled for models/" + p.Model
	}
	if p.NoFunctionCalling {
		for _, t := range req.Tools {
			if len(t.FunctionDeclarations) > 0 {
				return "Function calling is not enabled for models/" + p.Model
			}
		}
	}
	return ""
}

// jsonAnswer reports whether g asks for a JSON answer.
func jsonAnswer(g *wire.GenerationConfig) bool {
	return g != nil && g.ResponseMIMEType == wire.MIMEJSON
}

// validateLogprobs checks responseLogprobs and logprobs; thinking models
// refuse them, as the real API answers for its models without logprobs.
func validateLogprobs(g *wire.GenerationConfig, p *sim.Profile) string {
	const at = "* GenerateContentRequest.generation_config."
	switch {
	case g == nil:
	case g.Logprobs != nil && (*g.Logprobs < 0 || *g.Logprobs > 20):
		return at + "logprobs: logprobs must be in the range [0, 20].\n"
	case g.Logprobs != nil && !g.ResponseLogprobs:
		return at + "logprobs: logprobs is only valid when response_logprobs is true.\n"
	case g.ResponseLogprobs && p.Reasoning:
		return "Logprobs is not enabled for models/" + p.Model
	}
	return ""
}

// ContentsError checks the conversation of req to model (its contents and
// system instruction) as the API does: roles, parts (none empty: an empty
// text part has no data), the turns of function calls and responses, and
// on Gemini 3 the thought signatures of the current turn's calls
// (validateSignatures). It returns the API's 400 INVALID_ARGUMENT message,
// or "" for a valid one. The simulator refuses what it refuses; tests of
// the router's translation call it directly.
func ContentsError(req *wire.GenerateContentRequest, model string) string {
	if len(req.Contents) == 0 {
		return "* GenerateContentRequest.contents: contents is not specified\n"
	}
	for i := range req.Contents {
		if msg := validateContent(&req.Contents[i], i); msg != "" {
			return msg
		}
	}
	if msg := validateCallTurns(req.Contents); msg != "" {
		return msg
	}
	if msg := validateSignatures(req.Contents, model); msg != "" {
		return msg
	}
	if si := req.SystemInstruction; si != nil {
		for j, part := range si.Parts {
			if part.Text == "" {
				return fmt.Sprintf("* GenerateContentRequest.system_instruction.parts[%d]: only non-empty text parts are supported\n", j)
			}
		}
	}
	return ""
}

func validateContent(c *wire.Content, i int) string {
	if c.Role != "" && c.Role != wire.RoleUser && c.Role != wire.RoleModel {
		return "Please use a valid role: user, model."
	}
	if len(c.Parts) == 0 {
		return fmt.Sprintf("* GenerateContentRequest.contents[%d].parts: contents.parts must not be empty.\n", i)
	}
	for j := range c.Parts {
		if msg := validatePart(&c.Parts[j], fmt.Sprintf("contents[%d].parts[%d]", i, j)); msg != "" {
			return msg
		}
	}
	return ""
}

// validateCallTurns enforces the API's rules on function calling turns: a
// model turn with function calls comes right after a user turn (which may
// hold function responses), and the turn after it answers every call.
func validateCallTurns(contents []wire.Content) string {
	for i, c := range contents {
		calls := countParts(c, func(p *wire.Part) bool { return p.FunctionCall != nil })
		if calls == 0 {
			continue
		}
		if i == 0 || contents[i-1].Role == wire.RoleModel {
			return "Please ensure that function call turn comes immediately after a user turn or after a function response turn."
		}
		if i+1 < len(contents) && countParts(contents[i+1], func(p *wire.Part) bool { return p.FunctionResponse != nil }) != calls {
			return "Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn."
		}
	}
	return ""
}

// validateSignatures requires, of a Gemini 3 model, a thoughtSignature on
// the first function call of each model turn of the current turn (the
// turns after the last user turn holding more than function responses),
// as Google's thought signatures guide says; the API's error is the one
// peers hit replaying calls without one (manthanabc/paws#103). The
// position it names is the content's, from 1.
func validateSignatures(contents []wire.Content, model string) string {
	if !wire.ThinkingModel(model) || strings.HasPrefix(strings.TrimPrefix(model, "models/"), "gemini-2.5-") {
		return ""
	}
	start := 0
	for i, c := range contents {
		if c.Role != wire.RoleModel && countParts(c, func(p *wire.Part) bool { return p.FunctionResponse == nil }) > 0 {
			start = i
		}
	}
	for i := start; i < len(contents); i++ {
		for j := range contents[i].Parts {
			if p := &contents[i].Parts[j]; p.FunctionCall != nil {
				if p.ThoughtSignature == "" {
					return fmt.Sprintf("Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call `default_api:%s` , position %d. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.", p.FunctionCall.Name, i+1)
				}
				break // only the first call of a turn carries one
			}
		}
	}
	return ""
}

func countParts(c wire.Content, match func(*wire.Part) bool) int {
	n := 0
	for j := range c.Parts {
		if match(&c.Parts[j]) {
			n++
		}
	}
	return n
}

func validatePart(p *wire.Part, at string) string {
	set := 0
	for _, ok := range []bool{p.Text != "", p.InlineData != nil, p.FileData != nil, p.FunctionCall != nil,
		p.FunctionResponse != nil, len(p.ExecutableCode) > 0, len(p.CodeExecutionResult) > 0} {
		if ok {
			set++
		}
	}
	switch {
	case set == 0:
		return "* GenerateContentRequest." + at + ".data: required oneof field 'data' must have one initialized field\n"
	case set > 1:
		return "* GenerateContentRequest." + at + ".data: oneof field 'data' is already set. Cannot set 'data' twice\n"
	case p.FunctionCall != nil:
		if p.FunctionCall.Name == "" {
			return "* GenerateContentRequest." + at + ".function_call.name: Name cannot be empty.\n"
		}
		if !isObject(p.FunctionCall.Args, true) {
			return fmt.Sprintf("Invalid value at '%s.function_call.args' (type.googleapis.com/google.protobuf.Struct), %s", at, p.FunctionCall.Args)
		}
	case p.FunctionResponse != nil:
		if p.FunctionResponse.Name == "" {
			return "* GenerateContentRequest." + at + ".function_response.name: Name cannot be empty.\n"
		}
		if !isObject(p.FunctionResponse.Response, false) {
			return fmt.Sprintf("Invalid value at '%s.function_response.response' (type.googleapis.com/google.protobuf.Struct), %s", at, p.FunctionResponse.Response)
		}
	case p.InlineData != nil:
		if p.InlineData.MIMEType == "" {
			return "* GenerateContentRequest." + at + ".inline_data.mime_type: mime_type is not specified\n"
		}
		if _, err := base64.StdEncoding.DecodeString(p.InlineData.Data); err != nil || p.InlineData.Data == "" {
			return fmt.Sprintf("Invalid value at '%s.inline_data.data' (TYPE_BYTES), Base64 decoding failed", at)
		}
	case p.FileData != nil && p.FileData.FileURI == "":
		return "* GenerateContentRequest." + at + ".file_data.file_uri: file_uri is not specified\n"
	}
	return ""
}

// isObject reports whether raw is a JSON object (or absent, when optional).
func isObject(raw json.RawMessage, optional bool) bool {
	if len(raw) == 0 {
		return optional
	}
	var m map[string]json.RawMessage
	return json.Unmarshal(raw, &m) == nil && m != nil
}

// validateTools checks the function declarations and returns their
// names, a set: a request may declare tens of thousands, and a list
// searched for each made their checks quadratic (64,000 took minutes).
func validateTools(tools []wire.Tool) (map[string]bool, string) {
	names := map[string]bool{}
	for i, t := range tools {
		for j, d := range t.FunctionDeclarations {
			at := func() string {
				return fmt.Sprintf("* GenerateContentRequest.tools[%d].function_declarations[%d]", i, j)
			}
			if !funcName.MatchString(d.Name) {
				return nil, at() + ".name: Invalid function name. Must start with a letter or an underscore. Must be a-z, A-Z, 0-9, or contain underscores, dots, colons and dashes, with a maximum length of 128.\n"
			}
			if names[d.Name] {
				return nil, at() + ".name: Duplicate function declaration name: " + d.Name + "\n"
			}
			if len(d.Parameters) > 0 && len(d.ParametersJSONSchema) > 0 {
				return nil, at() + ": parameters and parameters_json_schema are mutually exclusive.\n"
			}
			if !isObject(d.Parameters, true) || !isObject(d.ParametersJSONSchema, true) {
				return nil, at() + ".parameters: must be a schema object.\n"
			}
			names[d.Name] = true
		}
	}
	return names, ""
}

func validateToolConfig(tc *wire.ToolConfig, declared map[string]bool) string {
	if tc == nil || tc.FunctionCallingConfig == nil {
		return ""
	}
	fc := tc.FunctionCallingConfig
	switch fc.Mode {
	case "", "MODE_UNSPECIFIED", wire.ModeAuto, wire.ModeAny, wire.ModeNone, wire.ModeValidated:
	default:
		return fmt.Sprintf("Invalid value at 'tool_config.function_calling_config.mode' (type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionCallingConfig.Mode), %q", fc.Mode)
	}
	if len(fc.AllowedFunctionNames) > 0 && fc.Mode != wire.ModeAny && fc.Mode != wire.ModeValidated {
		return "* GenerateContentRequest.tool_config.function_calling_config.allowed_function_names: allowed_function_names should only be set when the Mode is ANY or VALIDATED.\n"
	}
	for _, n := range fc.AllowedFunctionNames {
		if !declared[n] {
			return "* GenerateContentRequest.tool_config.function_calling_config.allowed_function_names: function " + n + " is not declared in tools.\n"
		}
	}
	return ""
}

func validateGeneration(g *wire.GenerationConfig, p *sim.Profile) string {
	if g == nil {
		return ""
	}
	const at = "* GenerateContentRequest.generation_config."
	switch {
	case g.Temperature != nil && (*g.Temperature < 0 || *g.Temperature > 2):
		return at + "temperature: temperature must be in the range [0.0, 2.0].\n"
	case g.TopP != nil && (*g.TopP < 0 || *g.TopP > 1):
		return at + "top_p: top_p must be in the range [0.0, 1.0].\n"
	case g.TopK != nil && *g.TopK < 1:
		return at + "top_k: top_k must be positive.\n"
	case g.CandidateCount != nil && (*g.CandidateCount < 1 || *g.CandidateCount > 8):
		return at + "candidate_count: candidate_count must be in the range [1, 8].\n"
	case g.MaxOutputTokens != nil && (*g.MaxOutputTokens < 1 || *g.MaxOutputTokens > p.MaxOutput()):
		return fmt.Sprintf("Unable to submit request because it has a maxOutputTokens value of %d but the supported range is from 1 (inclusive) to %d (exclusive). Update the value and try again.", *g.MaxOutputTokens, p.MaxOutput()+1)
	case len(g.StopSequences) > 5:
		return at + "stop_sequences: at most 5 stop sequences are allowed.\n"
	case g.ResponseMIMEType != "" && !slices.Contains(mimeTypes, g.ResponseMIMEType):
		return at + "response_mime_type: allowed mimetypes are `text/plain`, `application/json`, `application/xml`, `application/yaml` and `text/x.enum`.\n"
	case len(g.ResponseSchema) > 0 && len(g.ResponseJSONSchema) > 0:
		return at + "response_schema: response_schema and response_json_schema are mutually exclusive.\n"
	case (len(g.ResponseSchema) > 0 || len(g.ResponseJSONSchema) > 0) && g.ResponseMIMEType != wire.MIMEJSON && g.ResponseMIMEType != wire.MIMEEnum:
		return at + "response_mime_type: response_mime_type must be application/json or text/x.enum when a response schema is set.\n"
	case !isObject(g.ResponseSchema, true) || !isObject(g.ResponseJSONSchema, true):
		return at + "response_schema: must be a schema object.\n"
	case (g.PresencePenalty != nil && *g.PresencePenalty != 0 || g.FrequencyPenalty != nil && *g.FrequencyPenalty != 0) && wire.RefusesPenalties(p.Model):
		return "Penalty is not enabled for models/" + p.Model
	case g.ThinkingConfig != nil && !thinks(p) && (g.ThinkingConfig.ThinkingLevel != "" ||
		(g.ThinkingConfig.ThinkingBudget != nil && *g.ThinkingConfig.ThinkingBudget != 0)):
		return "Thinking is not supported by this model."
	}
	return validateThinking(p.Model, g.ThinkingConfig)
}

// validateResponseRefs refuses, on Gemini 3, a function response whose
// JSON holds a "$ref": the model takes it for a reference to one of the
// response's parts (multimodal function responses) and, the simulator
// modelling none, it names none (vercel/ai#14369,
// NousResearch/hermes-agent#93014).
func validateResponseRefs(contents []wire.Content, model string) string {
	if wire.ThinkingLevels(model) == nil {
		return ""
	}
	for _, c := range contents {
		for _, part := range c.Parts {
			if part.FunctionResponse == nil {
				continue
			}
			var v any
			if json.Unmarshal(part.FunctionResponse.Response, &v) != nil {
				continue
			}
			if ref, ok := firstRef(v, 0); ok {
				return "The referenced name `" + ref + "` in function_response.response does not match to a display_name in the function_response.parts."
			}
		}
	}
	return ""
}

// firstRef returns the value of the first "$ref" key in v.
func firstRef(v any, depth int) (string, bool) {
	if depth > 64 {
		return "", false
	}
	switch x := v.(type) {
	case map[string]any:
		if r, ok := x["$ref"]; ok {
			s, _ := r.(string)
			return s, true
		}
		for _, e := range x {
			if r, ok := firstRef(e, depth+1); ok {
				return r, true
			}
		}
	case []any:
		for _, e := range x {
			if r, ok := firstRef(e, depth+1); ok {
				return r, true
			}
		}
	}
	return "", false
}
