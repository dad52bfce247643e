package anthropic

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// apiError is a request the simulator refuses, as the API would.
type apiError struct {
	t   wire.ErrorType
	msg string
}

func invalid(format string, args ...any) *apiError {
	return &apiError{wire.InvalidRequestError, fmt.Sprintf(format, args...)}
}

// refused turns an error of the wire package's decoder or validator (an
// *llm.Error worded as the API words it) into the API's answer.
func refused(err error) *apiError {
	e := llm.AsError(err)
	return &apiError{wire.ErrorTypeFor(e.Kind), e.Message}
}

// decodeRequest reads and decodes a Messages request body, checking the
// JSON, unknown fields and required fields (wire.DecodeMessagesRequest).
// For count_tokens, max_tokens is optional (nil without it).
func decodeRequest(w http.ResponseWriter, r *http.Request, count bool) (*wire.MessagesRequest, *apiError) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &apiError{wire.RequestTooLarge, "Request exceeds the maximum allowed number of bytes."}
		}
		return nil, invalid("could not read the request body")
	}
	req, err := wire.DecodeMessagesRequest(body, count)
	if err != nil {
		return nil, refused(err)
	}
	req.Betas = wire.KeptBetas(r.Header.Values("anthropic-beta")) // the ones whose rules it knows
	if count {
		req.Compaction = nil // count_tokens takes it and ignores it
	}
	req.UserProfileID = r.Header.Get(wire.HeaderUserProfileID)
	return req, nil
}

// validate checks a decoded request against the model, as the API does:
// max_tokens against the model's output limit, then everything
// wire.Validate checks. It returns nil for a valid request.
func validate(req *wire.MessagesRequest, p *sim.Profile) *apiError {
	if mt := req.MaxTokens; mt != nil && *mt > p.MaxOutput() {
		return invalid("max_tokens: %d > %d, which is the maximum allowed number of output tokens for %s", *mt, p.MaxOutput(), p.Model)
	}
	if err := ConversationError(req); err != nil {
		return refused(err)
	}
	if e := checkModel(req, p); e != nil {
		return e
	}
	if e := checkStructuredModel(req, p); e != nil {
		return e
	}
	if e := checkEffortModel(req, p); e != nil {
		return e
	}
	if e := checkTurnEffortModel(req, p); e != nil {
		return e
	}
	if e := checkThinkingHistory(req); e != nil {
		return e
	}
	if e := checkServerHistory(req); e != nil {
		return e
	}
	if e := checkWebSearchTools(req, p.Model); e != nil {
		return e
	}
	if e := checkAdvisor(req); e != nil {
		return e
	}
	return checkPropertyKeys(req)
}

// checkStructuredModel refuses structured outputs (a format, strict
// tools) on a model that has none (wire.NativeStructuredOutput).
func checkStructuredModel(req *wire.MessagesRequest, p *sim.Profile) *apiError {
	if wire.NativeStructuredOutput(p.Model) {
		return nil
	}
	if req.OutputConfig != nil && req.OutputConfig.Format != nil {
		return invalid("output_config.format: %s does not support structured outputs", p.Model)
	}
	if req.OutputFormat != nil {
		return invalid("output_format: %s does not support structured outputs", p.Model)
	}
	for i, t := range req.Tools {
		if t.Strict {
			return invalid("tools.%d.strict: %s does not support strict tool use", i, p.Model)
		}
	}
	return nil
}

// checkTurnEffortModel refuses a system message's output_config (taken
// under the per-turn beta, wire.Validate) on a model without per-turn
// effort (wire.Traits.PerTurnEffort), and a level the model lacks. The
// wording is ours: Anthropic documents neither.
func checkTurnEffortModel(req *wire.MessagesRequest, p *sim.Profile) *apiError {
	for i := range req.Messages {
		oc := req.Messages[i].OutputConfig
		switch {
		case oc == nil:
		case !wire.ModelTraits(p.Model).PerTurnEffort:
			return invalid("messages.%d.output_config: %s does not support per-turn output_config", i, p.Model)
		case oc.Effort != "" && !slices.Contains(wire.Efforts(p.Model), llm.Effort(oc.Effort)):
			return invalid("messages.%d.output_config.effort: %q is not supported by %s", i, oc.Effort, p.Model)
		}
	}
	return nil
}

// checkEffortModel refuses output_config.effort on a model that takes
// none, and a level the model lacks (wire.Efforts; the wording is ours:
// Anthropic documents which models take which levels, not its message).
func checkEffortModel(req *wire.MessagesRequest, p *sim.Profile) *apiError {
	oc := req.OutputConfig
	if oc == nil || oc.Effort == "" {
		return nil
	}
	levels := wire.Efforts(p.Model)
	if levels == nil {
		return invalid("output_config.effort: %s does not support the effort parameter", p.Model)
	}
	if !slices.Contains(levels, llm.Effort(oc.Effort)) {
		return invalid("output_config.effort: %q is not supported by %s", oc.Effort, p.Model)
	}
	return nil
}
