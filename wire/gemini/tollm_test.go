package gemini

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodeFixture(t *testing.T, name string) *GenerateContentResponse {
	t.Helper()
	var r GenerateContentResponse
	if err := json.Unmarshal(fixture(t, name), &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func TestToLLMFixtures(t *testing.T) {
	tests := []struct {
		file   string
		text   string
		calls  []llm.ToolCall
		finish llm.FinishReason
		usage  llm.Usage
		model  string
	}{
		{file: "response_text.json", text: "AI learns patterns from data and uses them to make predictions.", finish: llm.FinishStop,
			usage: llm.Usage{PromptTokens: 8, CompletionTokens: 1063, TotalTokens: 1071, ReasoningTokens: 1051}, model: "gemini-2.5-flash"},
		{file: "response_function_call.json", finish: llm.FinishToolCalls,
			calls: []llm.ToolCall{{ID: generated, Type: "function", Name: "get_current_temperature", Arguments: `{"location":"London"}`, Signature: "CiQB0e2Kb8TnIoVHZw=="}},
			usage: llm.Usage{PromptTokens: 61, CompletionTokens: 90, TotalTokens: 151, ReasoningTokens: 74}, model: "gemini-2.5-flash"},
		{file: "response_parallel_calls.json", text: "Let me check both cities.", finish: llm.FinishToolCalls,
			calls: []llm.ToolCall{
				{ID: generated, Type: "function", Name: "get_weather", Arguments: `{"city":"Paris"}`},
				{ID: "fc-7", Type: "function", Name: "get_weather", Arguments: `{"city":"Tokyo"}`}},
			usage: llm.Usage{PromptTokens: 40, CompletionTokens: 20, TotalTokens: 60}, model: "gemini-2.0-flash"},
		{file: "response_blocked_prompt.json", finish: llm.FinishContentFilter,
			usage: llm.Usage{PromptTokens: 12, TotalTokens: 12}, model: "gemini-2.0-flash"},
		{file: "response_safety.json", finish: llm.FinishContentFilter,
			usage: llm.Usage{PromptTokens: 9, TotalTokens: 9}, model: "gemini-1.5-flash"},
		{file: "response_cached_thoughts.json", text: "Use a hash map.", finish: llm.FinishLength,
			usage: llm.Usage{PromptTokens: 2130, CompletionTokens: 55, TotalTokens: 2185, CachedPromptTokens: 2048, ReasoningTokens: 50}, model: "gemini-2.5-pro"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ToLLM(decodeFixture(t, tt.file), "fallback")
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Choices) != 1 {
				t.Fatalf("%d choices", len(got.Choices))
			}
			c := got.Choices[0]
			if txt := c.Message.Text(); txt != tt.text {
				t.Errorf("text = %q, want %q", txt, tt.text)
			}
			if c.FinishReason != tt.finish {
				t.Errorf("finish = %q, want %q", c.FinishReason, tt.finish)
			}
			if !equalCalls(c.Message.ToolCalls(), tt.calls) {
				t.Errorf("tool calls = %+v, want %+v", c.Message.ToolCalls(), tt.calls)
			}
			if got.Usage == nil || *got.Usage != tt.usage {
				t.Errorf("usage = %+v, want %+v", got.Usage, tt.usage)
			}
			if got.Model != tt.model || c.Message.Role != llm.RoleAssistant {
				t.Errorf("model %q role %q", got.Model, c.Message.Role)
			}
		})
	}
}

// generated in a wanted tool call's ID stands for an id the translator
// generated (the upstream sent none): "call_" and 26 base32 characters.
const generated = "<generated>"

// isGenerated reports whether id has the shape of a generated call id.
func isGenerated(id string) bool {
	return len(id) == len("call_")+26 && strings.HasPrefix(id, "call_") && strings.Trim(id[5:], "abcdefghijklmnopqrstuvwxyz234567") == ""
}

func equalCalls(a, b []llm.ToolCall) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		got, want := a[i], b[i]
		if want.ID == generated && isGenerated(got.ID) {
			got.ID = generated
		}
		if got != want {
			return false
		}
	}
	return true
}

func TestToLLMNoCandidates(t *testing.T) {
	_, err := ToLLM(&GenerateContentResponse{ModelVersion: "m"}, "m")
	var le *llm.Error
	if !errors.As(err, &le) || le.Kind != llm.KindUpstream {
		t.Fatalf("err = %v, want upstream", err)
	}
}

// TestToLLMNoAnswer: a candidate that ended with a reason saying it holds
// no usable answer is a retryable upstream error, not an empty stop.
func TestToLLMNoAnswer(t *testing.T) {
	for _, reason := range []string{"MALFORMED_FUNCTION_CALL", "TOO_MANY_TOOL_CALLS", "MALFORMED_RESPONSE", "OTHER"} {
		for _, c := range []*Content{{Role: "model"}, {Role: "model", Parts: []Part{{Text: "The capital of"}}}} {
			resp := &GenerateContentResponse{Candidates: []Candidate{{Content: c, FinishReason: reason}}}
			_, err := ToLLM(resp, "m")
			var le *llm.Error
			if !errors.As(err, &le) || le.Kind != llm.KindUpstream || !le.Retryable {
				t.Errorf("%s (%d parts): err = %v, want a retryable upstream error", reason, len(c.Parts), err)
			}
		}
	}
}

func TestFinishReasonToLLM(t *testing.T) {
	tests := []struct {
		in    string
		calls bool
		want  llm.FinishReason
	}{
		{"STOP", false, llm.FinishStop},
		{"STOP", true, llm.FinishToolCalls},
		{"MAX_TOKENS", false, llm.FinishLength},
		{"MAX_TOKENS", true, llm.FinishLength},
		{"SAFETY", false, llm.FinishContentFilter},
		{"RECITATION", false, llm.FinishContentFilter},
		{"BLOCKLIST", false, llm.FinishContentFilter},
		{"PROHIBITED_CONTENT", false, llm.FinishContentFilter},
		{"SPII", false, llm.FinishContentFilter},
		{"IMAGE_SAFETY", false, llm.FinishContentFilter},
		{"LANGUAGE", false, llm.FinishContentFilter},
		{"ESCALATION", false, llm.FinishContentFilter},
		{"OTHER", false, llm.FinishStop},
		{"MALFORMED_FUNCTION_CALL", false, llm.FinishStop},
		{"FINISH_REASON_UNSPECIFIED", false, llm.FinishStop},
		{"", false, ""},
	}
	for _, tt := range tests {
		if got := FinishReasonToLLM(tt.in, tt.calls); got != tt.want {
			t.Errorf("FinishReasonToLLM(%q, %v) = %q, want %q", tt.in, tt.calls, got, tt.want)
		}
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name string
		in   UsageMetadata
		want llm.Usage
	}{
		{"plain", UsageMetadata{PromptTokenCount: 10, CandidatesTokenCount: 5, TotalTokenCount: 15},
			llm.Usage{PromptTokens: 10, CompletionTokens: 5, TotalTokens: 15}},
		{"thoughts count as completion and reasoning", UsageMetadata{PromptTokenCount: 10, CandidatesTokenCount: 5, ThoughtsTokenCount: 20, TotalTokenCount: 35},
			llm.Usage{PromptTokens: 10, CompletionTokens: 25, ReasoningTokens: 20, TotalTokens: 35}},
		{"cached is part of prompt", UsageMetadata{PromptTokenCount: 2000, CachedContentTokenCount: 1024, CandidatesTokenCount: 1, TotalTokenCount: 2001},
			llm.Usage{PromptTokens: 2000, CachedPromptTokens: 1024, CompletionTokens: 1, TotalTokens: 2001}},
		{"tool use prompt is prompt", UsageMetadata{PromptTokenCount: 10, ToolUsePromptTokenCount: 7, CandidatesTokenCount: 3, TotalTokenCount: 20},
			llm.Usage{PromptTokens: 17, CompletionTokens: 3, TotalTokens: 20}},
		{"missing total is the sum", UsageMetadata{PromptTokenCount: 4, CandidatesTokenCount: 2, ThoughtsTokenCount: 1},
			llm.Usage{PromptTokens: 4, CompletionTokens: 3, ReasoningTokens: 1, TotalTokens: 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := UsageToLLM(&tt.in)
			if got != tt.want {
				t.Errorf("UsageToLLM = %+v, want %+v", got, tt.want)
			}
			if back := UsageToLLM(UsageFromLLM(got)); tt.in.ToolUsePromptTokenCount == 0 && back != got {
				t.Errorf("round trip = %+v, want %+v", back, got)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		file   string
		kind   llm.ErrorKind
		msg    string
		badKey bool
	}{
		{"error_rate_limit.json", llm.KindRateLimit, "RESOURCE_EXHAUSTED: You exceeded your current quota", false},
		{"error_invalid_key.json", llm.KindInvalidRequest, "INVALID_ARGUMENT: API key not valid. Please pass a valid API key.", true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body := fixture(t, tt.file)
			st, ok := ParseError(body)
			if !ok {
				t.Fatal("not parsed as an error")
			}
			if got := st.LLMError().Kind; got != tt.kind {
				t.Errorf("kind = %q, want %q", got, tt.kind)
			}
			if got := ErrorMessage(body); len(got) < len(tt.msg) || got[:len(tt.msg)] != tt.msg {
				t.Errorf("message = %q, want prefix %q", got, tt.msg)
			}
			if st.HasReason(ReasonAPIKeyInvalid) != tt.badKey {
				t.Errorf("HasReason(API_KEY_INVALID) = %v", !tt.badKey)
			}
		})
	}
	if ErrorMessage([]byte(`{"candidates":[]}`)) != "" || ErrorMessage([]byte("oops")) != "" {
		t.Error("a non-error body gave a message")
	}
	for code, want := range map[int]llm.ErrorKind{400: llm.KindInvalidRequest, 403: llm.KindPermission, 404: llm.KindNotFound,
		429: llm.KindRateLimit, 500: llm.KindUpstream, 503: llm.KindUnavailable, 504: llm.KindTimeout} {
		if got := KindOf(StatusName(code), code); got != want {
			t.Errorf("KindOf(%d) = %q, want %q", code, got, want)
		}
	}
}

// FuzzDecodeResponse feeds arbitrary bodies through the decoder and ToLLM:
// no panic, and a failure is always an *llm.Error.
func FuzzDecodeResponse(f *testing.F) {
	for _, name := range []string{"response_text.json", "response_function_call.json", "response_parallel_calls.json",
		"response_blocked_prompt.json", "response_safety.json", "response_cached_thoughts.json"} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte(`{"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":null}}]}}]}`))
	f.Add([]byte(`{"candidates":[{"content":null,"index":3}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var r GenerateContentResponse
		if json.Unmarshal(body, &r) != nil {
			return
		}
		out, err := ToLLM(&r, "m")
		if err != nil {
			var le *llm.Error
			if !errors.As(err, &le) {
				t.Fatalf("error %T is not an *llm.Error", err)
			}
			return
		}
		for _, c := range out.Choices {
			for _, tc := range c.Message.ToolCalls() {
				if !json.Valid([]byte(tc.Arguments)) {
					t.Fatalf("arguments %q are not JSON", tc.Arguments)
				}
			}
		}
	})
}

func TestStatusRetryDelay(t *testing.T) {
	detail := func(delay string) string {
		return `{"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED","details":[` +
			`{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[]},` +
			`{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":` + delay + `}]}}`
	}
	for _, tt := range []struct {
		name, body string
		want       time.Duration
	}{
		{"seconds", detail(`"37s"`), 37 * time.Second},
		{"fractional", detail(`"1.5s"`), 1500 * time.Millisecond},
		{"zero", detail(`"0s"`), 0},
		{"no unit", detail(`"37"`), 0},
		{"negative", detail(`"-3s"`), 0},
		{"not a string", detail(`37`), 0},
		{"no RetryInfo", `{"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED"}}`, 0},
		{"another type's retryDelay", `{"error":{"code":429,"message":"q","details":[{"@type":"x.Other","retryDelay":"9s"}]}}`, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st, ok := ParseError([]byte(tt.body))
			if !ok {
				t.Fatal("not parsed as an error")
			}
			if got := st.RetryDelay(); got != tt.want {
				t.Errorf("RetryDelay = %v, want %v", got, tt.want)
			}
			if got := st.LLMError().RetryAfter; got != tt.want {
				t.Errorf("LLMError().RetryAfter = %v, want %v", got, tt.want)
			}
		})
	}
}
