package openai

import (
	"net/url"
	"strings"

	"switchyard/llm"
)

// Mistral's API (api.mistral.ai, and codestral.mistral.ai for Codestral)
// validates a request strictly, refusing with a 422 extra_forbidden any
// member it does not know ("Extra inputs are not permitted"). Two the
// router would send: stream_options.include_usage, asked on every
// streamed request so that usage is counted (avante-corp/avante.nvim#2347,
// openai/openai-agents-python#442, TabbyML/tabby#4082,
// BerriAI/litellm#8978, dnakov/anon-kode#53); Mistral's stream ends with
// the usage on its last chunk unasked. And a client's metadata
// (OpenHands/OpenHands-CLI#83), tags no other host than OpenAI's reads.

// MistralURL reports whether a base_url is Mistral's API.
func MistralURL(u *url.URL) bool {
	host := strings.ToLower(u.Hostname())
	return host == "api.mistral.ai" || host == "codestral.mistral.ai"
}

// asksUsage reports whether req, streamed, asks for the usage chunk: as
// its deployment's stream_options says, else on every host but Mistral's.
func (c *Client) asksUsage(req *llm.Request) bool {
	return req.StreamOptions.Sends(!c.mistral)
}
