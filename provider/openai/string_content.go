package openai

import (
	"net/url"
	"strings"

	"switchyard/llm"
)

// StringContentURL reports whether a base_url is the API of a host that
// takes a message's content only as a string (wire/openai's
// string_content.go): DeepSeek's (api.deepseek.com), which refuses an
// array on any message, or Groq's (api.groq.com), which refuses one on a
// system message.
func StringContentURL(u *url.URL) bool {
	host := strings.ToLower(u.Hostname())
	return host == "api.deepseek.com" || host == "api.groq.com"
}

// sendsStringContent reports whether req's messages of text alone are
// sent as one string: as its deployment's text_content says, else on a
// host that takes no other (StringContentURL).
func (c *Client) sendsStringContent(req *llm.Request) bool {
	return req.TextContent.Strings(c.stringContent)
}
