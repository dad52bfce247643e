package openai

import (
	"net/url"
	"strings"

	"switchyard/llm"
)

// GoogleCompatURL reports whether a base_url is Google's OpenAI
// compatibility endpoint, whose Gemini models write thought signatures
// on their tool calls and want them back (wire/openai's
// thought_signature.go): the Gemini API's host
// (generativelanguage.googleapis.com), Vertex AI's (aiplatform.googleapis.com
// and its regional LOCATION-aiplatform.googleapis.com), or a URL whose
// path is one of theirs (/v1beta/openai; Vertex's …/endpoints/openapi),
// as a proxy in front of them keeps it.
func GoogleCompatURL(u *url.URL) bool {
	host := strings.ToLower(u.Hostname())
	if host == "generativelanguage.googleapis.com" || host == "aiplatform.googleapis.com" || strings.HasSuffix(host, "-aiplatform.googleapis.com") {
		return true
	}
	path := strings.TrimRight(u.Path, "/")
	return strings.HasSuffix(path, "/v1beta/openai") || strings.HasSuffix(path, "/endpoints/openapi")
}

// sendsSignatures reports whether req is sent its tool calls' thought
// signatures: as its deployment's thought_signatures says, else when the
// host is Google's compatibility endpoint.
func (c *Client) sendsSignatures(req *llm.Request) bool {
	return req.ThoughtSignatures.Sends(c.googleCompat)
}

// keepSignatures marks the thought signatures of ch's tool calls with
// the model that made them and leaves them in the thinking memory (when
// it keeps them), under each call's id, so that the loop's next turn
// gets them back when its client did not send them (thinking.Memory's
// Restore), as the Gemini adapter does.
func (d *decoder) keepSignatures(ch *llm.Chunk) {
	for i := range ch.Choices {
		calls := ch.Choices[i].Delta.ToolCalls
		for j := range calls {
			if tc := &calls[j]; tc.Signature != "" {
				tc.SignatureModel = d.sigModel
				d.signatures.KeepSignature(d.scope, tc.ID, tc.Signature, d.sigModel)
			}
		}
	}
}
