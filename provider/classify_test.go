package provider

import (
	"encoding/json"
	"strings"
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
		{"llama.cpp tools without --jinja", `{"error":{"code":500,"message":"tools param requires --jinja flag","type":"server_error"}}`, 500, llm.CodeModelUnsupported},
		{"llama.cpp tools with stream", `{"error":{"code":500,"message":"Cannot use tools with stream","type":"server_error"}}`, 500, llm.CodeModelUnsupported},
		{"a 500 is never one", `{"error":{"message":"context length bookkeeping failed"}}`, 500, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := response(tt.status, nil, tt.body)
			e := ErrorFromResponse("up", []string{testSecret}, resp, nil)
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

// A refusal about what the deployment is, not what the request is, has a
// code of its own in every upstream's wording (bodies from the providers'
// documentation and the threads cited in refusal_phrases.go), so the
// dispatcher can try another candidate; the caller's own mistakes keep
// none.
func TestClassifyDeploymentRefusals(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
		want       string
	}{
		{"openai unsupported parameter", `{"error":{"message":"Unsupported parameter: 'temperature' is not supported with this model.","type":"invalid_request_error","param":"temperature","code":"unsupported_parameter"}}`, 400, llm.CodeModelUnsupported},
		{"openai unsupported value", `{"error":{"message":"Unsupported value: 'reasoning_effort' does not support 'minimal' with this model. Supported values are: 'low', 'medium', and 'high'.","type":"invalid_request_error","param":"reasoning_effort","code":"unsupported_value"}}`, 400, llm.CodeModelUnsupported},
		{"openai output limit", `{"error":{"message":"max_tokens is too large: 100000. This model supports at most 16384 completion tokens, whereas you provided 100000.","type":"invalid_request_error","param":"max_tokens","code":"invalid_value"}}`, 400, llm.CodeModelUnsupported},
		{"openai responses output limit", `{"error":{"message":"Invalid 'max_output_tokens': integer above maximum value. Expected a value <= 128000, but got 200000 instead.","type":"invalid_request_error","param":"max_output_tokens","code":"integer_above_max_value"}}`, 400, llm.CodeModelUnsupported},
		{"openai image to a text model", `{"error":{"message":"Invalid content type. image_url is only supported by certain models.","type":"invalid_request_error","param":"messages.[0].content.[1].type","code":null}}`, 400, llm.CodeModelUnsupported},
		{"anthropic temperature beside top_p", `{"type":"error","error":{"type":"invalid_request_error","message":"` + "`temperature` and `top_p` cannot both be specified for this model. Please use only one." + `"}}`, 400, llm.CodeModelUnsupported},
		{"anthropic output limit", `{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: 64000 > 32000, which is the maximum allowed number of output tokens for claude-opus-4-20250514"}}`, 400, llm.CodeModelUnsupported},
		{"gemini system instruction", `{"error":{"code":400,"message":"Developer instruction is not enabled for models/gemma-3-27b-it","status":"INVALID_ARGUMENT"}}`, 400, llm.CodeModelUnsupported},
		{"gemini function calling", `{"error":{"code":400,"message":"Function calling is not enabled for models/gemma-3-27b-it","status":"INVALID_ARGUMENT"}}`, 400, llm.CodeModelUnsupported},
		{"gemini schema too complex", `{"error":{"code":400,"message":"The specified schema produces a constraint that has too many states for serving.","status":"INVALID_ARGUMENT"}}`, 400, llm.CodeModelUnsupported},
		{"gemini json mode", `{"error":{"code":400,"message":"JSON mode is not enabled for models/gemma-3-27b-it","status":"INVALID_ARGUMENT"}}`, 400, llm.CodeModelUnsupported},
		{"vertex output limit", `{"error":{"code":400,"message":"Unable to submit request because it has a maxOutputTokens value of 70000 but the supported range is from 1 (inclusive) to 65537 (exclusive). Update the value and try again.","status":"INVALID_ARGUMENT"}}`, 400, llm.CodeModelUnsupported},
		{"ollama tools", `{"error":{"message":"registry.ollama.ai/library/gemma3:4b does not support tools","type":"api_error","param":null,"code":null}}`, 400, llm.CodeModelUnsupported},
		{"vllm tools without a parser", `{"object":"error","message":"\"auto\" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set","type":"BadRequestError","param":null,"code":400}`, 400, llm.CodeModelUnsupported},
		{"vllm tools without a parser, nested", `{"error":{"message":"\"auto\" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set","type":"BadRequestError","param":null,"code":400}}`, 400, llm.CodeModelUnsupported},
		{"deepseek output limit", `{"error":{"message":"Invalid max_tokens value, the valid range of max_tokens is [1, 8192]","type":"invalid_request_error","param":null,"code":"invalid_request_error"}}`, 400, llm.CodeModelUnsupported},
		{"deepseek image", `{"error":{"message":"Failed to deserialize the JSON body into the target type: messages[0]: unknown variant ` + "`image_url`, expected `text`" + ` at line 1 column 120","type":"invalid_request_error","param":null,"code":"invalid_request_error"}}`, 422, llm.CodeModelUnsupported},
		{"dashscope output limit", `{"error":{"message":"Range of max_tokens should be [1, 65536]","type":"invalid_request_error","code":"invalid_parameter_error"}}`, 400, llm.CodeModelUnsupported},
		{"vllm relay output limit", `{"error":{"message":"max_tokens (98304) exceeds model's maximum output tokens (65536)","type":"BadRequestError"}}`, 400, llm.CodeModelUnsupported},
		{"bedrock output limit", `{"message":"The maximum tokens you requested exceeds the model limit of 8192"}`, 400, llm.CodeModelUnsupported},

		{"openai model not found", "{\"error\":{\"message\":\"The model `gpt-5-turbo` does not exist or you do not have access to it.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"model_not_found\"}}", 404, llm.CodeModelNotFound},
		{"vllm model not found", "{\"object\":\"error\",\"message\":\"The model `foo` does not exist.\",\"type\":\"NotFoundError\",\"param\":null,\"code\":404}", 404, llm.CodeModelNotFound},
		{"azure deployment not found", `{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."}}`, 404, llm.CodeModelNotFound},
		{"gemini model not found", `{"error":{"code":404,"message":"models/gemini-1.0-pro is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.","status":"NOT_FOUND"}}`, 404, llm.CodeModelNotFound},
		{"gemini location", `{"error":{"code":400,"message":"User location is not supported for the API use.","status":"FAILED_PRECONDITION"}}`, 400, llm.CodeModelNotFound},
		{"deepseek model not found", `{"error":{"message":"Model Not Exist","type":"invalid_request_error","param":null,"code":"invalid_request_error"}}`, 400, llm.CodeModelNotFound},
		{"ollama model not found", `{"error":{"message":"model \"llama9\" not found, try pulling it first","type":"api_error","param":null,"code":null}}`, 404, llm.CodeModelNotFound},

		{"a missing field", `{"error":{"message":"'messages' is a required property","type":"invalid_request_error"}}`, 400, ""},
		{"roles out of order", `{"type":"error","error":{"type":"invalid_request_error","message":"messages: roles must alternate between \"user\" and \"assistant\", but found multiple \"user\" roles in a row"}}`, 400, ""},
		{"malformed schema", `{"error":{"message":"Invalid schema for response_format 'answer': In context=(), 'additionalProperties' is required to be supplied and to be false.","type":"invalid_request_error","param":"response_format","code":"invalid_json_schema"}}`, 400, ""},
		{"a file not found", `{"error":{"message":"No such File object: file-abc123","type":"invalid_request_error","param":"id","code":null}}`, 404, ""},
		{"llama.cpp tools without --jinja", `{"error":{"code":500,"message":"tools param requires --jinja flag","type":"server_error"}}`, 500, llm.CodeModelUnsupported},
		{"llama.cpp tools with stream", `{"error":{"code":500,"message":"Cannot use tools with stream","type":"server_error"}}`, 500, llm.CodeModelUnsupported},
		{"a 500 is never one", `{"error":{"message":"The model ` + "`x` does not exist" + `"}}`, 500, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := response(tt.status, nil, tt.body)
			e := ErrorFromResponse("up", []string{testSecret}, resp, nil)
			if e.Code != tt.want {
				t.Errorf("code = %q, want %q (message %q)", e.Code, tt.want, e.Message)
			}
			if tt.want != "" && e.Retryable {
				t.Error("a refusal must not be retried on the same deployment")
			}
		})
	}
}

// Anthropic's adapter quotes an error as "type: message"
// (anthropic.extractMessage): its 404 for an unknown model is
// not_found_error "model: claude-…".
func TestClassifyAnthropicModelNotFound(t *testing.T) {
	resp, _ := response(404, nil, `{"type":"error","error":{"type":"not_found_error","message":"model: claude-3-opus-2024"}}`)
	e := ErrorFromResponse("up", []string{testSecret}, resp, func(body []byte) string {
		var b struct {
			Error struct{ Type, Message string }
		}
		json.Unmarshal(body, &b)
		return b.Error.Type + ": " + b.Error.Message
	})
	if e.Code != llm.CodeModelNotFound {
		t.Errorf("code %q (message %q)", e.Code, e.Message)
	}
}

// An upstream's own code says it as well as its words: an OpenAI-style
// adapter sets the upstream's code, then classifies again.
func TestClassifyUpstreamCode(t *testing.T) {
	for code, want := range map[string]string{
		"unsupported_parameter": llm.CodeModelUnsupported,
		"unsupported_value":     llm.CodeModelUnsupported,
		"model_not_found":       llm.CodeModelNotFound,
		"DeploymentNotFound":    llm.CodeModelNotFound,
		"invalid_value":         "",
	} {
		e := &llm.Error{Kind: llm.KindInvalidRequest, Code: code, Message: "upstream o returned 400: something about the request"}
		Classify(e)
		if got := e.Code; (want == "" && got != code) || (want != "" && got != want) {
			t.Errorf("code %q: %q, want %q", code, got, want)
		}
	}
}

// A 403 that denies the key the model is a misconfigured deployment, said
// as such, not a bad key.
func TestErrorFromResponseNoAccessToModel(t *testing.T) {
	resp, _ := response(403, nil, "{\"error\":{\"message\":\"Project `proj_abc` does not have access to model `gpt-4o`\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"model_not_found\"}}")
	e := ErrorFromResponse("up", []string{testSecret}, resp, nil)
	if e.Code != llm.CodeModelNotFound || e.Kind != llm.KindUpstream || e.Retryable {
		t.Fatalf("got %+v", e)
	}
	if !strings.Contains(e.Message, "no access to the deployment's model") {
		t.Errorf("message %q", e.Message)
	}
}

// Classifying an error no phrase matches allocates nothing.
func TestClassifyAllocatesNothingUnmatched(t *testing.T) {
	e := &llm.Error{Kind: llm.KindInvalidRequest, Message: "upstream o returned 400: 'messages' is a required property (Param: Messages)"}
	if n := testing.AllocsPerRun(100, func() { Classify(e) }); n != 0 {
		t.Errorf("%v allocations", n)
	}
	if e.Code != "" {
		t.Errorf("code %q", e.Code)
	}
}

func TestContainsFold(t *testing.T) {
	for _, tt := range []struct {
		s, p string
		want bool
	}{
		{"Model Not Exist", "model not exist", true},
		{"DeploymentNotFound", "deploymentnotfound", true},
		{"abc", "abcd", false},
		{"", "a", false},
		{"xx ABC", "abc", true},
		{"aab", "ab", true},
		{"ÀB", "àb", false}, // ASCII only: the phrases are
	} {
		if got := containsFold(tt.s, tt.p); got != tt.want {
			t.Errorf("containsFold(%q, %q) = %v", tt.s, tt.p, got)
		}
	}
}
