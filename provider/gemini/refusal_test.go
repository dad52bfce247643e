package gemini

import (
	"context"
	"testing"

	"switchyard/llm"
	"switchyard/llm/llmtest"
)

// What Gemini refuses for the model rather than the request — a system
// instruction or tools to Gemma, more output than the model gives — comes
// back as llm.CodeModelUnsupported, not retryable, so the dispatcher tries
// the next candidate; an unknown model is llm.CodeModelNotFound.
func TestModelRefusalsAreClassified(t *testing.T) {
	withSystem := chatReq("gemma-3-27b-it", "hi")
	withSystem.Messages = append([]llm.Message{llm.TextMessage(llm.RoleSystem, "Be terse.")}, withSystem.Messages...)
	withTools := chatReq("gemma-3-27b-it", "hi")
	withTools.Tools = []llm.Tool{{Name: "f", Parameters: []byte(`{"type":"object","properties":{}}`)}}
	tooLong := chatReq("gemma-3-27b-it", "hi")
	n := 9000
	tooLong.MaxTokens = &n
	for name, tc := range map[string]struct {
		req  *llm.Request
		code string
	}{
		"system instruction": {withSystem, llm.CodeModelUnsupported},
		"tools":              {withTools, llm.CodeModelUnsupported},
		"output limit":       {tooLong, llm.CodeModelUnsupported},
		"unknown model":      {chatReq("gemini-0", "hi"), llm.CodeModelNotFound},
	} {
		_, err := llmtest.Complete(context.Background(), newSim(t, testKey), tc.req)
		if e := llm.AsError(err); e == nil || e.Code != tc.code || e.Retryable {
			t.Errorf("%s: %v (code %q)", name, err, llm.AsError(err).Code)
		}
	}
}
