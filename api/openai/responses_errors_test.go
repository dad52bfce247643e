package openai

import (
	"testing"

	"switchyard/llm"
)

func TestResponsesErrorNames(t *testing.T) {
	e := llm.Errorf(llm.KindInvalidRequest, "deployment d writes at most 16384 tokens (max_output_tokens), and the request asks for up to 60000 (max_tokens)")
	e.Param = "max_tokens"
	got := llm.AsError(responsesError(e))
	if got.Param != "max_output_tokens" || got.Message != "deployment d writes at most 16384 tokens (max_output_tokens), and the request asks for up to 60000 (max_output_tokens)" {
		t.Errorf("got param %q message %q", got.Param, got.Message)
	}
	if e.Param != "max_tokens" {
		t.Error("the original error was changed")
	}
	other := llm.Errorf(llm.KindInvalidRequest, "temperature out of range (max_tokens unrelated)")
	other.Param = "temperature"
	if responsesError(other) != error(other) {
		t.Error("an error on a field both APIs name alike was rewritten")
	}
}
