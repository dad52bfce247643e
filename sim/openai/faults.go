package openai

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"switchyard/sim"
)

// Simulator-only fault kinds, driven by prompt directives on the Azure
// server: "[[sim:content_filter]]" rejects the prompt as Azure's content
// filter does (400, code content_filter); "[[sim:content_filter_output]]"
// cuts the answer short with finish_reason content_filter.
const (
	faultContentFilter       sim.FaultKind = sim.FaultContentFilter
	faultContentFilterOutput sim.FaultKind = "content_filter_output"
)

// Default pauses of the slow and stall faults when none is given.
const (
	defaultSlow  = 2 * time.Second
	defaultStall = 30 * time.Second
)

func faultDelay(ft sim.Fault) time.Duration {
	switch {
	case ft.Delay > 0:
		return ft.Delay
	case ft.Kind == sim.FaultStall:
		return defaultStall
	}
	return defaultSlow
}

// failEarly applies the faults that strike before any answer, then the
// profile's random error rate. It reports whether the request is done
// (answered, reset, or abandoned by the client).
func (s *server) failEarly(c *call, ft sim.Fault, p *sim.Profile) bool {
	switch ft.Kind {
	case sim.FaultSlow:
		if !sim.Sleep(c.r.Context(), faultDelay(ft)) {
			return true
		}
	case sim.FaultRateLimit:
		s.rateLimited(c, ft, p.Model)
		return true
	case sim.FaultFlexUnavailable:
		flexUnavailable(c, ft)
		return true
	case sim.FaultServerError:
		s.serverError(c)
		return true
	case sim.FaultUnavailable, sim.FaultOutage:
		s.unavailable(c)
		return true
	case sim.FaultReset:
		sim.Reset(c.w)
		return true
	case sim.FaultHang:
		<-c.r.Context().Done()
		return true
	case sim.FaultHTML:
		sim.WriteHTML(c.w)
		return true
	case faultContentFilter:
		if s.azure {
			c.writeJSON(http.StatusBadRequest, []byte(azureContentFilterError))
			return true
		}
	}
	if p.FailsAtRandom() {
		s.serverError(c)
		return true
	}
	return false
}

// rateLimited answers 429 with Retry-After and the x-ratelimit-* headers.
func (s *server) rateLimited(c *call, ft sim.Fault, model string) {
	secs := ft.RetryAfterSeconds()
	h := c.w.Header()
	h.Set("Retry-After", secs)
	if s.azure {
		n, _ := strconv.Atoi(secs)
		h.Set("Retry-After-Ms", strconv.Itoa(n*1000))
		h.Set("X-Ratelimit-Remaining-Requests", "0")
		h.Set("X-Ratelimit-Remaining-Tokens", "0")
		version := c.r.URL.Query().Get("api-version")
		if version == "" {
			version = "v1"
		}
		c.azureFail(http.StatusTooManyRequests, "429", fmt.Sprintf("Requests to the ChatCompletions_Create Operation under Azure OpenAI API version %s have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after %s seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.", version, secs))
		return
	}
	h.Set("X-Ratelimit-Limit-Requests", "500")
	h.Set("X-Ratelimit-Remaining-Requests", "0")
	h.Set("X-Ratelimit-Reset-Requests", secs+"s")
	h.Set("X-Ratelimit-Limit-Tokens", "30000")
	h.Set("X-Ratelimit-Remaining-Tokens", "29000")
	h.Set("X-Ratelimit-Reset-Tokens", "2s")
	c.fail(http.StatusTooManyRequests, apiError{
		Message: fmt.Sprintf("Rate limit reached for %s in organization org-sim on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in %ss. Visit https://platform.openai.com/account/rate-limits to learn more.", model, secs),
		Type:    "requests",
		Code:    "rate_limit_exceeded",
	})
}

// flexUnavailable refuses a flex request for want of capacity. OpenAI's
// flex processing guide documents the status and the error code (429,
// resource_unavailable: "Resource Unavailable", not billed) but not the
// body, so this one is built in OpenAI's error shape: the code, a message
// saying what happened and what to do, type server_error (the capacity
// is OpenAI's, not the caller's limit) and a null param. Retry-After is
// sent only when the rule sets retry_after: the guide names no header.
func flexUnavailable(c *call, ft sim.Fault) {
	if ft.RetryAfter > 0 {
		c.w.Header().Set("Retry-After", ft.RetryAfterSeconds())
	}
	c.fail(http.StatusTooManyRequests, apiError{
		Message: "Resource Unavailable: flex processing has no capacity for this request right now. Retry later, or send it without service_tier flex to be served at the default tier.",
		Type:    "server_error",
		Code:    "resource_unavailable",
	})
}

// okRateHeaders sets the x-ratelimit-* headers of a served request.
func (s *server) okRateHeaders(c *call) {
	h := c.w.Header()
	if s.azure {
		h.Set("X-Ratelimit-Remaining-Requests", "99")
		h.Set("X-Ratelimit-Remaining-Tokens", "99000")
		return
	}
	h.Set("X-Ratelimit-Limit-Requests", "10000")
	h.Set("X-Ratelimit-Remaining-Requests", "9999")
	h.Set("X-Ratelimit-Reset-Requests", "6ms")
	h.Set("X-Ratelimit-Limit-Tokens", "30000000")
	h.Set("X-Ratelimit-Remaining-Tokens", "29999000")
	h.Set("X-Ratelimit-Reset-Tokens", "2ms")
}

func (s *server) serverError(c *call) {
	if s.azure {
		c.azureFail(http.StatusInternalServerError, "InternalServerError", "The service encountered an internal error. Please retry.")
		return
	}
	c.fail(http.StatusInternalServerError, apiError{
		Message: "The server had an error while processing your request. Sorry about that!",
		Type:    "server_error",
	})
}

func (s *server) unavailable(c *call) {
	if s.azure {
		c.azureFail(http.StatusServiceUnavailable, "ServiceUnavailable", "The service is temporarily unable to process your request. Please try again later.")
		return
	}
	c.fail(http.StatusServiceUnavailable, apiError{
		Message: "The server is overloaded or not ready yet.",
		Type:    "server_error",
	})
}

// azureContentFilterError is Azure's answer to a prompt its content filter
// rejects.
const azureContentFilterError = `{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766","type":null,"param":"prompt","code":"content_filter","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{"hate":{"filtered":true,"severity":"high"},"jailbreak":{"filtered":false,"detected":false},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}}}}
`

// azureStreamPreamble is the first event of an Azure stream: the prompt
// filter results, with no choices.
const azureStreamPreamble = `{"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"jailbreak":{"filtered":false,"detected":false},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}}]}`
