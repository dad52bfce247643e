package e2e

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"switchyard/provider/providertest"
)

// The fault matrix's second half: an upstream refusing the deployment's
// key or model, the 4xx a valid request may still get from one upstream,
// errors sent with status 200, content encodings, a short body and slow
// bytes. Each body is the provider's own error JSON, as its API reference
// or its servers word it (cited at each).

// moreMatrixFaults are the faults of the matrix's second half.
func moreMatrixFaults() []matrixFault {
	return []matrixFault{
		// The deployment's key is refused: its fault, not the client's,
		// whose key to the router was fine; a 502 that says so.
		{name: "401 bad key", fault: refusal(http.StatusUnauthorized, badKeyJSON), says: "rejected the configured credentials"},
		{name: "403 no permission", fault: refusal(http.StatusForbidden, forbiddenJSON), says: "rejected the configured credentials"},
		// The deployment's model does not exist: its misconfiguration.
		{name: "404 model not found", fault: refusal(http.StatusNotFound, modelNotFoundJSON), says: "model"},
		// A parameter this deployment's model refuses, in the provider's
		// words: a misfit (dispatch/misfit.go), which another model may take.
		{name: "400 unsupported parameter", fault: refusal(http.StatusBadRequest, unsupportedJSON), status: http.StatusBadRequest, says: "said:"},
		{name: "408 from a proxy", fault: refusal(http.StatusRequestTimeout, requestTimeoutBody), status: http.StatusGatewayTimeout},
		{name: "413 request too large", fault: refusal(http.StatusRequestEntityTooLarge, tooLargeBody), status: http.StatusRequestEntityTooLarge},
		{name: "422 unprocessable", fault: refusal(http.StatusUnprocessableEntity, unprocessableJSON), status: http.StatusUnprocessableEntity, final: true},
		// Errors sent with 200, as OpenRouter and some proxies do.
		{name: "200 with an error JSON", fault: func(w http.ResponseWriter, r *http.Request, f providertest.Format) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, okErrorJSON(r, f))
		}},
		{name: "200 stream of an error data line", fault: events(func(f providertest.Format) string { return f.Start + errorDataLine(f) })},
		{name: "gzip", is: intact, fault: func(w http.ResponseWriter, _ *http.Request, f providertest.Format) {
			w.Header().Set("Content-Type", "text/event-stream")
			w.Header().Set("Content-Encoding", "gzip")
			io.WriteString(w, gzipString(whole(f)))
		}},
		{name: "corrupt gzip", fault: func(w http.ResponseWriter, _ *http.Request, f providertest.Format) {
			w.Header().Set("Content-Type", "text/event-stream")
			w.Header().Set("Content-Encoding", "gzip")
			io.WriteString(w, whole(f)) // not gzip at all
		}},
		{name: "Content-Length past the body", is: late, fault: func(w http.ResponseWriter, _ *http.Request, f providertest.Format) {
			w.Header().Set("Content-Type", "text/event-stream")
			w.Header().Set("Content-Length", strconv.Itoa(len(whole(f))))
			io.WriteString(w, f.Start+f.Text("Hel")) // then the connection closes
		}},
		{name: "slow drip", is: intact, fault: drip(8, 2*time.Millisecond)},
		{name: "slow drip past the deadline", status: http.StatusGatewayTimeout, fault: drip(1, 150*time.Millisecond)},
	}
}

// refusal answers st with the body body gives for the request and format.
func refusal(st int, body func(r *http.Request, f providertest.Format) string) upstreamFault {
	return func(w http.ResponseWriter, r *http.Request, f providertest.Format) {
		b, st := body(r, f), st
		if st == http.StatusUnauthorized && upstreamOf(r, f) == "gemini" {
			st = http.StatusBadRequest // Gemini's answer to a bad key (badKeyJSON)
		}
		ct := "application/json"
		if strings.HasPrefix(b, "<") {
			ct = "text/html"
		}
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(st)
		io.WriteString(w, b)
	}
}

// upstreamOf names the provider a request to the hostile upstream is for:
// "openai", "azure", "anthropic" or "gemini".
func upstreamOf(r *http.Request, f providertest.Format) string {
	switch {
	case f.ErrorJSON == providertest.Anthropic.ErrorJSON:
		return "anthropic"
	case f.ErrorJSON == providertest.Gemini.ErrorJSON:
		return "gemini"
	case strings.Contains(r.URL.Path, "/deployments/"):
		return "azure"
	}
	return "openai"
}

// cellModelOf is the upstream model the request names (cellHeader).
func cellModelOf(r *http.Request) string { return r.Header.Get(cellHeader) }

// cellHeader is the request header the hostile upstream notes the
// request's upstream model in before it answers.
const cellHeader = "X-Test-Cell-Model"

// badKeyJSON is each provider's answer to a wrong or revoked key. OpenAI
// quotes the key (here whole, to prove it is redacted); Azure's 401 and
// Anthropic's authentication_error as their references give them; Gemini
// answers a bad key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID
// (sim/gemini/server.go; refusal sends it so).
func badKeyJSON(r *http.Request, f providertest.Format) string {
	switch upstreamOf(r, f) {
	case "azure":
		return `{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."}}`
	case "anthropic":
		return `{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}`
	case "gemini":
		return `{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com"}}]}}`
	}
	return `{"error":{"message":"Incorrect API key provided: ` + providertest.Secret + `. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`
}

// forbiddenJSON is each provider's 403: OpenAI's unsupported region,
// Azure's key authentication disabled, Anthropic's permission_error,
// Gemini's suspended consumer (PERMISSION_DENIED).
func forbiddenJSON(r *http.Request, f providertest.Format) string {
	switch upstreamOf(r, f) {
	case "azure":
		return `{"error":{"code":"AuthenticationTypeDisabled","message":"Key based authentication is disabled for this resource."}}`
	case "anthropic":
		return `{"type":"error","error":{"type":"permission_error","message":"Your API key does not have permission to use the specified resource."},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}`
	case "gemini":
		return `{"error":{"code":403,"message":"Permission denied: Consumer 'api_key:` + providertest.Secret + `' has been suspended.","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"CONSUMER_SUSPENDED","domain":"googleapis.com"}]}}`
	}
	return `{"error":{"code":"unsupported_country_region_territory","message":"Country, region, or territory not supported","param":null,"type":"request_forbidden"}}`
}

// modelNotFoundJSON is each provider's 404 for a model it does not have
// (provider/refusal_phrases.go cites each).
func modelNotFoundJSON(r *http.Request, f providertest.Format) string {
	m := cellModelOf(r)
	switch upstreamOf(r, f) {
	case "azure":
		return `{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."}}`
	case "anthropic":
		return `{"type":"error","error":{"type":"not_found_error","message":"model: ` + m + `"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}`
	case "gemini":
		return `{"error":{"code":404,"message":"models/` + m + ` is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.","status":"NOT_FOUND"}}`
	}
	return `{"error":{"message":"The model ` + "`" + m + "`" + ` does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}}`
}

// unsupportedJSON is a 400 a valid request gets from one model only:
// OpenAI's reasoning models refusing max_tokens, Anthropic's newer models
// refusing temperature beside top_p, Gemma refusing function calling.
func unsupportedJSON(r *http.Request, f providertest.Format) string {
	switch upstreamOf(r, f) {
	case "anthropic":
		return `{"type":"error","error":{"type":"invalid_request_error","message":"` + "`temperature` and `top_p` cannot both be specified for this model. Please use only one." + `"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}`
	case "gemini":
		return `{"error":{"code":400,"message":"Function calling is not enabled for models/gemma-3-27b-it","status":"INVALID_ARGUMENT"}}`
	}
	return `{"error":{"message":"Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.","type":"invalid_request_error","param":"max_tokens","code":"unsupported_parameter"}}`
}

// requestTimeoutBody is nginx's 408 page, as a proxy in front of any
// upstream sends it.
func requestTimeoutBody(*http.Request, providertest.Format) string {
	return "<html>\r\n<head><title>408 Request Time-out</title></head>\r\n<body>\r\n<center><h1>408 Request Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
}

// tooLargeBody is Anthropic's request_too_large (its errors reference),
// and the 413 page of nginx in front of the others.
func tooLargeBody(r *http.Request, f providertest.Format) string {
	if upstreamOf(r, f) == "anthropic" {
		return `{"type":"error","error":{"type":"request_too_large","message":"Request exceeds the maximum allowed number of bytes."},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}`
	}
	return "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
}

// unprocessableJSON is the 422 of an OpenAI-compatible server built on
// FastAPI (vLLM) for a body it cannot validate, in each kind's shape.
func unprocessableJSON(r *http.Request, f providertest.Format) string {
	switch upstreamOf(r, f) {
	case "anthropic":
		return `{"type":"error","error":{"type":"invalid_request_error","message":"messages.0.content: Input should be a valid list"}}`
	case "gemini":
		return `{"error":{"code":422,"message":"Invalid JSON payload received. Unknown name \"foo\": Cannot find field.","status":"INVALID_ARGUMENT"}}`
	}
	return `{"detail":[{"type":"missing","loc":["body","messages"],"msg":"Field required","input":null}]}`
}

// okErrorJSON is an error answered with status 200 as a JSON document:
// OpenRouter's shape for the OpenAI kinds (a numeric code, metadata), each
// other provider's 500 body.
func okErrorJSON(r *http.Request, f providertest.Format) string {
	if k := upstreamOf(r, f); k == "openai" || k == "azure" {
		return `{"error":{"code":502,"message":"Provider returned error","metadata":{"raw":"upstream connect error","provider_name":"Example"}},"user_id":"user_2x"}`
	}
	return serverErrorJSON(f, http.StatusInternalServerError)
}

// errorDataLine is an error sent in a 200 stream as a data line with no
// event line: OpenRouter's mid-stream error chunk (its errors guide:
// "error" beside a choice of finish_reason "error") for the OpenAI kinds,
// the format's 500 body as a data line for the others.
func errorDataLine(f providertest.Format) string {
	if f.ErrorJSON == providertest.OpenAI.ErrorJSON {
		return `data: {"id":"cmpl-abc123","object":"chat.completion.chunk","created":1234567890,"model":"gpt-3.5-turbo","provider":"openai","error":{"code":"server_error","message":"Provider disconnected"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}` + "\n\n"
	}
	return "data: " + serverErrorJSON(f, http.StatusInternalServerError) + "\n\n"
}

// gzipString is s compressed with gzip.
func gzipString(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	io.WriteString(w, s)
	w.Close()
	return b.String()
}

// drip answers the whole answer as an event stream n bytes every
// interval, until it is sent or the router hangs up.
func drip(n int, every time.Duration) upstreamFault {
	return func(w http.ResponseWriter, r *http.Request, f providertest.Format) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for rest := whole(f); rest != ""; {
			k := min(n, len(rest))
			io.WriteString(w, rest[:k])
			w.(http.Flusher).Flush()
			rest = rest[k:]
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
			}
		}
	}
}

// openAITypeFor is the OpenAI error type of a router's answer of status.
func openAITypeFor(status int) string {
	switch status {
	case http.StatusGatewayTimeout:
		return "timeout_error"
	case http.StatusServiceUnavailable:
		return "service_unavailable_error"
	case http.StatusTooManyRequests:
		return "rate_limit_error"
	case http.StatusBadRequest, http.StatusNotFound, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
		return "invalid_request_error"
	}
	return "server_error"
}

// anthropicTypeFor is the Anthropic error type of a router's answer of
// status.
func anthropicTypeFor(status int) string {
	switch status {
	case http.StatusGatewayTimeout:
		return "timeout_error"
	case 529:
		return "overloaded_error"
	case http.StatusTooManyRequests:
		return "rate_limit_error"
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return "invalid_request_error"
	case http.StatusNotFound:
		return "not_found_error"
	case http.StatusRequestEntityTooLarge:
		return "request_too_large"
	}
	return "api_error"
}
