package openai

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	oai "github.com/openai/openai-go/v3"

	"switchyard/llm"
)

func TestAppendError(t *testing.T) {
	tests := []struct {
		e    *llm.Error
		want string
	}{
		{&llm.Error{Kind: llm.KindInvalidRequest, Message: "Invalid 'temperature'.", Param: "temperature"},
			`{"error":{"message":"Invalid 'temperature'.","type":"invalid_request_error","param":"temperature","code":null}}`},
		{&llm.Error{Kind: llm.KindRateLimit, Message: "slow down", Code: "rate_limit_exceeded"},
			`{"error":{"message":"slow down","type":"rate_limit_error","param":null,"code":"rate_limit_exceeded"}}`},
		{&llm.Error{Kind: llm.KindUnavailable},
			`{"error":{"message":"Service Unavailable","type":"service_unavailable_error","param":null,"code":null}}`},
		{&llm.Error{Kind: llm.KindCanceled},
			`{"error":{"message":"error 499","type":"request_canceled","param":null,"code":null}}`},
		{nil, `{"error":{"message":"Internal Server Error","type":"server_error","param":null,"code":null}}`},
	}
	for _, tt := range tests {
		if got := string(AppendError(nil, tt.e)); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
	}
	var body struct{ Error oai.Error }
	if err := json.Unmarshal(AppendError(nil, tests[1].e), &body); err != nil || body.Error.Code != "rate_limit_exceeded" || body.Error.Type != "rate_limit_error" {
		t.Errorf("SDK reads %+v, %v", body.Error, err)
	}
}

func TestErrorType(t *testing.T) {
	want := map[llm.ErrorKind]string{
		llm.KindInvalidRequest: "invalid_request_error", llm.KindAuth: "invalid_request_error", llm.KindNotFound: "invalid_request_error",
		llm.KindTooLarge: "invalid_request_error", llm.KindUnprocessable: "invalid_request_error", llm.KindPermission: "permission_error",
		llm.KindRateLimit: "rate_limit_error", llm.KindUpstream: "server_error", llm.KindInternal: "server_error", "bogus": "server_error",
		llm.KindUnavailable: "service_unavailable_error", llm.KindTimeout: "timeout_error", llm.KindCanceled: "request_canceled",
	}
	for k, w := range want {
		if got := ErrorType(k); got != w {
			t.Errorf("ErrorType(%s) = %s, want %s", k, got, w)
		}
	}
}

// googleCompatError is the 400 Google's OpenAI compatibility endpoint
// answers a Gemini 3 request whose tool call lacks its thought signature,
// as peers captured it (manthanabc/paws#103, niki914/zafiro#100,
// securo-finance/securo#884): a JSON array around Google's error object.
const googleCompatError = `[{
  "error": {
    "code": 400,
    "message": "` + googleCompatMessage + `",
    "status": "INVALID_ARGUMENT"
  }
}
]`

const googleCompatMessage = "Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call `default_api:get_weather` , position 2. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details."

func TestDecodeErrorMessage(t *testing.T) {
	tests := map[string]string{
		`{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`: "Incorrect API key provided.",
		`{"error":"plain"}`: "plain",
		`{"object":"error","message":"vllm says","type":"BadRequestError","param":null,"code":400}`: "vllm says",
		`{"detail":"Not Found"}`: "Not Found",
		googleCompatError:        googleCompatMessage,
		`{"error":null}`:         "",
		`{"id":"x"}`:             "",
		`<html>502</html>`:       "",
		`{"error":{"message":`:   "",
		``:                       "",
	}
	for body, want := range tests {
		if got := DecodeErrorMessage([]byte(body)); got != want {
			t.Errorf("DecodeErrorMessage(%s) = %q, want %q", body, got, want)
		}
	}
}

func TestDecodeStreamError(t *testing.T) {
	tests := []struct {
		body      string
		kind      llm.ErrorKind
		retryable bool
		code      string
	}{
		{`{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}`, llm.KindUpstream, true, ""},
		{`{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}`, llm.KindRateLimit, true, "rate_limit_exceeded"},
		{`{"error":{"message":"overloaded","type":"service_unavailable_error","code":"server_is_overloaded"}}`, llm.KindUnavailable, true, "server_is_overloaded"},
		{`{"error":{"message":"too long","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}`, llm.KindInvalidRequest, false, "context_length_exceeded"},
		{`{"error":{"message":"bad key","type":"invalid_request_error","code":"invalid_api_key"}}`, llm.KindUpstream, false, "invalid_api_key"},
		{`{"object":"error","message":"x","type":"BadRequestError","code":400}`, llm.KindInvalidRequest, false, ""},
		{`{"object":"error","message":"x","type":"InternalServerError","code":500}`, llm.KindUpstream, true, ""},
		{`{"error":"boom"}`, llm.KindUpstream, true, ""},
		// Google's OpenAI compatibility endpoint answers a JSON array
		// holding Google's error object (peers' threads:
		// manthanabc/paws#103, niki914/zafiro#100).
		{googleCompatError, llm.KindInvalidRequest, false, ""},
		{`[{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}]`, llm.KindRateLimit, true, ""},
		{`[{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}]`, llm.KindUnavailable, true, ""},
		{`[{"error":{"message":"m","status":"INVALID_ARGUMENT"}}]`, llm.KindInvalidRequest, false, ""},
	}
	for _, tt := range tests {
		e := DecodeStreamError([]byte(tt.body))
		if e == nil {
			t.Errorf("%s: not an error", tt.body)
			continue
		}
		if e.Kind != tt.kind || e.Retryable != tt.retryable || e.Code != tt.code || e.Message == "" {
			t.Errorf("%s: got kind %s retryable %v code %q message %q", tt.body, e.Kind, e.Retryable, e.Code, e.Message)
		}
	}
	for _, body := range []string{`{"id":"x","choices":[{"delta":{"content":"error"}}]}`, `{"error":null,"id":"x"}`, `[DONE]`, `{`, `[]`, `[1]`, `[{"id":"x"}]`} {
		if e := DecodeStreamError([]byte(body)); e != nil {
			t.Errorf("%s: unexpected error %v", body, e)
		}
	}
}

// An error payload whose "error" key or "object" value is spelled with a
// \u escape (valid JSON) is still the error it says, not a chunk with
// nothing in it that the stream would pass over.
func TestDecodeChunkEscapedError(t *testing.T) {
	for _, body := range []string{
		`{"\u0065rror":{"message":"boom","type":"server_error"}}`,
		`{"object":"err\u006fr","message":"boom","code":500}`,
	} {
		if !MayHoldStreamError([]byte(body)) {
			t.Errorf("%s: MayHoldStreamError passes it over", body)
		}
		c, err := DecodeChunk([]byte(body))
		var le *llm.Error
		if !errors.As(err, &le) || le.Message != "boom" {
			t.Errorf("%s: got %+v, %v; want the upstream's error", body, c, err)
		}
	}
}

func TestUpstreamErrorsInPayloads(t *testing.T) {
	body := []byte(`{"error":{"message":"quota","type":"insufficient_quota","code":"insufficient_quota"}}`)
	_, err1 := DecodeChatResponse(body)
	_, err2 := DecodeChunk(body)
	_, err3 := DecodeEmbeddingResponse(body)
	for _, err := range []error{err1, err2, err3} {
		var e *llm.Error
		if !errors.As(err, &e) || e.Kind != llm.KindRateLimit || e.Message != "quota" {
			t.Errorf("got %v", err)
		}
	}
	for _, bad := range []string{`{"choices":5}`, `{"choices":[{"message":{"content":5},"delta":{"content":5}}]}`, `{"id":`, `[1]`, `{"usage":{"prompt_tokens":"x"}}`} {
		_, err1 := DecodeChatResponse([]byte(bad))
		_, err2 := DecodeChunk([]byte(bad))
		for _, err := range []error{err1, err2} {
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindUpstream || !e.Retryable {
				t.Errorf("%s: got %v", bad, err)
			}
		}
	}
}

func TestLenientUpstreamPayloads(t *testing.T) {
	r, err := DecodeChatResponse([]byte(`{"id":"x","created":1.7e9,"model":null,"choices":[{"index":0,"message":{"content":[{"type":"text","text":"a"},{"type":"text","text":"b"}],
		"reasoning_content":"hmm","tool_calls":[{"id":"c","function":{"name":"f","arguments":{"k":1}}}]},"finish_reason":"tool_calls"}],
		"usage":{"prompt_tokens":3.0,"completion_tokens":null,"total_tokens":3,"prompt_tokens_details":null}}`))
	if err != nil {
		t.Fatal(err)
	}
	m := r.Choices[0].Message
	if r.Created != 1.7e9 || m.Role != "assistant" || m.Text() != "ab" || m.ToolCalls()[0].Arguments != `{"k":1}` || m.ToolCalls()[0].Type != "function" || r.Usage.PromptTokens != 3 {
		t.Errorf("got %+v", r)
	}
	c, err := DecodeChunk([]byte(`{"id":"x","choices":[{"delta":{"content":null,"tool_calls":[{"function":{"arguments":"{}"}}]},"finish_reason":null}],"obfuscation":"abc","usage":null}`))
	if err != nil || c.Choices[0].Delta.ToolCalls[0].Arguments != "{}" || c.Usage != nil {
		t.Errorf("got %+v, %v", c, err)
	}
}

// FuzzDecodeStreamError checks that no payload makes the error decoder
// fail other than by finding no error, and that an error it finds has a
// message.
func FuzzDecodeStreamError(f *testing.F) {
	for _, seed := range []string{googleCompatError, `[{"error":{"code":403,"message":"m","status":"PERMISSION_DENIED"}}]`, `[]`, `[1,{"error":"x"}]`,
		`{"error":{"message":"x","type":"server_error","code":"c"}}`, `{"object":"error","message":"x","code":500}`, `{"detail":"d"}`, `[{"error":{"status":5}}]`} {
		f.Add([]byte(seed))
	}
	f.Add([]byte(`{"\u0065rror":{"message":"x"}}`))
	f.Add([]byte(`{"object":"e\u0072ro\u0072","message":"x"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e := DecodeStreamError(data)
		if e != nil && e.Message == "" {
			t.Fatalf("%s: error without a message", data)
		}
		if e != nil && !MayHoldStreamError(data) && namesError(data) { // the stream would pass it over
			t.Fatalf("%s: an error payload MayHoldStreamError passes over", data)
		}
		if msg := DecodeErrorMessage(data); e == nil && msg != "" {
			t.Fatalf("%s: message %q without an error", data, msg)
		}
	})
}

// An upstream's overload carries OpenAI's own overload code whatever the
// upstream called it, or nothing; the router's own 503s keep theirs, and
// other kinds keep their codes.
func TestErrorCodeOverloaded(t *testing.T) {
	for _, tt := range []struct {
		name string
		e    *llm.Error
		want string
	}{
		{"Anthropic's 529, no code", &llm.Error{Kind: llm.KindUnavailable, Provider: "anthropic"}, CodeOverloaded},
		{"Anthropic's overloaded_error event", &llm.Error{Kind: llm.KindUnavailable, Code: "overloaded_error"}, CodeOverloaded},
		{"Azure's ServiceUnavailable", &llm.Error{Kind: llm.KindUnavailable, Provider: "azure", Code: "ServiceUnavailable"}, CodeOverloaded},
		{"Gemini's UNAVAILABLE", &llm.Error{Kind: llm.KindUnavailable, Code: "UNAVAILABLE"}, CodeOverloaded},
		{"OpenAI's own", &llm.Error{Kind: llm.KindUnavailable, Provider: "openai", Code: CodeOverloaded}, CodeOverloaded},
		{"an open breaker", &llm.Error{Kind: llm.KindUnavailable}, ""},
		{"no candidate", &llm.Error{Kind: llm.KindUnavailable, Code: "no_candidate"}, "no_candidate"},
		{"the router's own admission limit", &llm.Error{Kind: llm.KindUnavailable, Code: "server_overloaded"}, "server_overloaded"},
		{"an expired lease, from an upstream", &llm.Error{Kind: llm.KindUnavailable, Provider: "openai", Code: "background_lease_expired"}, "background_lease_expired"},
		{"a server error", &llm.Error{Kind: llm.KindUpstream, Provider: "openai"}, ""},
		{"a rate limit", &llm.Error{Kind: llm.KindRateLimit, Provider: "openai", Code: "rate_limit_exceeded"}, "rate_limit_exceeded"},
	} {
		if got := ErrorCode(tt.e); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
		if body := string(AppendError(nil, tt.e)); tt.want == CodeOverloaded && !strings.Contains(body, `"code":"server_is_overloaded"`) {
			t.Errorf("%s: body %s", tt.name, body)
		}
	}
}

// namesError reports whether the JSON data, as encoding/json reads it
// (escapes undone), is an object, or an array whose first element is one,
// with an "error" member or an "object" member "error": the payloads a
// stream knows for errors ({"detail":...} alone is not one of them).
func namesError(data []byte) bool {
	var v any
	if json.Unmarshal(data, &v) != nil {
		return false
	}
	if a, ok := v.([]any); ok && len(a) > 0 {
		v = a[0]
	}
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	_, has := m["error"]
	return has || m["object"] == "error"
}
