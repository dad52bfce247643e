package responses

import (
	"encoding/json"
	"strconv"

	"switchyard/llm"
)

// This file is the request members that only OpenAI's Responses API
// serves, which the router passes through as hosted tools are
// (hosted.go): prompt (a reusable prompt stored on OpenAI's side: {id,
// version?, variables?}, which the router cannot render, so a request
// naming one may lack input and instructions) and context_management
// ([{type: "compaction", compact_threshold?}]). They are checked for
// shape, kept raw (llm.OpenAIHosted.Params) and sent upstream as they
// came, to an OpenAI deployment called on the Responses API only.

// promptParam is the prompt member's shape.
type promptParam struct {
	ID        *string         `json:"id"`
	Version   *string         `json:"version"`
	Variables json.RawMessage `json:"variables"`
}

// contextManagementEntry is one entry of context_management.
type contextManagementEntry struct {
	Type             *string `json:"type"`
	CompactThreshold *int64  `json:"compact_threshold"`
}

// minCompactThreshold is the smallest compact_threshold the API takes.
const minCompactThreshold = 1000

// decodeHostedParams checks prompt and context_management and keeps them
// raw for the upstream.
func decodeHostedParams(cr *createRequest, out *Request) error {
	if !isNull(cr.Prompt) {
		if err := checkPrompt(cr.Prompt); err != nil {
			return err
		}
		hostedParam(out.Chat, "prompt", cr.Prompt)
	}
	if !isNull(cr.ContextManagement) {
		if err := checkContextManagement(cr.ContextManagement); err != nil {
			return err
		}
		hostedParam(out.Chat, "context_management", cr.ContextManagement)
	}
	return nil
}

// hostedParam keeps the member name of req as raw.
func hostedParam(req *llm.Request, name string, raw json.RawMessage) {
	h := hostedOf(req)
	if h.Param == "" {
		h.Param = name
	}
	h.Params = append(h.Params, llm.RawParam{Name: name, Value: append(json.RawMessage(nil), raw...)})
}

// checkPrompt checks a prompt reference: an object with a string id.
func checkPrompt(raw json.RawMessage) error {
	if first(raw) != '{' {
		return invalid("prompt", "Invalid type for 'prompt': expected an object, but got %s instead.", kindOf(raw))
	}
	var p promptParam
	if err := decodeStrict(raw, "prompt", &p); err != nil {
		return err
	}
	if p.ID == nil || *p.ID == "" {
		return invalid("prompt.id", "Missing required parameter: 'prompt.id'.")
	}
	if !isNull(p.Variables) && first(p.Variables) != '{' {
		return invalid("prompt.variables", "Invalid type for 'prompt.variables': expected an object, but got %s instead.", kindOf(p.Variables))
	}
	return nil
}

// checkContextManagement checks context_management: a non-empty array of
// compaction entries.
func checkContextManagement(raw json.RawMessage) error {
	if first(raw) != '[' {
		return invalid("context_management", "Invalid type for 'context_management': expected an array, but got %s instead.", kindOf(raw))
	}
	var entries []json.RawMessage
	if err := json.Unmarshal(raw, &entries); err != nil {
		return jsonError(err, "context_management")
	}
	if len(entries) == 0 {
		return invalid("context_management", "Invalid 'context_management': empty array. Expected an array with minimum length 1, but got an empty array instead.")
	}
	for i, e := range entries {
		at := "context_management[" + strconv.Itoa(i) + "]"
		var c contextManagementEntry
		if err := decodeStrict(e, at, &c); err != nil {
			return err
		}
		if c.Type == nil || *c.Type != "compaction" {
			return invalid(at+".type", "Invalid value for '%s.type': '%s'. Supported values are: 'compaction'.", at, llm.Clip(deref(c.Type)))
		}
		if c.CompactThreshold != nil && *c.CompactThreshold < minCompactThreshold {
			return invalid(at+".compact_threshold", "Invalid '%s.compact_threshold': integer below minimum value. Expected a value greater than or equal to %d, but got %d instead.", at, minCompactThreshold, *c.CompactThreshold)
		}
	}
	return nil
}

// appendHostedParams appends the members req passes through raw.
func appendHostedParams(dst []byte, req *llm.Request) []byte {
	if req.OpenAIHosted == nil {
		return dst
	}
	for _, p := range req.OpenAIHosted.Params {
		dst = append(append(append(append(dst, ',', '"'), p.Name...), '"', ':'), p.Value...)
	}
	return dst
}
