package openai

import (
	"encoding/json"
	"maps"
	"net/url"
	"strings"
)

// OpenAI's bookkeeping members — prompt_cache_key and
// prompt_cache_retention (prompt-cache routing), safety_identifier (abuse
// ids), store (stored completions) — change no answer, and agent clients
// send them unasked: Codex CLI a prompt_cache_key on every request, the
// OpenAI SDKs' users and Factory Droid the retention. They pass through
// to OpenAI-compatible hosts as the client wrote them, but the hosts that
// validate a body strictly refuse any member they do not know, and with
// it the whole request:
//   - Groq (api.groq.com): 400 "property 'prompt_cache_key' is
//     unsupported" (eigent-ai/eigent#1827, sipeed/picoclaw#1196);
//   - Mistral (api.mistral.ai, codestral.mistral.ai): 422
//     extra_forbidden "Extra inputs are not permitted" (mistral.go);
//   - NVIDIA NIM (integrate.api.nvidia.com): 400 "Unsupported
//     parameter(s): `prompt_cache_key`" (farion1231/cc-switch#2089).
//
// Those hosts are sent none of them.

// bookkeeping are OpenAI's bookkeeping members, as Extra keys.
var bookkeeping = [...]string{"prompt_cache_key", "prompt_cache_retention", "safety_identifier", "store"}

// StrictMembersURL reports whether a base_url is the API of a host that
// refuses OpenAI's bookkeeping members (Groq's, Mistral's, NVIDIA's).
func StrictMembersURL(u *url.URL) bool {
	switch strings.ToLower(u.Hostname()) {
	case "api.groq.com", "api.mistral.ai", "codestral.mistral.ai", "integrate.api.nvidia.com":
		return true
	}
	return false
}

// withoutBookkeeping returns extra without OpenAI's bookkeeping members:
// extra itself when it has none, else a copy.
func withoutBookkeeping(extra map[string]json.RawMessage) map[string]json.RawMessage {
	for _, k := range bookkeeping {
		if _, ok := extra[k]; ok {
			out := maps.Clone(extra)
			for _, k := range bookkeeping {
				delete(out, k)
			}
			return out
		}
	}
	return extra
}
