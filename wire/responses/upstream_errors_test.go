package responses

import (
	"net/http"
	"testing"

	"switchyard/llm"
)

// TestUpstreamResponseErrorCodes: each code of OpenAI's ResponseError (a
// failed response's error, openai-go's ResponseErrorCode) is kinded by
// what it says: the server's failure or a rate limit retryable; a vector
// store's timeout a retryable timeout; the caller's prompt or image
// (refused by policy, undecodable, too large, not found) an invalid
// request, never retried nor failed over nor held against the deployment,
// a 400 with its code; a project whose data residency does not match the
// endpoint the deployment's own mistake, which a retry there cannot mend.
// Both a failed response and an error event carrying the code.
func TestUpstreamResponseErrorCodes(t *testing.T) {
	invalid := []string{"invalid_prompt", "bio_policy", "misalignment_policy_violation",
		"invalid_image", "invalid_image_format", "invalid_base64_image", "invalid_image_url", "image_too_large",
		"image_too_small", "image_parse_error", "image_content_policy_violation", "invalid_image_mode",
		"image_file_too_large", "unsupported_image_media_type", "empty_image_file", "failed_to_download_image",
		"image_file_not_found"}
	type want struct {
		kind      llm.ErrorKind
		retryable bool
		status    int
	}
	cases := map[string]want{
		"server_error":            {llm.KindUpstream, true, http.StatusBadGateway},
		"rate_limit_exceeded":     {llm.KindRateLimit, true, http.StatusTooManyRequests},
		"vector_store_timeout":    {llm.KindTimeout, true, http.StatusGatewayTimeout},
		"data_residency_mismatch": {llm.KindUpstream, false, http.StatusBadGateway},
		"":                        {llm.KindUpstream, true, http.StatusBadGateway},
	}
	for _, c := range invalid {
		cases[c] = want{llm.KindInvalidRequest, false, http.StatusBadRequest}
	}
	for code, w := range cases {
		for _, ev := range []string{
			`{"type":"response.failed","sequence_number":9,"response":{"id":"r","status":"failed","error":{"code":"` + code + `","message":"it failed"}}}`,
			`{"type":"error","sequence_number":9,"code":"` + code + `","message":"it failed","param":null}`,
		} {
			var d UpstreamDecoder
			_, end, err := d.Event([]byte(ev), nil)
			e := llm.AsError(err)
			if end || e == nil || e.Kind != w.kind || e.Retryable != w.retryable || e.HTTPStatus() != w.status || e.Code != code || e.Message != "it failed" {
				t.Errorf("%s: %+v (end %v), want kind %s retryable %v status %d", ev, e, end, w.kind, w.retryable, w.status)
			}
		}
	}
}
