package openai

import (
	"encoding/json"
	"testing"
)

// TestAzureAnnotations: Azure's content filter annotates a whole chat
// answer, as its "Content filtering" documentation shows: the prompt's
// results in prompt_filter_results, each choice's in
// content_filter_results (filtered when the output filter cut it).
func TestAzureAnnotations(t *testing.T) {
	t.Parallel()
	url, hc := start(t, NewAzure(testCatalog(), nil))
	key := map[string]string{"api-key": "k", "Content-Type": "application/json"}
	dep := url + "/openai/deployments/gpt-sim/chat/completions?api-version=2024-10-21"
	for _, c := range []struct {
		prompt   string
		filtered bool
	}{{"hi", false}, {"Tell me a story. [[sim:content_filter_output]]", true}} {
		status, _, body := do(t, hc, "POST", dep, `{"messages":[{"role":"user","content":"`+c.prompt+`"}]}`, key)
		if status != 200 {
			t.Fatalf("status %d: %s", status, body)
		}
		var got struct {
			Prompt []struct {
				Index   *int                       `json:"prompt_index"`
				Results map[string]json.RawMessage `json:"content_filter_results"`
			} `json:"prompt_filter_results"`
			Choices []struct {
				Finish  string `json:"finish_reason"`
				Results map[string]struct {
					Filtered *bool  `json:"filtered"`
					Severity string `json:"severity"`
				} `json:"content_filter_results"`
			} `json:"choices"`
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Prompt) != 1 || got.Prompt[0].Index == nil || len(got.Prompt[0].Results) == 0 {
			t.Errorf("%s: prompt_filter_results %+v: %s", c.prompt, got.Prompt, body)
		}
		if len(got.Choices) != 1 {
			t.Fatalf("choices: %s", body)
		}
		filtered := false
		for _, cat := range []string{"hate", "self_harm", "sexual", "violence"} {
			r, ok := got.Choices[0].Results[cat]
			if !ok || r.Filtered == nil || r.Severity == "" {
				t.Errorf("%s: choice's content_filter_results lack %s: %s", c.prompt, cat, body)
				continue
			}
			filtered = filtered || *r.Filtered
		}
		if filtered != c.filtered {
			t.Errorf("%s: filtered %v, want %v: %s", c.prompt, filtered, c.filtered, body)
		}
	}
}
