package openai

import (
	"context"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/provider/toolname"
)

// A function name past OpenAI's 64 goes to the batch short (the
// simulator refuses the long one, as OpenAI does) and RestoreAnswer
// gives the call its name back; reasoning the client does not see is
// dropped.
func TestBatchRestoreAnswer(t *testing.T) {
	e := newEnv(t, KindOpenAI, testKey)
	long := "mcp__github_enterprise_server__" + strings.Repeat("search_issues_", 5)
	req := &llm.Request{Model: "gpt-sim", Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{{Type: llm.PartText, Text: "Find the open issues"}}}},
		Tools:      []llm.Tool{{Type: "function", Name: long, Parameters: []byte(`{"type":"object","properties":{"q":{"type":"string"}}}`)}},
		ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceFunction, Name: long}}
	id, err := e.c.SubmitBatch(context.Background(), "", []provider.BatchRequest{{CustomID: "long", Request: req}})
	if err != nil {
		t.Fatal(err)
	}
	r := awaitResults(t, e.c, id, 1)["long"]
	if r.Response == nil {
		t.Fatalf("result %+v", r.Err)
	}
	calls := r.Response.Choices[0].Message.ToolCalls()
	if len(calls) != 1 || calls[0].Name != toolname.Short(long, toolname.OpenAIMax) {
		t.Fatalf("the provider's calls %+v, want the short name", calls)
	}
	r.Response.Choices[0].Message.SetThinking([]llm.Thinking{{Text: "hmm"}})
	e.c.RestoreAnswer(context.Background(), req, r.Response)
	m := r.Response.Choices[0].Message
	if calls := m.ToolCalls(); calls[0].Name != long || len(m.Thinking()) != 0 {
		t.Errorf("restored calls %+v, thinking %+v", calls, m.Thinking())
	}
}

// A provider batch's answer from a host that writes thought signatures
// (Google's OpenAI compatibility endpoint) has its calls' signatures
// marked with the model that made them, as a streamed answer's are, so
// that another model is not sent them (llm.ToolCall.SignatureFor).
func TestBatchRestoreAnswerMarksSignatures(t *testing.T) {
	e := newEnv(t, KindOpenAI, testKey)
	req := &llm.Request{Model: "google/gemini-3-pro-preview", ThoughtSignatures: llm.PassBackSend,
		Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{{Type: llm.PartText, Text: "Weather in Oslo?"}}}},
		Tools:    []llm.Tool{{Type: "function", Name: "get_weather", Parameters: []byte(`{"type":"object"}`)}}}
	resp := &llm.Response{Choices: []llm.Choice{{Message: llm.Message{Role: llm.RoleAssistant}}}}
	resp.Choices[0].Message.SetToolCalls([]llm.ToolCall{{ID: "call_1", Name: "get_weather", Arguments: `{}`, Signature: "c2ln"}, {ID: "call_2", Name: "get_weather", Arguments: `{}`}})
	e.c.RestoreAnswer(context.Background(), req, resp)
	calls := resp.Choices[0].Message.ToolCalls()
	if calls[0].SignatureModel != "gemini-3-pro-preview" || calls[1].SignatureModel != "" {
		t.Errorf("calls %+v: want the signed one marked gemini-3-pro-preview", calls)
	}
	if got := calls[0].SignatureFor("gemini-2.5-flash"); got != "" {
		t.Errorf("another model is sent %q", got)
	}
}
