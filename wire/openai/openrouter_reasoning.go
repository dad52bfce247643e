package openai

import (
	"encoding/json"

	"switchyard/llm"
)

// OpenRouter's reasoning object on Chat Completions
// (openrouter.ai/docs/use-cases/reasoning-tokens), sent by clients written
// for OpenRouter (Qwen Code, Cline, Roo, Kilo, the AI SDK's OpenRouter
// provider) in place of reasoning_effort:
//
//	"reasoning": {"effort": "high"}      a level, none to max
//	"reasoning": {"max_tokens": 2000}    a thinking budget (Anthropic-style)
//	"reasoning": {"enabled": true}       reasoning at the default level (medium)
//	"reasoning": {"enabled": false}      no reasoning (effort none)
//	"reasoning": {"exclude": true}       reason, but keep it out of the answer
//
// effort and max_tokens are one or the other, never both ("One of the
// following (not both)"), and enabled false goes with neither. exclude
// goes with any of them; alone it leaves the level to the model. Members
// OpenRouter has that the router does not model (summary, mode, context)
// are let through unread. When reasoning_effort is sent too, the object's
// level wins, whichever comes first, as it is OpenRouter's own and the
// more precise of the two; an object naming no level leaves
// reasoning_effort's.

// orReasoning is what decodeOpenRouterReasoning read.
type orReasoning struct {
	effort    llm.Effort
	maxTokens *int
	enabled   *bool
	exclude   bool
}

// decodeOpenRouterReasoning reads the reasoning object into seen, and
// keeps its bytes in req.OpenRouterReasoning; null leaves it unset.
func decodeOpenRouterReasoning(s *scanner, req *llm.Request, seen *reqSeen) error {
	if s.null() {
		return nil
	}
	s.peek()
	start := s.pos
	var r orReasoning
	err := s.object(func(key []byte) error { return r.field(s, key) })
	if err != nil {
		return err
	}
	if err := r.check(); err != nil {
		return err
	}
	req.OpenRouterReasoning = append(json.RawMessage(nil), s.data[start:s.pos]...)
	seen.reasoning = &r
	return nil
}

// field reads one member of the object.
func (r *orReasoning) field(s *scanner, key []byte) error {
	var err error
	switch string(key) {
	case "effort":
		if s.null() {
			return nil
		}
		var v string
		if v, err = s.str(); err != nil {
			return err
		}
		e, ok := llm.ParseEffort(v)
		if !ok {
			return errEnum(v, "'none', 'minimal', 'low', 'medium', 'high', 'xhigh' and 'max'")
		}
		r.effort = e
	case "max_tokens":
		r.maxTokens, err = optIntIn(s, 1, maxInt)
	case "enabled":
		r.enabled, err = optBool(s)
	case "exclude":
		var b *bool
		b, err = optBool(s)
		r.exclude = b != nil && *b
	default:
		return s.skip()
	}
	return err
}

// check refuses the combinations OpenRouter's object does not have.
func (r *orReasoning) check() error {
	switch {
	case r.effort != "" && r.maxTokens != nil:
		return errInvalid("'effort' and 'max_tokens' cannot both be set. Send one of them.")
	case r.enabled != nil && !*r.enabled && (r.effort != "" || r.maxTokens != nil):
		return errInvalid("'enabled' is false but an 'effort' or 'max_tokens' is set. Remove one of them.")
	}
	return nil
}

// apply sets req's reasoning from the object: its level in place of any
// reasoning_effort's, and the reasoning hidden from the answer when
// excluded. The level's reasoning is shown unless excluded, as OpenRouter
// returns it by default.
func (r *orReasoning) apply(req *llm.Request) {
	req.HideReasoning = r.exclude
	show := !r.exclude
	switch {
	case r.enabled != nil && !*r.enabled:
		req.Reasoning = &llm.Reasoning{Effort: llm.EffortNone}
	case r.effort != "":
		req.Reasoning = &llm.Reasoning{Effort: r.effort, Show: show && r.effort != llm.EffortNone}
	case r.maxTokens != nil:
		req.Reasoning = &llm.Reasoning{BudgetTokens: *r.maxTokens, Show: show}
	case r.enabled != nil:
		req.Reasoning = &llm.Reasoning{Effort: llm.EffortMedium, Show: show}
	case req.Reasoning != nil && r.exclude:
		req.Reasoning.Show = false
	}
}

// openRouterLevel returns OpenRouter's reasoning object raw with its
// effort made sent, the level the adapter sends in place of the one the
// model does not take (DropFixedSampling), so that the object, which
// OpenRouter reads before reasoning_effort, asks what reasoning_effort
// does; raw itself when it names no effort (a budget, enabled alone) or
// names sent, or sent is no level. Members the router does not model are
// kept.
func openRouterLevel(raw json.RawMessage, sent llm.Effort) json.RawMessage {
	if _, ok := llm.ParseEffort(string(sent)); !ok || len(raw) == 0 {
		return raw // before obj, which escapes: no allocation for a request without the object
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return raw
	}
	e, ok := obj["effort"]
	if !ok || string(e) == "null" || string(e) == `"`+string(sent)+`"` {
		return raw
	}
	obj["effort"] = json.RawMessage(`"` + string(sent) + `"`)
	out, err := json.Marshal(obj)
	if err != nil {
		return raw
	}
	return out
}
