package anthropic

import (
	"strings"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// checkPrefill applies the API's rules to a request ending with an
// assistant prefill: its text must not end with whitespace, and a model
// set to reject prefills (a reject_prefill fault rule) refuses it the way
// models without prefill support do.
func (s *server) checkPrefill(a sim.Ask) *apiError {
	if a.Prefill == "" {
		return nil
	}
	if strings.TrimRight(a.Prefill, " \t\r\n") != a.Prefill {
		return &apiError{wire.InvalidRequestError, "messages: final assistant content cannot end with trailing whitespace"}
	}
	if s.faults.RejectsPrefill(a.Model) {
		return &apiError{wire.InvalidRequestError, "This model does not support assistant message prefill. The conversation must end with a user message."}
	}
	return nil
}

// directivePrompt is the text searched for fault directives: none for a
// continuation (a request ending with a prefill), so that a stream cut by
// "[[sim:cut]]" can be continued without being cut again.
func directivePrompt(a sim.Ask) string {
	if a.Prefill != "" {
		return ""
	}
	return a.Prompt
}
