package anthropic

import "errors"

// ErrPrematureEnd is the cause of the error returned when an Anthropic
// stream ends before message_stop.
var ErrPrematureEnd = errors.New("anthropic: stream ended before message_stop")
