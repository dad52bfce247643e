package llm

import "testing"

// A Gemini signature block gives back its call, model and signature;
// Claude is never sent it; a block of another shape is none.
func TestGeminiSignatureBlock(t *testing.T) {
	b := GeminiSignature("call_1", "gemini-3-pro-preview", "c2ln/+==")
	id, model, sig, ok := b.GeminiSignature()
	if !ok || id != "call_1" || model != "gemini-3-pro-preview" || sig != "c2ln/+==" || !b.ForOtherHost() || b.IsOpenAIReasoning() {
		t.Errorf("%+v: %q %q %q %v", b, id, model, sig, ok)
	}
	u := GeminiSignature("c", "", "s")
	if _, model, _, ok := u.GeminiSignature(); !ok || model != "" {
		t.Error("a signature of unknown model")
	}
	for _, r := range []string{"", "RED==", "gemini-signature:", "gemini-signature:m\nc", "gemini-signature:m\n\ns", "openai-reasoning:rs:x"} {
		b := Thinking{Redacted: r}
		if _, _, _, ok := b.GeminiSignature(); ok {
			t.Errorf("%q read as a signature", r)
		}
	}
}

// SignatureFor gives the signature to the model that made it (any
// prefix, any case) or to any model when its origin is unknown.
func TestSignatureFor(t *testing.T) {
	tc := ToolCall{Signature: "s", SignatureModel: SignatureModelID("models/Gemini-2.5-Pro")}
	for model, want := range map[string]string{"gemini-2.5-pro": "s", "google/gemini-2.5-pro": "s", "gemini-3-pro-preview": "", "gemini-2.5-pro-preview": ""} {
		if got := tc.SignatureFor(model); got != want {
			t.Errorf("SignatureFor(%q) = %q, want %q", model, got, want)
		}
	}
	if got := (&ToolCall{Signature: "s"}).SignatureFor("gemini-3-pro-preview"); got != "s" {
		t.Errorf("unknown origin: %q", got)
	}
}
