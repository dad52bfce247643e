package openai

import (
	"encoding/json"
	"net/http"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/openai"
)

// grokRefusal answers, for a profile of one of xAI's Grok models
// (wire.GrokModel), the 400 xAI gives a request with a parameter the
// model refuses (wire/openai/grok.go has the rules and their sources) and
// reports whether it did: presence_penalty and frequency_penalty at any
// value, stop on a reasoning model, reasoning_effort (reasoning.effort on
// the Responses API) on a model without the dial. The body is xAI's, not
// OpenAI's error object: {"code":"invalid-argument","error":"Model
// grok-4.6 does not support parameter stop."}, the parameter named in
// camelCase as xAI's API names it (lidge-jun/opencodex#5278,
// chenyme/grok2api#814; before 2026 the code was "Client specified an
// invalid argument" and the text "Argument not supported on this model:
// presencePenalty"). An effort outside the ones the model takes is not
// refused here: no source words xAI's answer to it. A name on a message
// not a user's is refused first, with the words of xAI's 2025 answer
// (pipecat-ai/pipecat#2274; BerriAI/litellm#9720).
func grokRefusal(c *call, req *llm.Request, p *sim.Profile) bool {
	if !wire.GrokModel(p.Model) {
		return false
	}
	for i := range req.Messages {
		if m := &req.Messages[i]; m.Role != llm.RoleUser && m.Name() != "" {
			c.writeJSON(http.StatusBadRequest, []byte(`{"code":"Client specified an invalid argument","error":"Invalid request content: Only message of role user can have a name."}`))
			return true
		}
	}
	param := ""
	switch names := wire.FixedSampling(p.Model, req); {
	case len(req.Stop) > 0 && wire.RefusesStop(p.Model, p.Efforts, req.Reasoning):
		param = "stop"
	case len(names) > 0:
		param = grokParamNames[names[0]]
	default:
		return false
	}
	body, _ := json.Marshal(struct {
		Code  string `json:"code"`
		Error string `json:"error"`
	}{"invalid-argument", "Model " + p.Model + " does not support parameter " + param + "."})
	c.writeJSON(http.StatusBadRequest, body)
	return true
}

// grokParamNames are xAI's names of the parameters wire.FixedSampling
// names for a Grok model.
var grokParamNames = map[string]string{
	"reasoning_effort":  "reasoningEffort",
	"presence_penalty":  "presencePenalty",
	"frequency_penalty": "frequencyPenalty",
}
