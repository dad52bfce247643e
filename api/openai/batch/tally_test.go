package batch

import "testing"

// A batch's usage sums its lines' — the breakdowns too: cached input
// tokens and reasoning tokens, as a Chat Completion (prompt_tokens_details,
// completion_tokens_details) or a Response (input_tokens_details,
// output_tokens_details) reports them. They were left 0.
func TestTallySumsUsageDetails(t *testing.T) {
	var o Object
	tally(&o, []byte(`{"custom_id":"a","response":{"status_code":200,"cost_usd":0.5,"body":{"object":"chat.completion","usage":{"prompt_tokens":10,"completion_tokens":30,"total_tokens":40,`+
		`"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":18}}}}}`), false)
	tally(&o, []byte(`{"custom_id":"b","response":{"status_code":200,"cost_usd":0.25,"body":{"object":"response","usage":{"input_tokens":8,"output_tokens":20,"total_tokens":28,`+
		`"input_tokens_details":{"cached_tokens":2},"output_tokens_details":{"reasoning_tokens":5}}}}}`), false)
	tally(&o, []byte(`{"custom_id":"c","response":{"status_code":200,"body":{"object":"list","usage":{"prompt_tokens":3,"total_tokens":3}}}}`), false)
	u := o.Usage
	if u.InputTokens != 21 || u.OutputTokens != 50 || u.TotalTokens != 71 || u.InputTokensDetails.CachedTokens != 6 || u.OutputTokensDetails.ReasoningTokens != 23 {
		t.Errorf("usage %+v", u)
	}
	if o.RequestCounts.Completed != 3 || o.CostUSD != 0.75 {
		t.Errorf("counts %+v cost %v", o.RequestCounts, o.CostUSD)
	}
}
