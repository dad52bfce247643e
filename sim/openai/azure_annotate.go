package openai

import (
	"bytes"
	"encoding/json"
)

// Azure's content filter annotates a whole chat answer (Azure OpenAI's
// "Content filtering" documentation, its response examples): the
// prompt's results in prompt_filter_results, and each choice's in its
// content_filter_results, output's categories with the protected
// material checks, a filtered category where the output filter cut the
// choice (finish_reason content_filter).
const (
	azurePromptResults   = `[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"jailbreak":{"filtered":false,"detected":false},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}}]`
	azureOutputResults   = `{"hate":{"filtered":false,"severity":"safe"},"protected_material_code":{"filtered":false,"detected":false},"protected_material_text":{"filtered":false,"detected":false},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}`
	azureFilteredResults = `{"hate":{"filtered":true,"severity":"high"},"protected_material_code":{"filtered":false,"detected":false},"protected_material_text":{"filtered":false,"detected":false},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}`
)

// azureAnnotate returns the chat completion body with Azure's content
// filter annotations: prompt_filter_results before its choices, and
// content_filter_results first in each choice. A body it cannot read is
// returned unchanged.
func azureAnnotate(body []byte) []byte {
	var top struct {
		Choices json.RawMessage `json:"choices"`
	}
	var list []json.RawMessage
	if json.Unmarshal(body, &top) != nil || json.Unmarshal(top.Choices, &list) != nil {
		return body
	}
	old := append([]byte(`"choices":`), top.Choices...)
	i := bytes.Index(body, old)
	if i < 0 {
		return body
	}
	out := append([]byte(nil), body[:i]...)
	out = append(out, `"prompt_filter_results":`+azurePromptResults+`,"choices":[`...)
	for j, raw := range list {
		var ch struct {
			Finish string `json:"finish_reason"`
		}
		_ = json.Unmarshal(raw, &ch)
		if j > 0 {
			out = append(out, ',')
		}
		results := azureOutputResults
		if ch.Finish == "content_filter" {
			results = azureFilteredResults
		}
		out = append(out, `{"content_filter_results":`+results...)
		if len(raw) > 2 { // not {}
			out = append(out, ',')
		}
		out = append(out, raw[1:]...)
	}
	out = append(out, ']')
	return append(out, body[i+len(old):]...)
}
