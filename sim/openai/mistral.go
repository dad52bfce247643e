package openai

import (
	"encoding/json"
	"net/http"

	"switchyard/sim"
)

// Mistral's API (https://api.mistral.ai/v1) serves OpenAI's Chat
// Completions route but validates a request strictly: a member its schema
// lacks is a 422 listing each as pydantic's extra_forbidden. Members
// OpenAI takes are refused here with Mistral's body: a top-level metadata
// (OpenHands/OpenHands-CLI#83's capture), stream_options.include_usage
// (avante-corp/avante.nvim#2347's capture; openai/openai-agents-python#442,
// TabbyML/tabby#4082) and OpenAI's bookkeeping members (prompt_cache_key,
// prompt_cache_retention, safety_identifier, store). Its stream carries the usage on its last chunk,
// the one with the finish_reason, unasked.

// NewMistral returns the simulated Mistral API for models, injecting
// faults (nil means none): POST /v1/chat/completions as New serves it,
// with Mistral's refusals and stream usage (above), GET /v1/models, and
// /_sim/faults (and the Behavior's control API when one is given). Any
// non-empty bearer key is accepted.
func NewMistral(models sim.Catalog, faults *sim.Faults, opts ...sim.Option) http.Handler {
	s := newServer(models, faults, false, sim.Apply(opts))
	s.mux.HandleFunc("POST /v1/chat/completions", s.handle(s.bearer, func(c *call) { c.mistral = true; s.chat(c) }))
	s.mux.HandleFunc("GET /v1/models", s.handle(s.bearer, s.listModels))
	return s
}

// extraForbidden is one entry of a Mistral 422's detail.
type extraForbidden struct {
	Type  string          `json:"type"`
	Loc   []string        `json:"loc"`
	Msg   string          `json:"msg"`
	Input json.RawMessage `json:"input"`
}

// refuseMistralExtras answers, on Mistral's API, the 422 it gives a body
// holding members it refuses, in the body's order, and reports whether it
// did; elsewhere it does nothing.
func refuseMistralExtras(c *call, body []byte) bool {
	if !c.mistral {
		return false
	}
	detail := mistralExtras(body)
	if len(detail) == 0 {
		return false
	}
	type message struct {
		Detail []extraForbidden `json:"detail"`
	}
	b, _ := json.Marshal(struct {
		Object  string  `json:"object"`
		Message message `json:"message"`
		Type    string  `json:"type"`
		Param   *string `json:"param"`
		Code    *string `json:"code"`
	}{Object: "error", Message: message{detail}, Type: "invalid_request_error"})
	c.writeJSON(http.StatusUnprocessableEntity, b)
	return true
}

// mistralExtras are the members of body Mistral refuses, in its order;
// none when body is not a JSON object (the decoder judges that).
func mistralExtras(body []byte) []extraForbidden {
	var detail []extraForbidden
	forbid := func(input json.RawMessage, loc ...string) {
		detail = append(detail, extraForbidden{Type: "extra_forbidden", Loc: append([]string{"body"}, loc...), Msg: "Extra inputs are not permitted", Input: input})
	}
	eachMember(body, func(dec *json.Decoder, key string) bool {
		var v json.RawMessage
		if dec.Decode(&v) != nil {
			return false
		}
		switch key {
		case "metadata", "prompt_cache_key", "prompt_cache_retention", "safety_identifier", "store":
			forbid(v, key)
		case "stream_options":
			var so map[string]json.RawMessage
			if json.Unmarshal(v, &so) == nil && so["include_usage"] != nil {
				forbid(so["include_usage"], "stream_options", "include_usage")
			}
		}
		return true
	})
	return detail
}
