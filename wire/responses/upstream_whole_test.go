package responses

import (
	"errors"
	"testing"

	"switchyard/llm"
)

var wholeSeeds = []string{
	`{"id":"resp_1","object":"response","status":"completed","model":"gpt-5.5-pro","output":[{"id":"rs_1","type":"reasoning","summary":[],"encrypted_content":"gAAAAABx"},{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"output_text","text":"Hi","annotations":[]}]},{"id":"fc_1","type":"function_call","call_id":"call_1","name":"f","arguments":"{}"}],"usage":{"input_tokens":3,"input_tokens_details":{"cached_tokens":1},"output_tokens":9,"output_tokens_details":{"reasoning_tokens":8},"total_tokens":12}}`,
	`{"id":"resp_2","status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},"output":[{"type":"message","content":[{"type":"output_text","text":"Hal"}]}]}`,
	`{"id":"resp_3","status":"incomplete","incomplete_details":{"reason":"content_filter"},"output":[{"type":"message","content":[{"type":"refusal","refusal":"No."}]}]}`,
	`{"id":"resp_4","status":"failed","error":{"code":"rate_limit_exceeded","message":"slow down"},"output":[]}`,
	`{"id":"resp_f","status":"failed","model":"gpt-5.5","error":{"code":"server_error","message":"An error occurred while processing your request."},"output":[{"type":"message","status":"incomplete","content":[{"type":"output_text","text":"Hal"}]}],"usage":{"input_tokens":120,"input_tokens_details":{"cached_tokens":0},"output_tokens":40,"output_tokens_details":{"reasoning_tokens":32},"total_tokens":160}}`,
	`{"id":"resp_5","status":"in_progress","output":[]}`,
	`{"status":"completed","output":[{"type":"custom_tool_call","call_id":"c","name":"t","input":"x"}]}`,
	`{"status":"completed","output":[{"type":"shell_call","call_id":"c","action":{"commands":["ls"]}},{"type":"apply_patch_call","call_id":"d","operation":{"type":"delete_file","path":"a"}},{"type":"local_shell_call","call_id":"e","action":{"type":"exec","command":["date"],"env":{}}}]}`,
	`{"status":"completed","output":[{"id":"cmp_1","type":"compaction","encrypted_content":"gAAAAB"},{"type":"message","content":[{"type":"output_text","text":"x"}]}]}`,
	`[]`, `{"output":{}}`,
	`{"id":"resp_ma","status":"incomplete","incomplete_details":{"reason":"content_filter"},"output":[],"moderation":{"input":{"type":"moderation_result","flagged":true},"output":{"type":"error","code":"c","message":"m"}}}`,
	`{"id":"resp_mb","status":"completed","output":[{"type":"multi_agent_call","id":"mac","action":"spawn_agent","arguments":"{}","call_id":"c"},{"type":"message","content":[{"type":"output_text","text":"sub"}],"agent":{"agent_name":"a"}},{"type":"message","content":[{"type":"output_text","text":"root"}]}]}`,
}

func TestDecodeUpstreamResponse(t *testing.T) {
	resp, err := DecodeUpstreamResponse([]byte(wholeSeeds[0]))
	if err != nil {
		t.Fatal(err)
	}
	ch := resp.Choices[0]
	th := ch.Message.Thinking()
	if resp.ID != "resp_1" || resp.Model != "gpt-5.5-pro" || ch.Message.Text() != "Hi" || len(ch.Message.ToolCalls()) != 1 || ch.FinishReason != llm.FinishToolCalls ||
		len(th) != 1 || !th[0].IsOpenAIReasoning() {
		t.Errorf("response %+v", resp)
	}
	if u := resp.Usage; u == nil || u.PromptTokens != 3 || u.CachedPromptTokens != 1 || u.CompletionTokens != 9 || u.ReasoningTokens != 8 {
		t.Errorf("usage %+v", resp.Usage)
	}
	for i, want := range map[int]llm.FinishReason{1: llm.FinishLength, 2: llm.FinishContentFilter} {
		r, err := DecodeUpstreamResponse([]byte(wholeSeeds[i]))
		if err != nil || r.Choices[0].FinishReason != want {
			t.Errorf("seed %d: %v %+v", i, err, r)
		}
	}
	if r, err := DecodeUpstreamResponse([]byte(wholeSeeds[3])); llm.AsError(err).Kind != llm.KindRateLimit || r != nil {
		t.Errorf("failed: %v, %+v", err, r)
	}
	// A failed response's usage is what the failed attempt is billed.
	r, err := DecodeUpstreamResponse([]byte(wholeSeeds[4]))
	if llm.AsError(err).Kind != llm.KindUpstream || r == nil || len(r.Choices) != 0 || r.Usage == nil ||
		r.Usage.PromptTokens != 120 || r.Usage.CompletionTokens != 40 || r.Usage.ReasoningTokens != 32 {
		t.Errorf("failed with usage: %v, %+v", err, r)
	}
	if _, err := DecodeUpstreamResponse([]byte(wholeSeeds[5])); !errors.Is(err, ErrUpstreamEvent) {
		t.Errorf("in progress: %v", err)
	}
}

// FuzzDecodeUpstreamResponse: any body gives a response with a choice,
// an *llm.Error, or a malformed-response error; never a panic.
func FuzzDecodeUpstreamResponse(f *testing.F) {
	for _, s := range wholeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		resp, err := DecodeUpstreamResponse([]byte(data))
		if err != nil {
			var le *llm.Error
			if !errors.Is(err, ErrUpstreamEvent) && !errors.As(err, &le) {
				t.Fatalf("error %T %v", err, err)
			}
			if resp != nil && (le == nil || resp.Usage == nil || len(resp.Choices) > 0) {
				t.Fatalf("error %v with response %+v", err, resp)
			}
			return
		}
		if len(resp.Choices) != 1 || resp.Choices[0].FinishReason == "" {
			t.Fatalf("response %+v", resp)
		}
	})
}
