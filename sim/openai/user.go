package openai

import (
	"fmt"
	"net/http"
	"unicode/utf8"

	wire "switchyard/wire/openai"
)

// refuseLongUser refuses a `user` longer than OpenAI takes (64
// characters) with its 400, worded as it words it (BerriAI/litellm's
// tests keep it: "Invalid 'user': string too long. Expected a string
// with maximum length 64, but got a string with length 123 instead.",
// code string_above_max_length), and reports whether it did.
// OpenRouter takes up to 128 (ujisati/claude-code-provider-proxy#11) and
// is not checked here.
func refuseLongUser(c *call, user string) bool {
	n := utf8.RuneCountInString(user)
	if n <= wire.MaxUser || c.openRouter {
		return false
	}
	c.fail(http.StatusBadRequest, apiError{Message: fmt.Sprintf("Invalid 'user': string too long. Expected a string with maximum length %d, but got a string with length %d instead.", wire.MaxUser, n),
		Type: "invalid_request_error", Param: "user", Code: "string_above_max_length"})
	return true
}
