package responses

import (
	"cmp"
	"encoding/json"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// This file kinds the errors an upstream's Responses API stream ends
// with: an error event's, a failed response's.

// eventError is the error of an error event: its top-level fields, or
// where they are empty those of its nested error object.
func eventError(ev *upstreamEvent) *llm.Error {
	code, msg, param, typ := deref(ev.Code), deref(ev.Message), deref(ev.Param), ""
	if n := ev.Error; n != nil {
		code, msg, param = cmp.Or(code, deref(n.Code)), cmp.Or(msg, deref(n.Message)), cmp.Or(param, deref(n.Param))
		typ = deref(n.Type)
	}
	e := upstreamError(code, typ, msg) // a type alone kinds it too: invalid_request_error…
	e.Param = param
	return e
}

// UpstreamError is the *llm.Error of an upstream's error code and message
// (an error event's, a failed response's), kinded as OpenAI's error
// bodies are (rate_limit_exceeded a rate limit; server_error, or no code,
// a retryable upstream failure; context_length_exceeded an invalid
// request with that code), and by the codes of a failed response's
// error (responseErrorType).
func UpstreamError(code, message string) *llm.Error { return upstreamError(code, "", message) }

// upstreamError is UpstreamError with the error's type, which kinds it
// when its code does not.
func upstreamError(code, typ, message string) *llm.Error {
	if message == "" {
		message = "upstream reported an error"
		if code != "" {
			message += " (" + code + ")"
		}
	}
	if typ == "" {
		typ = responseErrorType(code)
	}
	body, _ := json.Marshal(map[string]map[string]string{"error": {"code": code, "type": typ, "message": message}})
	e := wire.DecodeStreamError(body)
	if code == codeDataResidency {
		e.Retryable = false
	}
	return e
}

// codeDataResidency is the failed response of a project whose data
// residency does not match the endpoint: the deployment's configuration,
// which another deployment may not share, but a retry on it cannot mend.
const codeDataResidency = "data_residency_mismatch"

// responseErrorType is the error type that kinds a code of OpenAI's
// ResponseError (what a failed response's error.code holds, beyond the
// codes of its error bodies) when the upstream gave none: the caller's
// prompt refused by a policy, or its image unusable, an invalid request
// (no other deployment would take it, and it says nothing of this one's
// health); a vector store's timeout (file_search) a timeout; "" for the
// others (server_error, rate_limit_exceeded, data_residency_mismatch),
// which their code kinds.
func responseErrorType(code string) string {
	switch code {
	case "invalid_prompt", "bio_policy", "misalignment_policy_violation",
		"invalid_image", "invalid_image_format", "invalid_base64_image", "invalid_image_url", "invalid_image_mode",
		"image_too_large", "image_too_small", "image_parse_error", "image_content_policy_violation",
		"image_file_too_large", "unsupported_image_media_type", "empty_image_file", "failed_to_download_image",
		"image_file_not_found":
		return "invalid_request_error"
	case "vector_store_timeout":
		return "timeout_error"
	}
	return ""
}
