package gemini

import (
	"testing"

	"switchyard/llm"
)

// A call's thoughtSignature goes only to the model that made it: a
// Gemini 3 model is sent Google's skip value for another model's (as its
// guide says of a trace from a different model), a Gemini 2.5 none; one
// of unknown origin (a client's) goes as it is.
func TestFromLLMSignatureBoundToModel(t *testing.T) {
	turn := func(sig, model string) []llm.Message {
		m := llm.Message{Role: llm.RoleAssistant}
		m.SetToolCalls([]llm.ToolCall{{ID: "a", Name: "f", Signature: sig, SignatureModel: model}})
		return []llm.Message{user("q"), m}
	}
	for _, c := range []struct{ model, sigModel, want string }{
		{"gemini-2.5-pro", "gemini-2.5-pro", "own"},
		{"models/gemini-2.5-pro", "gemini-2.5-pro", "own"},
		{"gemini-3-pro-preview", "gemini-2.5-pro", SkipThoughtSignature},
		{"gemini-2.5-flash", "gemini-2.5-pro", ""},
		{"gemini-2.5-pro", "gemini-3-pro-preview", ""},
		{"gemini-3-flash-preview", "", "own"},
	} {
		body, err := FromLLM(&llm.Request{Model: c.model, Messages: turn("own", c.sigModel)})
		if err != nil {
			t.Fatal(err)
		}
		if got := body.Contents[1].Parts[0].ThoughtSignature; got != c.want {
			t.Errorf("%s, signed by %q: thoughtSignature %q, want %q", c.model, c.sigModel, got, c.want)
		}
	}
}
