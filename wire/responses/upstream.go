package responses

import (
	"encoding/json"
	"slices"
	"strconv"

	"switchyard/internal/jsonw"
	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// This file is the outbound half of the codec: a canonical request as
// the body of POST /v1/responses sent to an upstream that serves the
// Responses API (an OpenAI deployment of a model OpenAI serves only
// there, or one configured api: responses). The router keeps no state
// upstream: every request is sent whole, with store false, streamed.
//
//   - A leading system message is instructions; every other message is an
//     input item in order: user, system and developer messages as
//     message items (text as input_text, images as input_image, OpenAI
//     file parts as input_file), an assistant turn as its OpenAI reasoning
//     items (llm.OpenAIReasoning; thinking any other provider wrote is
//     left out), its text as a message and its tool calls as
//     function_call (custom_tool_call) items; a tool message is the
//     function_call_output (custom_tool_call_output) of its call.
//   - MaxTokens is max_output_tokens (at least 16, the API's minimum);
//     ResponseFormat is text.format; Reasoning is reasoning.effort (and
//     .summary, a Responses client's); the client-executed tools and
//     their calls and outputs go as themselves (upstream_tools.go); the
//     Extra fields the Responses API shares with Chat Completions
//     (safety_identifier, prompt_cache_key, prompt_cache_retention,
//     verbosity as text.verbosity) are sent, no other Extra field.
//   - Logprobs is include message.output_text.logprobs, TopLogprobs
//     top_logprobs (upstream_logprobs.go).
//   - Not sent, as the Responses API has no place for them: stop, seed,
//     n, presence and frequency penalties.

// UpstreamOptions says what EncodeUpstream sends beside the request.
type UpstreamOptions struct {
	// ServiceTier sends the request's service_tier; false leaves it out
	// (an upstream that does not take it).
	ServiceTier bool
	// Reasoning says the model reasons: its reasoning items are asked
	// for with their encrypted_content (include
	// reasoning.encrypted_content), so that a later turn can send them
	// back.
	Reasoning bool
	// Whole asks for the answer whole, not streamed (a provider batch's
	// line: DecodeUpstreamResponse reads its answer).
	Whole bool
}

// minOutputTokens is the smallest max_output_tokens the API accepts.
const minOutputTokens = 16

// EncodeUpstream returns the body of POST /v1/responses for req, streamed
// unless o.Whole (see the file comment for what maps to what). A part or a message the
// Responses API has no shape for is an *llm.Error of kind
// invalid_request whose Param is its path in req (messages[2].content[0]).
func EncodeUpstream(req *llm.Request, o UpstreamOptions) ([]byte, error) {
	dst := make([]byte, 0, 256+64*len(req.Messages))
	dst = append(dst, `{"model":`...)
	dst = jsonw.String(dst, req.Model)
	msgs := req.Messages
	if len(msgs) > 0 && msgs[0].Role == llm.RoleSystem && textOnly(&msgs[0]) {
		dst = append(dst, `,"instructions":`...)
		dst = jsonw.String(dst, msgs[0].Text())
		msgs = msgs[1:]
	}
	if len(msgs) > 0 || req.OpenAIHosted == nil { // a stored prompt may be the whole input
		dst = append(dst, `,"input":[`...)
		var err error
		if dst, err = appendInputItems(dst, msgs, len(req.Messages)-len(msgs), req.Tools); err != nil {
			return nil, err
		}
		dst = append(dst, ']')
	}
	dst = appendUpstreamOptions(dst, req, o)
	if o.Whole {
		return append(dst, `,"store":false}`...), nil
	}
	return append(dst, `,"store":false,"stream":true}`...), nil
}

// appendUpstreamOptions appends the tools, limits, sampling and options
// of req.
func appendUpstreamOptions(dst []byte, req *llm.Request, o UpstreamOptions) []byte {
	if h := req.OpenAIHosted; h != nil && (len(h.Tools) > 0 || len(req.Tools) > 0) {
		dst = appendHostedTools(dst, req)
	} else if len(req.Tools) > 0 {
		dst = appendTools(append(dst, `,"tools":`...), req.Tools)
		if req.ToolChoice != nil {
			dst = appendToolChoice(append(dst, `,"tool_choice":`...), req.ToolChoice, req.Tools)
		}
	}
	if len(req.Tools) > 0 || req.OpenAIHosted != nil && len(req.OpenAIHosted.Tools) > 0 {
		if req.ParallelToolCalls != nil {
			dst = strconv.AppendBool(append(dst, `,"parallel_tool_calls":`...), *req.ParallelToolCalls)
		}
	}
	if req.MaxTokens != nil {
		dst = jsonw.Int(append(dst, `,"max_output_tokens":`...), max(*req.MaxTokens, minOutputTokens))
	}
	if req.Temperature != nil {
		dst = jsonw.Float(append(dst, `,"temperature":`...), *req.Temperature, 64)
	}
	if req.TopP != nil {
		dst = jsonw.Float(append(dst, `,"top_p":`...), *req.TopP, 64)
	}
	dst = appendUpstreamText(dst, req)
	if r := req.Reasoning; r != nil {
		dst = append(dst, `,"reasoning":{"effort":`...)
		dst = jsonw.String(dst, string(r.Level()))
		if r.Summary != "" {
			dst = jsonw.String(append(dst, `,"summary":`...), r.Summary)
		}
		dst = append(dst, '}')
	}
	dst = appendUpstreamInclude(dst, req, o)
	dst = appendHostedParams(dst, req)
	if o.ServiceTier && req.ServiceTier != "" {
		dst = jsonw.String(append(dst, `,"service_tier":`...), string(req.ServiceTier))
	}
	for _, name := range [...]string{"safety_identifier", "prompt_cache_key", "prompt_cache_retention"} {
		if v, ok := req.Extra[name]; ok && isJSONString(v) {
			dst = append(append(append(append(dst, ',', '"'), name...), '"', ':'), v...)
		}
	}
	if req.User != "" {
		dst = jsonw.String(append(dst, `,"user":`...), wire.UserParam(req.User))
	}
	if len(req.Metadata) > 0 {
		dst = appendMetadata(append(dst, `,"metadata":`...), req.Metadata)
	}
	return dst
}

// appendUpstreamText appends the text option when the request asks for a
// format or a verbosity.
func appendUpstreamText(dst []byte, req *llm.Request) []byte {
	rf := req.ResponseFormat
	verbosity, hasVerbosity := req.Extra["verbosity"]
	hasVerbosity = hasVerbosity && isJSONString(verbosity)
	if (rf == nil || rf.Type == llm.FormatText) && !hasVerbosity {
		return dst
	}
	dst = append(dst, `,"text":{`...)
	if rf != nil && rf.Type != llm.FormatText {
		dst = append(dst, `"format":`...)
		if rf.Type == llm.FormatJSONSchema {
			dst = append(dst, `{"type":"json_schema","name":`...)
			dst = jsonw.String(dst, rf.Name)
			if rf.Description != "" {
				dst = jsonw.String(append(dst, `,"description":`...), rf.Description)
			}
			dst = append(append(dst, `,"schema":`...), orEmptyObject(rf.Schema)...)
			if rf.Strict != nil {
				dst = strconv.AppendBool(append(dst, `,"strict":`...), *rf.Strict)
			}
			dst = append(dst, '}')
		} else {
			dst = append(dst, `{"type":"json_object"}`...)
		}
		if hasVerbosity {
			dst = append(dst, ',')
		}
	}
	if hasVerbosity {
		dst = append(append(dst, `"verbosity":`...), verbosity...)
	}
	return append(dst, '}')
}

// orEmptyObject returns raw, or {} when it is empty.
func orEmptyObject(raw json.RawMessage) []byte {
	if len(raw) == 0 {
		return []byte("{}")
	}
	return raw
}

// isJSONString reports whether raw is a JSON string (what the
// pass-through options must be).
func isJSONString(raw json.RawMessage) bool {
	var s string
	return len(raw) > 1 && raw[0] == '"' && json.Unmarshal(raw, &s) == nil
}

// textOnly reports whether m holds text parts alone.
func textOnly(m *llm.Message) bool {
	for i := range m.Content {
		if m.Content[i].Type != llm.PartText {
			return false
		}
	}
	return true
}

// sharedExtra are the Extra fields EncodeUpstream sends (the Responses
// API has them under the same names, verbosity as text.verbosity), and
// store, which it always sets itself.
var sharedExtra = []string{"safety_identifier", "prompt_cache_key", "prompt_cache_retention", "verbosity", "store"}

// UpstreamDropped names what of req EncodeUpstream leaves out because the
// Responses API has no place for it, sorted: seed, the penalties, and the
// Extra fields it does not share with Chat Completions (logit_bias…);
// the router routes no request with stop sequences, audio or several
// choices to such a deployment, so they are not named here.
func UpstreamDropped(req *llm.Request) []string {
	var out []string
	if req.Seed != nil {
		out = append(out, "seed")
	}
	if req.PresencePenalty != nil {
		out = append(out, "presence_penalty")
	}
	if req.FrequencyPenalty != nil {
		out = append(out, "frequency_penalty")
	}
	for k := range req.Extra {
		if !slices.Contains(sharedExtra, k) && k != wire.ExtraMaxCompletionTokens {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
