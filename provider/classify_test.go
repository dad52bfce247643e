package provider

import (
	"testing"

	"switchyard/llm"
)

// Each upstream's own words for "does not fit the context window" and
// "rejected by the content policy" (bodies from their documentation and
// observed answers) map to one code the dispatcher acts on.
func TestClassifyUpstreamRejections(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
		want       string
	}{
		{"openai context", `{"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}`, 400, llm.CodeContextLength},
		{"azure content filter", `{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.","type":null,"param":"prompt","code":"content_filter","status":400}}`, 400, llm.CodeContentFilter},
		{"anthropic context", `{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 208310 tokens > 200000 maximum"}}`, 400, llm.CodeContextLength},
		{"anthropic content filter", `{"type":"error","error":{"type":"invalid_request_error","message":"Output blocked by content filtering policy"}}`, 400, llm.CodeContentFilter},
		{"gemini context", `{"error":{"code":400,"message":"The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}`, 400, llm.CodeContextLength},
		{"other 400", `{"error":{"message":"'messages' is a required property","type":"invalid_request_error"}}`, 400, ""},
		{"a 500 is never one", `{"error":{"message":"context length bookkeeping failed"}}`, 500, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := response(tt.status, nil, tt.body)
			e := ErrorFromResponse("up", testSecret, resp, nil)
			if e.Code != tt.want {
				t.Errorf("code = %q, want %q (message %q)", e.Code, tt.want, e.Message)
			}
			if tt.want != "" && e.Retryable {
				t.Error("a rejection of the request must not be retried on the same deployment")
			}
		})
	}
}

// ContextTokens reads how many tokens each upstream's context window
// rejection says the request needed.
func TestContextTokens(t *testing.T) {
	for msg, want := range map[string]int{
		"upstream a returned 400: prompt is too long: 208310 tokens > 200000 maximum":                                                                                         208310,
		"upstream o returned 400: This model's maximum context length is 128000 tokens. However, you requested 128001 tokens (14 in the messages, 127987 in the completion).": 128001,
		"upstream o returned 400: This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.":                                    130000,
		"upstream g returned 400: The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).":                                                    1200000,
		"upstream v returned 400: context window exceeded":                                                                                                                    0,
	} {
		if got := ContextTokens(&llm.Error{Code: llm.CodeContextLength, Message: msg}); got != want {
			t.Errorf("%q: %d, want %d", msg, got, want)
		}
	}
	if got := ContextTokens(&llm.Error{Message: "prompt is too long: 5 tokens > 4 maximum"}); got != 0 {
		t.Errorf("an error of another code: %d", got)
	}
}
