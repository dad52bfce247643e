package openai

import (
	"encoding/json"
	"net/http"
)

// Groq's API (POST /openai/v1/chat/completions, its path) validates a
// body strictly: a member it does not know fails the request, 400
// "property 'prompt_cache_key' is unsupported" (eigent-ai/eigent#1827's
// capture; sipeed/picoclaw#1196). The simulator refuses the OpenAI
// bookkeeping members clients send unasked (prompt_cache_key,
// prompt_cache_retention, safety_identifier, store), the ones a router
// would pass on from OpenAI's clients.

// groqUnsupported are the members the simulated Groq API refuses.
var groqUnsupported = map[string]bool{"prompt_cache_key": true, "prompt_cache_retention": true, "safety_identifier": true, "store": true}

// refuseGroqMembers answers as Groq does a request with a member it does
// not take, and reports whether it did; on any other path it does
// nothing.
func refuseGroqMembers(c *call, body []byte) bool {
	if !c.groq {
		return false
	}
	var refused string
	eachMember(body, func(dec *json.Decoder, key string) bool {
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return false
		}
		if groqUnsupported[key] {
			refused = key
			return false
		}
		return true
	})
	if refused == "" {
		return false
	}
	b, _ := json.Marshal(map[string]map[string]string{"error": {"message": "property '" + refused + "' is unsupported", "type": "invalid_request_error"}})
	c.writeJSON(http.StatusBadRequest, append(b, '\n'))
	return true
}
